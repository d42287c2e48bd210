"""Serving one Rasa input channel on a real local port, inside the running event loop."""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

Sanic.test_mode = True  # several apps per process (one per test)


class Recorder:
    """A stand-in for Rasa's agent: records UserMessages, optionally echoes or sleeps."""

    def __init__(self, echo: bool = True, delay: float = 0.0) -> None:
        self.messages: list[UserMessage] = []
        self.echo = echo
        self.delay = delay

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.echo:
            await message.output_channel.send_text_message(
                message.sender_id, f"echo: {message.text}"
            )


@asynccontextmanager
async def served(app: Sanic) -> AsyncIterator[str]:
    """Run a Sanic app on a free loopback port inside this event loop; yields its base URL."""
    app.config.ACCESS_LOG = False
    app.config.MOTD = False
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


@asynccontextmanager
async def serve(
    channel: InputChannel, on_new_message: Callable[[UserMessage], Awaitable[Any]]
) -> AsyncIterator[str]:
    """Run the channel's blueprint under /webhooks/<name>; yields the webhook URL."""
    app = Sanic(f"channel_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")
    async with served(app) as base:
        yield f"{base}/webhooks/{channel.name()}/webhook"
