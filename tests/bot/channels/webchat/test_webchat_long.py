"""The web chat and the length cap: one polite line instead of the bot, over real socket.io."""

from __future__ import annotations

import asyncio

from bot.channels import length
from harness.chat_client import ChatClient
from tests.bot.channels.webchat.conftest import EchoServer

LONG = "mohon info dana alokasi umum " * 700


async def test_a_long_message_gets_the_polite_line_and_the_next_one_the_bot(
    echo_server: EchoServer,
) -> None:
    client = await ChatClient(echo_server.url).connect()
    await client.start()
    await client.say(LONG)
    (reply,) = await client.wait_replies(1)
    assert reply["text"] == length.reply()
    await client.say("a" * length.MAX_CHARS)
    await client.wait_replies(2)
    await asyncio.sleep(0.2)
    await client.close()
    assert [echo["text"] for echo in client.echoes()] == ["a" * length.MAX_CHARS]
    assert len(client.replies) == 2


async def test_a_long_slash_text_is_capped_not_read_as_an_intent(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url).connect()
    await client.start()
    await client.say('/inform{"user_name": "' + "x" * 3000 + '"}')
    (reply,) = await client.wait_replies(1)
    await client.close()
    assert reply["text"] == length.reply()
    assert client.echoes() == []


async def test_the_packet_limit_is_the_body_limit_and_past_it_the_server_carries_on(
    echo_server: EchoServer,
) -> None:
    near = await ChatClient(echo_server.url).connect()
    await near.start()
    await near.say("x" * (length.BODY_LIMIT - 4096))  # over engine.io's default of 1,000,000
    (reply,) = await near.wait_replies(1)
    assert reply["text"] == length.reply()
    await near.close()
    client = await ChatClient(echo_server.url).connect()
    await client.start()
    await client.say("x" * (length.BODY_LIMIT + 1))
    await asyncio.sleep(0.5)
    assert client.replies == []
    await client.close()
    fresh = await ChatClient(echo_server.url).connect()
    await fresh.start()
    await fresh.say("halo")
    await fresh.wait_replies(1)
    await fresh.close()
    assert [echo["text"] for echo in fresh.echoes()] == ["halo"]
