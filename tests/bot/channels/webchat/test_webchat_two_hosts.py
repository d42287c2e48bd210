"""Two web chat servers on one Redis (DJPK_SOCKETIO_REDIS_URL), as two hosts behind nginx: an
agent reply sent on the host that does not hold the user's socket reaches the user, and both
hosts know whether the user is connected."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import redis
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from bot.channels.webchat.channel import SecureSocketIOInput
from bot.channels.webchat.presence import RedisPresence
from bot.settings import Settings
from harness.chat_client import ChatClient
from harness.fakes.serving import served as served_app

SECRET = "test-secret-for-webchat-sessions"
REDIS_DB = 14


@pytest.fixture
def redis_url() -> str:
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis does not answer on 127.0.0.1:6379: {error}")
    client.flushdb()
    return url


async def ignore(_message: UserMessage) -> None:
    return None


@asynccontextmanager
async def host(channel: SecureSocketIOInput) -> AsyncIterator[str]:
    app = Sanic(f"webchat_host_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(ignore), url_prefix="/webhooks/socketio")
    async with served_app(app) as base:
        yield base


async def until(condition, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(condition):
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def test_a_reply_sent_on_the_other_host_reaches_the_user(
    tmp_path: Path, redis_url: str
) -> None:
    settings = Settings(
        db_url=f"sqlite:///{tmp_path / 'djpk.db'}",
        var_dir=tmp_path / "var",
        console_secret=SECRET,
        socketio_redis_url=redis_url,
    )
    one, two = SecureSocketIOInput(settings=settings), SecureSocketIOInput(settings=settings)
    async with host(one) as url_one, host(two):
        user = await ChatClient(url_one).connect()
        conversation = (await user.start()).partition(".")[0]
        await until(lambda: two.is_connected(conversation))

        output = two.get_output_channel()
        assert output is not None
        await output.send_text_message(conversation, "Balasan petugas dari host kedua.")
        replies = await user.wait_replies(1)
        assert [r["text"] for r in replies] == ["Balasan petugas dari host kedua."]

        await user.close()
        await until(lambda: not two.is_connected(conversation))
        assert not one.is_connected(conversation)


def test_a_dead_hosts_sockets_stop_counting_after_their_lifetime(redis_url: str) -> None:
    now = [1000.0]
    presence = RedisPresence(redis.Redis.from_url(redis_url), ttl=45, clock=lambda: now[0])
    presence.join("percakapan-1", "sid-a")
    assert presence.connected("percakapan-1")
    now[0] += 44
    assert presence.connected("percakapan-1")
    now[0] += 2  # the host never refreshed: it died
    assert not presence.connected("percakapan-1")
    presence.refresh([("percakapan-1", "sid-b")])  # a socket on a live host
    assert presence.connected("percakapan-1")
    presence.leave("percakapan-1", "sid-b")
    assert not presence.connected("percakapan-1")
