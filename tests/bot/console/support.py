"""Test doubles for the console: a Rasa agent stand-in, channels that record, an HTTP client."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot.console.channel import ConsoleInput
from harness.fakes.serving import served

Sanic.test_mode = True
CSAT_TEXT = "Bagaimana kepuasan Bapak/Ibu atas layanan petugas kami?"


class FakeProcessor:
    """The parts of rasa's MessageProcessor the console uses, on in-memory trackers."""

    def __init__(self) -> None:
        self.trackers: dict[str, DialogueStateTracker] = {}
        self.triggered: list[tuple[str, str]] = []

    def start(self, conversation_id: str, input_channel: str, text: str = "halo") -> None:
        """A conversation whose user last wrote on `input_channel`."""
        tracker = DialogueStateTracker(conversation_id, slots=[])
        tracker.update(UserUttered(text, {"name": "greet"}, input_channel=input_channel))
        self.trackers[conversation_id] = tracker

    async def get_tracker(self, conversation_id: str) -> DialogueStateTracker:
        return self.trackers.setdefault(
            conversation_id, DialogueStateTracker(conversation_id, slots=[])
        )

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        self.trackers[tracker.sender_id] = tracker

    async def trigger_external_user_uttered(
        self, intent: str, entities: Any, tracker: DialogueStateTracker, output: Any
    ) -> None:
        """Like Rasa with the hand-off rule: the external intent makes the bot ask for CSAT."""
        self.triggered.append((tracker.sender_id, intent))
        tracker.update(UserUttered.create_external(intent, [], tracker.get_latest_input_channel()))
        await output.send_text_message(tracker.sender_id, CSAT_TEXT)


class FakeAgent:
    """rasa.core.agent.Agent as the console sees it: a lock store and a processor."""

    def __init__(self) -> None:
        self.lock_store = InMemoryLockStore()
        self.processor = FakeProcessor()


class RecordingChannel(InputChannel):
    """An input channel (socketio by default) whose output channel records what it sends."""

    def __init__(self, channel_name: str = "socketio") -> None:
        self.channel_name = channel_name
        self.output = CollectingOutputChannel()

    def name(self) -> str:  # type: ignore[override]
        return self.channel_name

    def get_output_channel(self) -> CollectingOutputChannel:
        return self.output

    def sent_to(self, recipient: str) -> list[str]:
        """Texts sent to one conversation."""
        return [m["text"] for m in self.output.messages if m["recipient_id"] == recipient]


class Client:
    """An aiohttp session against the console, keeping the cookie and the CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.csrf = ""

    async def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        headers: dict | None = None,
        csrf: bool = True,
    ) -> tuple[int, Any, aiohttp.ClientResponse]:
        headers = dict(headers or {})
        if method == "POST" and csrf and self.csrf:
            headers.setdefault("X-CSRF-Token", self.csrf)
        async with self.http.request(
            method, self.base + path, json=json, headers=headers, allow_redirects=False
        ) as response:
            text = await response.text()
            try:
                data = await response.json(content_type=None)
            except ValueError:
                data = text
            response.raw_text = text  # type: ignore[attr-defined]
            return response.status, data, response

    async def get(self, path: str) -> tuple[int, Any]:
        status, data, _ = await self.request("GET", path)
        return status, data

    async def post(self, path: str, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
        status, data, _ = await self.request("POST", path, json=body or {}, **kwargs)
        return status, data

    async def login(self, username: str, password: str) -> tuple[int, Any]:
        status, data = await self.post("/login", {"username": username, "password": password})
        if status == 200:
            self.csrf = data["csrf_token"]
        return status, data

    async def close(self) -> None:
        await self.http.close()


@asynccontextmanager
async def serve(
    console: ConsoleInput, agent: Any = None, channels: list[InputChannel] | None = None
) -> AsyncIterator[str]:
    """Serve the console under /webhooks/console with a stand-in agent; yields the base URL."""
    app = Sanic(f"console_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(console.blueprint(lambda _m: None), url_prefix="/webhooks/console")
    app.ctx.agent = agent
    app.ctx.input_channels = [console, *(channels or [])]
    async with served(app) as base:
        yield f"{base}/webhooks/console"
