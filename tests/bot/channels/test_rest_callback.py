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


async def test_a_reservation_decision_reaches_the_callback_url(
    callback: CallbackServer, tmp_path: Path
) -> None:
    """Confirmed in the console, the decision is POSTed to the REST user's callback, signed, and
    its delivery shows on the transcript line."""
    from datetime import timedelta

    from bot.console.channel import ConsoleInput
    from bot.console.services import ConsoleServices
    from bot.tickets import taxonomy as keys
    from bot.tickets.taxonomy import Topic
    from tests.bot.console.conftest import PASSWORD, make_settings
    from tests.bot.console.support import Client, serve

    services = ConsoleServices(make_settings(tmp_path), bcrypt_rounds=4)
    services.users.add("agen1", PASSWORD, "agent")
    ticket = services.tickets.open_handoff(
        conversation_id="rest-7",
        channel="rest",
        name="Budi",
        instansi="BPKAD Kab. Brebes",
        topic_text="Reservasi video conference: DBH",
        topic=Topic.RESERVASI,
        pause=False,
        context={keys.RESERVATION: keys.VIDEO, keys.SCHEDULE: "2099-01-01", keys.ATTENDEES: 3.0},
    ).ticket
    day = services.tickets.clock().date() + timedelta(days=7)
    while not services.tickets.reservation_policy.is_working_day(day):
        day += timedelta(days=1)
    rest = CappedRestInput(token=TOKEN, callback_url=callback.url)
    console = ConsoleInput(services.settings, services)
    async with serve(console, rest_conversation(), [rest]) as url:
        client = Client(url)
        try:
            assert (await client.login("agen1", PASSWORD))[0] == 200
            assert (await client.post(f"/api/tickets/{ticket.id}/claim"))[0] == 200
            body = {"date": day.isoformat(), "time": "10.00", "mode": "video_conference"}
            body["link"] = "https://teams.example/rapat-rest"
            status, data = await client.post(f"/api/tickets/{ticket.id}/reservation/confirm", body)
            assert status == 200, data
            assert data["message"]["delivery"]["state"] == "sent"
            [(message, signature, raw)] = callback.received
            assert message["recipient_id"] == "rest-7"
            assert "telah kami konfirmasi" in message["text"] and "rapat-rest" in message["text"]
            assert signature == sign(raw, TOKEN)
            detail = (await client.get(f"/api/tickets/{ticket.id}"))[1]
            assert detail["messages"][-1]["delivery"]["state"] == "sent"

            callback.answer = 500  # the user's system is down: shown failed, sent again later
            status, data = await client.post(
                f"/api/tickets/{ticket.id}/reservation/decline", {"reason": "kuota penuh"}
            )
            assert (status, data["message"]["delivery"]["state"]) == (200, "failed")
            callback.answer = 200
            retry = f"/api/tickets/{ticket.id}/messages/{data['message']['id']}/retry"
            status, again = await client.post(retry)
            assert (status, again["delivery"]["state"]) == (200, "sent")
            assert "kuota penuh" in callback.received[-1][0]["text"]
        finally:
            await client.close()
