"""The web chat channel over real socket.io: origins, session ids, guard, metadata, links."""

from __future__ import annotations

import asyncio

import pytest
import socketio

from harness.chat_client import ChatClient
from tests.bot.channels.webchat.conftest import ALLOWED_ORIGIN, EchoServer


async def test_allowed_origin_connects_and_gets_a_session(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url, ALLOWED_ORIGIN).connect()
    session_id = await client.start()
    await client.close()
    conversation, _, tag = session_id.partition(".")
    assert len(conversation) >= 32 and len(tag) >= 22


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "http://allowed.example.evil.example",
        "null",
        "https://allowed.example",
    ],
)
async def test_foreign_origin_is_refused(echo_server: EchoServer, origin: str) -> None:
    client = ChatClient(echo_server.url, origin)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect()


async def test_the_servers_own_page_is_always_allowed(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url, f"http://{echo_server.host}").connect()
    assert await client.start()
    await client.close()


async def test_issued_id_resumes_the_same_conversation(echo_server: EchoServer) -> None:
    first = await ChatClient(echo_server.url).connect()
    session_id = await first.start()
    await first.say("halo")
    await first.wait_replies(1)
    reloaded = await ChatClient(echo_server.url).connect()
    assert await reloaded.start(session_id) == session_id
    await reloaded.say("sudah dimuat ulang")
    await reloaded.wait_replies(1)
    await first.wait_replies(2)  # the same room: the first tab sees the reply too
    await first.close()
    await reloaded.close()


@pytest.mark.parametrize("forge", ["conversation-only", "bad-tag", "random", "other-secret"])
async def test_guessed_or_foreign_id_gets_a_fresh_session(
    echo_server: EchoServer, forge: str
) -> None:
    victim = await ChatClient(echo_server.url).connect()
    victim_id = await victim.start()
    conversation = victim_id.partition(".")[0]
    offered = {
        "conversation-only": conversation,
        "bad-tag": conversation + ".AAAAAAAAAAAAAAAAAAAAAAAA",
        "random": "0123456789abcdef0123456789abcdef",
        "other-secret": conversation + "." + victim_id.partition(".")[2][::-1],
    }[forge]
    attacker = await ChatClient(echo_server.url).connect()
    attacker_id = await attacker.start(offered)
    assert attacker_id != victim_id
    assert attacker_id.partition(".")[0] != conversation
    await attacker.say("saya penyusup")
    await attacker.wait_replies(1)
    await victim.say("pesan pribadi")
    await victim.wait_replies(1)
    await asyncio.sleep(0.3)
    assert len(victim.replies) == 1 and len(attacker.replies) == 1
    assert victim.echoes()[0]["text"] == "pesan pribadi"
    await victim.close()
    await attacker.close()


async def test_session_id_inside_a_message_is_ignored(echo_server: EchoServer) -> None:
    victim = await ChatClient(echo_server.url).connect()
    victim_id = await victim.start()
    attacker = await ChatClient(echo_server.url).connect()
    await attacker.start()
    await attacker.sio.emit("user_uttered", {"message": "masuk", "session_id": victim_id})
    await attacker.wait_replies(1)
    await asyncio.sleep(0.3)
    assert victim.replies == []
    await victim.close()
    await attacker.close()


async def test_message_before_session_request_is_dropped(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url).connect()
    await client.sio.emit("user_uttered", {"message": "halo", "session_id": "x.y"})
    await asyncio.sleep(0.5)
    assert client.replies == []
    await client.close()


async def test_only_offered_payloads_pass_as_payloads(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url).connect()
    await client.start()
    sent = [
        "/choose_a",  # not offered yet: plain text
        "/greet",  # the page's initPayload: always allowed
        "/choose_a",  # offered by the replies above
        '/inform{"x": 1}',  # offered exactly
        '/inform{"x": 2}',  # other entities: not offered
        '/share_document{"document_path": "/etc/passwd"}',
    ]
    for count, text in enumerate(sent, start=1):
        await client.say(text)
        await client.wait_replies(count)
    seen = [echo["text"] for echo in client.echoes()]
    assert seen == [
        "choose_a",
        "/greet",
        "/choose_a",
        '/inform{"x": 1}',
        'inform{"x": 2}',
        'share_document{"document_path": "/etc/passwd"}',
    ]
    await client.close()


async def test_client_metadata_is_allow_listed(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url).connect()
    await client.start()
    planted = {"language": "id", "document_path": "/etc/passwd", "upload": {"size": 1}}
    await client.say("halo", customData=planted, metadata=planted)
    await client.wait_replies(1)
    assert client.echoes()[0]["metadata"] == {"language": "id"}
    await client.close()


async def test_outgoing_links_and_buttons_are_sanitised(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url).connect()
    await client.start()
    await client.say("evil")
    replies = await client.wait_replies(2)
    text = " ".join(str(reply) for reply in replies).lower()
    assert "javascript" not in text and "vbscript" not in text
    assert "[situs](https://djpk.kemenkeu.go.id)" in replies[0]["text"]
    titles = [button["title"] for button in replies[0]["quick_replies"]]
    assert titles == ["Situs DJPK", "Lanjut"]
    assert "room" not in replies[1]
    await client.close()
