"""Agent replies to REST users: POSTed to the callback URL (a local HTTP server here), signed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot.channels.rest import CappedRestInput
from bot.channels.rest_callback import SIGNATURE_HEADER, sign
from bot.console.bridge import ConversationBridge
from bot.db import engine_for
from bot.delivery.records import State
from bot.delivery.sql import DeliveryStore
from tests.bot.console.support import FakeAgent

TOKEN = "rest-callback-test-token-0123"


class CallbackServer(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.received: list[tuple[dict[str, Any], str, bytes]] = []
        self.answer = 200

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/djpk/callback"


class Handler(BaseHTTPRequestHandler):
    server: CallbackServer

    def log_message(self, *_: Any) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.received.append((json.loads(raw), self.headers[SIGNATURE_HEADER], raw))
        self.send_response(self.server.answer)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def callback() -> Iterator[CallbackServer]:
    server = CallbackServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def rest_conversation() -> FakeAgent:
    agent = FakeAgent()
    agent.processor.start("rest-7", "rest")
    return agent


async def test_agent_replies_reach_the_callback_url(callback: CallbackServer, tmp_path: Path):
    deliveries = DeliveryStore(engine_for(f"sqlite:///{tmp_path / 'd.db'}"))
    rest = CappedRestInput(token=TOKEN, callback_url=callback.url)
    bridge = ConversationBridge(rest_conversation(), [rest], deliveries)

    delivery = await bridge.send("rest-7", "Jawaban petugas untuk Bapak/Ibu.", "agen1", 1, 3)
    assert (delivery.state, delivery.pushed) == (State.SENT, True)
    [(message, signature, raw)] = callback.received
    assert message == {"recipient_id": "rest-7", "text": "Jawaban petugas untuk Bapak/Ibu."}
    assert signature == sign(raw, TOKEN)
    assert deliveries.get(1).state is State.SENT

    callback.answer = 500
    refused = await bridge.send("rest-7", "Balasan kedua", "agen1", 2, 3)
    assert refused.state is State.FAILED
    assert "HTTP 500" in deliveries.get(2).reason

    callback.answer = 204
    again = await bridge.retry(deliveries.get(2))
    assert again is not None and again.state is State.SENT
    assert [m["text"] for m, _, _ in callback.received][-1] == "Balasan kedua"


async def test_without_a_callback_url_the_reply_is_marked_failed(tmp_path: Path) -> None:
    deliveries = DeliveryStore(engine_for(f"sqlite:///{tmp_path / 'd.db'}"))
    bridge = ConversationBridge(rest_conversation(), [CappedRestInput(token=TOKEN)], deliveries)
    delivery = await bridge.send("rest-7", "Halo", "agen1", 1, 3)
    assert (delivery.state, delivery.pushed) == (State.FAILED, False)
    assert deliveries.get(1).to_dict()["label"] == "gagal"
