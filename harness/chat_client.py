"""A small socket.io client for the web chat tests: connect, confirm a session, chat."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import socketio


class ChatClient:
    """One browser tab's worth of socket.io: the events the rasa-webchat widget uses."""

    def __init__(self, url: str, origin: str | None = None) -> None:
        self.url = url
        self.origin = origin
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: list[dict[str, Any]] = []
        self.session_id: str | None = None
        self._confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.sio.on("bot_uttered", self.replies.append)
        self.sio.on("session_confirm", self._confirmed.put_nowait)

    async def connect(self) -> ChatClient:
        """Connect over long polling (the test venv's aiohttp is too old for engineio's ws)."""
        headers = {"Origin": self.origin} if self.origin else {}
        await self.sio.connect(self.url, headers=headers, transports=["polling"])
        return self

    async def start(self, session_id: str | None = None) -> str:
        """Send session_request (optionally offering an id) and return the confirmed id."""
        await self.sio.emit("session_request", {"session_id": session_id})
        self.session_id = await asyncio.wait_for(self._confirmed.get(), 10)
        return self.session_id

    async def say(self, text: str, **extra: Any) -> None:
        """Send one user message as the widget does."""
        data = {"message": text, "session_id": self.session_id, **extra}
        await self.sio.emit("user_uttered", data)

    async def wait_replies(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait until at least `count` bot messages arrived; returns them all."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.replies) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{len(self.replies)} of {count} replies: {self.replies}")
            await asyncio.sleep(0.02)
        return self.replies

    def echoes(self) -> list[dict[str, Any]]:
        """The echo bot's replies decoded: [{"text": ..., "metadata": ...}, ...]."""
        return [
            json.loads(reply["text"].removeprefix("echo "))
            for reply in self.replies
            if reply.get("text", "").startswith("echo ")
        ]

    async def close(self) -> None:
        """Disconnect."""
        await self.sio.disconnect()
