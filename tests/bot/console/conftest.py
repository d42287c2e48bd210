"""Console fixtures: a console on a fresh SQLite database with three users and two tickets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
from rasa.core.channels.rest import RestInput

from bot.console.channel import ConsoleInput
from bot.console.services import ConsoleServices
from bot.settings import Settings
from bot.tickets.records import Ticket
from tests.bot.console.support import Client, FakeAgent, RecordingChannel, serve

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "kata-sandi-uji-123"
SECRET = "console-test-secret-0123456789abcdef"
XSS = '<script>alert("x")</script><img src=x onerror="alert(1)">'


@dataclass
class Console:
    """A running console and what the tests need to drive it."""

    url: str
    services: ConsoleServices
    agent: FakeAgent
    socketio: RecordingChannel
    web: Ticket  # livechat ticket, conversation "web-1"
    rest: Ticket  # REST ticket, conversation "rest-1"

    def client(self) -> Client:
        return Client(self.url)


def make_settings(tmp_path: Path) -> Settings:
    """Settings on a throwaway database and var/ folder, the real knowledge base."""
    return Settings(
        db_url=f"sqlite:///{tmp_path / 'djpk.db'}",
        kb_dir=ROOT / "knowledge_base",
        var_dir=tmp_path / "var",
        console_secret=SECRET,
        release_interval_s=0,  # the closing-time release runs when a test asks (/api/release)
    )


def open_ticket(
    services: ConsoleServices, conversation_id: str, channel: str, topic: str
) -> Ticket:
    """A ticket as the bot opens it, with the bot's part of the transcript."""
    now = datetime.now(timezone.utc)
    result = services.tickets.open_handoff(
        conversation_id=conversation_id,
        channel=channel,
        name="Budi Santoso",
        instansi="BPKAD Kab. Brebes",
        topic_text=topic,
        transcript=[("user", topic, now), ("bot", "Mohon tuliskan nama Bapak/Ibu.", now)],
        context={"faq_last_id": "dau-penyaluran-tahap-1"},
    )
    return result.ticket


@pytest.fixture
def services(tmp_path: Path) -> ConsoleServices:
    services = ConsoleServices(make_settings(tmp_path), bcrypt_rounds=4)
    units = [unit.slug for unit in services.units]
    services.users.add("agen1", PASSWORD, "agent")
    services.users.add("agen2", PASSWORD, "agent")
    services.users.add("spv", PASSWORD, "supervisor")
    services.users.add("pic-dtu", PASSWORD, "unit_pic", "dana-transfer-umum", units=units)
    services.users.add("pic-sek", PASSWORD, "unit_pic", "sekretariat", units=units)
    return services


@pytest.fixture
async def console(services: ConsoleServices) -> AsyncIterator[Console]:
    web = open_ticket(services, "web-1", "livechat", "dau tahap 1 belum cair " + XSS)
    rest = open_ticket(services, "rest-1", "rest", "pertanyaan pajak daerah")
    agent, socketio = FakeAgent(), RecordingChannel("socketio")
    agent.processor.start("web-1", "socketio")
    agent.processor.start("rest-1", "rest")
    channel = ConsoleInput(services.settings, services)
    async with serve(channel, agent, [socketio, RestInput()]) as url:
        yield Console(url, services, agent, socketio, web, rest)


@pytest.fixture
async def login(console: Console):
    """Log in as a user; every client is closed after the test."""
    clients: list[Client] = []

    async def as_user(username: str) -> Client:
        client = console.client()
        clients.append(client)
        status, _ = await client.login(username, PASSWORD)
        assert status == 200
        return client

    yield as_user
    for client in clients:
        await client.close()
