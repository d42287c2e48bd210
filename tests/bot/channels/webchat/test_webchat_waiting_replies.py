"""A live-chat user who is away gets the agent's replies when the session comes back."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.webchat.channel import SecureSocketIOInput
from bot.console.bridge import ConversationBridge
from bot.delivery.records import State
from bot.settings import Settings
from harness.chat_client import ChatClient
from harness.fakes.serving import served as served_app
from tests.bot.console.support import FakeAgent

SECRET = "test-secret-for-webchat-sessions"


async def ignore(_message: UserMessage) -> None:
    return None


@asynccontextmanager
async def served(channel: SecureSocketIOInput) -> AsyncIterator[str]:
    """The web chat channel alone under /webhooks/socketio; yields the base URL."""
    app = Sanic(f"webchat_wait_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(ignore), url_prefix="/webhooks/socketio")
    async with served_app(app) as base:
        yield base


async def until(condition, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_replies_sent_while_away_arrive_on_reconnect(tmp_path: Path) -> None:
    settings = Settings(
        db_url=f"sqlite:///{tmp_path / 'djpk.db'}", var_dir=tmp_path / "var", console_secret=SECRET
    )
    channel = SecureSocketIOInput(settings=settings)
    agent = FakeAgent()
    async with served(channel) as url:
        first = await ChatClient(url).connect()
        session_id = await first.start()
        conversation = session_id.partition(".")[0]
        agent.processor.start(conversation, "socketio")
        bridge = ConversationBridge(agent, [channel], channel.deliveries)

        now = await bridge.send(conversation, "Selamat siang, saya Rina.", "rina", 1, 4)
        assert now.state is State.SENT
        await first.wait_replies(1)
        await first.close()
        await until(lambda: not channel.is_connected(conversation))

        for message_id, text in ((2, "Data DAU sudah kami cek."), (3, "Sudah cair tanggal ini.")):
            away = await bridge.send(conversation, text, "rina", message_id, 4)
            assert (away.state, away.pushed) == (State.QUEUED, False)
        assert channel.deliveries.get(2).state is State.QUEUED

        back = await ChatClient(url).connect()
        assert await back.start(session_id) == session_id
        replies = await back.wait_replies(2)
        assert [r["text"] for r in replies] == [
            "Data DAU sudah kami cek.",
            "Sudah cair tanggal ini.",
        ]
        await back.close()
    assert [d.state for d in channel.deliveries.for_ticket(4).values()] == [State.SENT] * 3

    stranger = SecureSocketIOInput(settings=settings)
    async with served(stranger) as url:  # a fresh session of someone else gets nothing
        other = await ChatClient(url).connect()
        await other.start()
        await asyncio.sleep(0.3)
        assert other.replies == []
        await other.close()
