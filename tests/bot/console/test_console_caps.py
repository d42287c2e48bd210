"""The console's caps from outside, on a real server: an agent's reply is held to the message cap
every channel applies (DJPK_MAX_MESSAGE_CHARS), and request bodies to 64 KB before they are read."""

from __future__ import annotations

import asyncio
import time

import aiohttp
from rasa.shared.core.events import BotUttered

from bot.console.responses import MAX_BODY

FAST = 2.0  # seconds: "refused fast", a generous bound on a shared machine
LIMIT = 2000  # Settings.max_message_chars, what the console fixture's settings use


async def timed(coroutine):
    """The coroutine's result and how long it took."""
    started = time.monotonic()
    result = await coroutine
    return result, time.monotonic() - started


async def test_a_reply_over_the_message_cap_is_refused_with_a_message_and_not_sent(
    console, login
) -> None:
    client = await login("agen1")
    base = f"/api/tickets/{console.web.id}"
    await client.post(f"{base}/claim")
    before = len(console.services.tickets.messages(console.web.id))
    (status, data), took = await timed(client.post(f"{base}/reply", {"text": "x" * (LIMIT + 1)}))
    assert status == 400 and took < FAST
    assert data["error"].startswith("Balasan terlalu panjang (2.001 karakter; maksimal 2.000)")
    assert console.socketio.sent_to("web-1") == []
    assert len(console.services.tickets.messages(console.web.id)) == before
    events = console.agent.processor.trackers["web-1"].events
    assert not any(isinstance(e, BotUttered) for e in events)

    padded = "  " + "y" * LIMIT + "\n"  # trimmed first, as the user channels do
    status, data = await client.post(f"{base}/reply", {"text": padded})
    assert status == 200 and data["delivery"]["pushed"]
    assert console.socketio.sent_to("web-1") == ["y" * LIMIT]


async def test_the_page_learns_the_cap_from_meta(console, login) -> None:
    client = await login("agen1")
    status, meta = await client.get("/api/meta")
    assert (status, meta["max_reply_chars"]) == (200, LIMIT)


async def test_a_body_over_64_kb_is_refused_with_413_before_it_is_read(console, login) -> None:
    client = await login("agen1")
    base = f"/api/tickets/{console.web.id}"
    await client.post(f"{base}/claim")
    huge = {"text": "x" * (MAX_BODY + 1)}
    for path in (f"{base}/reply", f"{base}/note"):
        (status, data), took = await timed(client.post(path, huge))
        assert status == 413 and took < FAST, path
        assert data["error"] == "Permintaan terlalu besar (lebih dari 64 KB)."
    status, data = await client.post(f"{base}/note", {"text": "masih jalan"})
    assert (status, data["event"]["detail"]) == (200, "masih jalan")
    assert console.socketio.sent_to("web-1") == []


async def test_login_bodies_are_capped_too(console) -> None:
    client = console.client()
    try:
        big = {"username": "agen1", "password": "p" * (MAX_BODY + 1)}
        (status, data), took = await timed(client.post("/login", big))
        assert (status, took < FAST) == (413, True)
        assert "terlalu besar" in data["error"]
    finally:
        await client.close()


async def test_a_stranger_streaming_megabytes_gets_401_without_the_body_being_read(
    console,
) -> None:
    sent = 0

    async def endless():
        nonlocal sent
        for _ in range(64):  # 64 MB if the server read it all
            sent += 1
            yield b"x" * (1024 * 1024)
            await asyncio.sleep(0)

    url = f"{console.url}/api/tickets/{console.web.id}/reply"
    async with aiohttp.ClientSession() as http:
        started = time.monotonic()
        try:
            async with http.post(url, data=endless()) as response:
                status = response.status
        except aiohttp.ClientError:  # the server may close while the client is still sending
            status = None
        took = time.monotonic() - started
    assert status in (401, None) and took < FAST
    assert sent < 64
