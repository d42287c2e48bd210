"""Every door of one Rasa-built server, from outside: oversize bodies and over-long messages are
refused fast (REST, socket.io, WhatsApp, the console), the app-wide body limit is Sanic's
REQUEST_MAX_SIZE lowered by the REST channel, and the largest legitimate body still passes."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from rasa.core.run import configure_app
from sanic import Sanic

from bot.channels import length
from bot.channels.rest import APP_BODY_LIMIT, CappedRestInput
from bot.channels.webchat.channel import SecureSocketIOInput
from bot.channels.webchat.uploads import MAX_BYTES
from bot.channels.whatsapp import WhatsAppInput
from bot.console.channel import ConsoleInput
from bot.console.services import ConsoleServices
from bot.settings import Settings
from harness.chat_client import ChatClient
from harness.fakes import webhooks as wh
from harness.fakes.serving import Recorder, served
from tests.bot.channels.support import SECRET as APP_SECRET

pytestmark = pytest.mark.asyncio

ROOT = Path(__file__).resolve().parents[3]
FAST = 2.0  # seconds: "refused fast", generous on a shared 2-core machine
TOKEN = "doors-rest-token"
ORIGIN = "http://doors.example"
PASSWORD = "kata-sandi-pintu-123"
LONG = "mohon info dana alokasi umum " * 700  # 20,300 characters
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class EchoAgent:
    """What the channels need of Rasa's agent: handle_message (echoes, records) and is_ready
    (False: the length gate then answers without a tracker to record into)."""

    def __init__(self) -> None:
        self.bot = Recorder(echo=True)

    def is_ready(self) -> bool:
        return False

    async def handle_message(self, message: UserMessage) -> None:
        await self.bot(message)


@dataclass
class Doors:
    """The running server and its parts."""

    app: Sanic
    base: str
    port: int
    agent: EchoAgent
    webchat: SecureSocketIOInput
    ticket_id: int


@pytest.fixture
async def doors(channel: WhatsAppInput, db_url: str, tmp_path: Path) -> AsyncIterator[Doors]:
    """REST, socket.io, WhatsApp and the console in one app, built the way `rasa run` builds it."""
    settings = Settings(
        db_url=db_url,
        kb_dir=ROOT / "knowledge_base",
        var_dir=tmp_path / "var",
        allowed_origins=(ORIGIN,),
        console_secret="doors-console-secret-0123456789abcdef",
    )
    services = ConsoleServices(settings, bcrypt_rounds=4)
    services.users.add("agen1", PASSWORD, "agent")
    now = datetime.now(timezone.utc)
    ticket = services.tickets.open_handoff(
        conversation_id="web-1",
        channel="livechat",
        name="Budi",
        instansi="BPKAD Kab. Brebes",
        topic_text="dau tahap 1",
        transcript=[("user", "dau tahap 1", now)],
        context={},
    ).ticket
    webchat = SecureSocketIOInput(settings=settings)
    rest = CappedRestInput(token=TOKEN, db_url=db_url)
    app = configure_app(
        [rest, webchat, channel, ConsoleInput(settings, services)], enable_api=False
    )
    app.ctx.agent = agent = EchoAgent()
    async with served(app) as base:
        port = int(base.rsplit(":", 1)[1])
        yield Doors(app, base, port, agent, webchat, ticket.id)


async def declared(doors: Doors, path: str, size: int, headers: dict[str, str]) -> int:
    """The status of a POST that declares `size` bytes and sends only the first 64 KB."""
    reader, writer = await asyncio.open_connection("127.0.0.1", doors.port)
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {size}"]
    lines += [f"{key}: {value}" for key, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + b"x" * 65536)
    try:
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), FAST)  # answered fast, or fails
    finally:
        writer.close()
    return int(status_line.split()[1])


async def timed_post(url: str, data: Any, headers: dict[str, str]) -> tuple[int, Any, float]:
    """Status, decoded body and seconds of one POST."""
    started = time.monotonic()
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5 * FAST)) as http,
        http.post(url, data=data, headers=headers) as response,
    ):
        text = await response.text()
    try:
        body = json.loads(text)
    except ValueError:
        body = text
    return response.status, body, time.monotonic() - started


async def test_the_rest_channel_lowers_the_whole_apps_body_limit(doors: Doors) -> None:
    assert doors.app.config.REQUEST_MAX_SIZE == APP_BODY_LIMIT == MAX_BYTES + 64 * 1024
    too_big = APP_BODY_LIMIT + 1
    web = {"Origin": ORIGIN, "Content-Type": "text/plain"}
    # Routes whose body Sanic reads for the handler (no limit of their own) get Sanic's 413:
    assert await declared(doors, "/socket.io/?EIO=4&transport=polling", too_big, web) == 413
    assert await declared(doors, "/webhooks/console/logout", too_big, {}) == 413
    # Streamed routes refuse by their own, lower limits:
    rest = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    assert await declared(doors, "/webhooks/rest/webhook", length.BODY_LIMIT + 1, rest) == 413
    meta = {"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=00"}
    whatsapp = length.WHATSAPP_BODY_LIMIT + 1
    assert await declared(doors, "/webhooks/whatsapp/webhook", whatsapp, meta) == 413
    assert await declared(doors, "/webchat/upload", too_big, {"Origin": ORIGIN}) == 413
    assert doors.agent.bot.messages == []


async def test_the_largest_legitimate_body_still_passes(doors: Doors) -> None:
    form = aiohttp.FormData()
    form.add_field("session_id", doors.webchat.signer.issue())
    form.add_field("file", PDF.ljust(MAX_BYTES), filename="surat.pdf")
    status, body, _ = await timed_post(f"{doors.base}/webchat/upload", form, {"Origin": ORIGIN})
    assert status == 202, body
    for _ in range(100):
        if doors.agent.bot.messages:
            break
        await asyncio.sleep(0.05)
    (message,) = doors.agent.bot.messages
    assert message.metadata["size"] == MAX_BYTES


async def test_rest_refuses_a_big_body_and_caps_a_long_message_fast(doors: Doors) -> None:
    url = f"{doors.base}/webhooks/rest/webhook"
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    huge = json.dumps({"sender": "u1", "message": "a" * (5 * 1024 * 1024)})
    status, body, took = await timed_post(url, huge, headers)
    assert (status, body["error"]) == (413, "payload_too_large") and took < FAST
    said = json.dumps({"sender": "u1", "message": LONG})
    status, body, took = await timed_post(url, said, headers)
    assert (status, body) == (200, [{"recipient_id": "u1", "text": length.reply()}])
    assert took < FAST and doors.agent.bot.messages == []


async def test_socketio_refuses_a_big_packet_and_caps_a_long_message_fast(doors: Doors) -> None:
    client = await ChatClient(doors.base, origin=ORIGIN).connect()
    try:
        await client.start()
        started = time.monotonic()
        await client.say(LONG)
        (reply,) = await client.wait_replies(1, timeout=FAST)
        assert reply["text"] == length.reply() and time.monotonic() - started < FAST
    finally:
        await client.close()
    async with aiohttp.ClientSession() as http:
        url = f"{doors.base}/socket.io/?EIO=4&transport=polling"
        async with http.get(url, headers={"Origin": ORIGIN}) as response:
            sid = json.loads((await response.text())[1:])["sid"]
        # Over max_http_buffer_size: refused by Sanic before it is read (engine.io's own
        # refusal waited for this client's next poll, 60 s and a 503 for one that never polls).
        packet = "4" + "x" * length.BODY_LIMIT
        status, _, took = await timed_post(f"{url}&sid={sid}", packet, {"Origin": ORIGIN})
        assert status == 413 and took < FAST
    assert sid in doors.webchat.sio.eio.sockets  # engine.io never saw it: the session lives on
    assert doors.agent.bot.messages == []


async def test_whatsapp_refuses_a_big_body_fast(doors: Doors) -> None:
    raw, headers = wh.encode(wh.delivery([wh.text("a" * 5 * 1024 * 1024)]), APP_SECRET)
    status, body, took = await timed_post(f"{doors.base}/webhooks/whatsapp/webhook", raw, headers)
    assert status == 413 and "terlalu panjang" in body["message"] and took < FAST


async def test_the_console_refuses_a_long_reply_and_a_big_body_fast(doors: Doors) -> None:
    base = f"{doors.base}/webhooks/console"
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        login = {"username": "agen1", "password": PASSWORD}
        async with http.post(f"{base}/login", json=login) as response:
            csrf = (await response.json())["csrf_token"]
        headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}
        ticket = f"{base}/api/tickets/{doors.ticket_id}"
        async with http.post(f"{ticket}/claim", json={}, headers=headers) as response:
            assert response.status == 200
        for text, status in (("x" * (length.MAX_CHARS + 1), 400), ("x" * 70_000, 413)):
            started = time.monotonic()
            payload = json.dumps({"text": text})
            async with http.post(f"{ticket}/reply", data=payload, headers=headers) as response:
                error = (await response.json())["error"]
                assert response.status == status, error
            assert time.monotonic() - started < FAST
            assert "terlalu" in error
