"""The Deskpro mirror against a local fake: request shape, retries with backoff, nothing dropped."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from bot.console.channel import ConsoleInput
from bot.console.deskpro import DeskproClient, DeskproMirror
from bot.console.outbox import DeskproOutbox
from bot.console.services import ConsoleServices
from bot.db import engine_for, make_engine, upgrade
from bot.tickets.records import NewTicket
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel
from harness.fakes.fake_deskpro import FakeDeskpro
from tests.bot.console.conftest import PASSWORD, XSS, open_ticket
from tests.bot.console.support import Client, serve

KEY = "7:FAKEKEYFORTESTS"


class Clock:
    """Real time at the start, then moved by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def fake():
    with FakeDeskpro(key=KEY) as server:
        yield server


@pytest.fixture
def clock() -> Clock:
    return Clock()


def mirror_for(services: ConsoleServices, url: str, clock: Clock, key: str = KEY) -> DeskproMirror:
    outbox = DeskproOutbox(engine_for(services.settings.db_url), clock)
    retry = lambda attempts: timedelta(seconds=10 * attempts)  # noqa: E731
    return DeskproMirror(outbox, DeskproClient(url, key), services.tickets, retry_in=retry)


def test_each_ticket_is_created_once_in_the_v2_shape(services, fake, clock) -> None:
    web = open_ticket(services, "web-1", "livechat", "dau belum cair " + XSS)
    wa = open_ticket(services, "6281234", "whatsapp", "jadwal bimtek sipd")
    mirror = mirror_for(services, fake.url, clock)
    assert mirror.run_once() == 2
    assert mirror.run_once() == 0
    created = {t["subject"].split("]")[0][1:]: t for t in fake.tickets()}
    assert set(created) == {web.number, wa.number}
    body = created[web.number]
    assert body["status"] == "awaiting_agent"
    assert body["person"]["name"] == "Budi Santoso" and "@" in body["person"]["email"]
    assert body["message"]["format"] == "html"
    assert (
        "<script" not in body["message"]["message"]
        and "&lt;script&gt;" in body["message"]["message"]
    )
    assert "Kab. Brebes" in body["message"]["message"]
    assert {"djpk-assistant", "kanal-livechat", "topik-DAU"} <= set(body["labels"])
    attempt = fake.attempts()[0]
    assert attempt["headers"]["authorization"] == f"key {KEY}"
    assert attempt["headers"]["content-type"] == "application/json"
    assert mirror.outbox.status() == {"sent": 2, "waiting": 0, "failing": 0, "last_error": None}


def test_failures_are_retried_with_backoff_until_sent(services, fake, clock) -> None:
    first = open_ticket(services, "c-1", "livechat", "pertanyaan satu")
    second = open_ticket(services, "c-2", "livechat", "pertanyaan dua")
    fake.fail(503, times=3)
    mirror = mirror_for(services, fake.url, clock)
    assert mirror.run_once() == 2  # both fail
    assert mirror.outbox.status()["failing"] == 2
    assert mirror.run_once() == 0  # not due yet: nothing is hammered
    clock.now += timedelta(seconds=11)
    assert mirror.run_once() == 2  # one more failure, one success
    clock.now += timedelta(seconds=11)
    assert mirror.run_once() == 0  # the second failure waits 20 s
    clock.now += timedelta(seconds=10)
    assert mirror.run_once() == 1
    assert sorted(t["subject"][1:19] for t in fake.tickets()) == [first.number, second.number]
    assert [a["status"] for a in fake.attempts()] == [503, 503, 503, 201, 201]
    assert mirror.outbox.status()["waiting"] == 0


def test_a_refused_request_is_kept_not_dropped(services, fake, clock) -> None:
    ticket = open_ticket(services, "c-1", "livechat", "pertanyaan")
    wrong = mirror_for(services, fake.url, clock, key="1:WRONG")
    wrong.run_once()
    status = wrong.outbox.status()
    assert (status["waiting"], status["failing"]) == (1, 1)
    assert "HTTP 401" in status["last_error"]
    clock.now += timedelta(seconds=11)
    assert mirror_for(services, fake.url, clock).run_once() == 1
    assert [t["subject"][1:19] for t in fake.tickets()] == [ticket.number]


def test_an_unreachable_helpdesk_is_retried(services, clock) -> None:
    open_ticket(services, "c-1", "livechat", "pertanyaan")
    down = FakeDeskpro(key=KEY)
    url = down.url
    down.stop()  # nobody listens there now
    mirror = mirror_for(services, url, clock)
    mirror.client.timeout = 2
    mirror.run_once()
    assert "network" in mirror.outbox.status()["last_error"]
    with FakeDeskpro(key=KEY) as fake:
        clock.now += timedelta(seconds=11)
        assert mirror_for(services, fake.url, clock).run_once() == 1
        assert len(fake.tickets()) == 1


def test_a_leased_row_is_not_sent_by_a_second_server(services, fake, clock) -> None:
    open_ticket(services, "c-1", "livechat", "pertanyaan")
    one, two = mirror_for(services, fake.url, clock), mirror_for(services, fake.url, clock)
    one.outbox.enqueue_new()
    two.outbox.enqueue_new()  # queued once, however many servers scan
    assert len(one.outbox.lease_due()) == 1
    assert two.outbox.lease_due() == []


async def test_the_channel_runs_the_mirror_when_configured(services, fake) -> None:
    settings = replace(services.settings, deskpro_url=fake.url, deskpro_api_key=KEY)
    console = ConsoleInput(settings, services, mirror_interval=0.1)
    async with serve(console) as url:
        assert console.mirror is not None
        ticket = await asyncio.to_thread(open_ticket, services, "c-9", "whatsapp", "halo")
        for _ in range(100):
            if fake.tickets():
                break
            await asyncio.sleep(0.1)
        assert [t["subject"][1:19] for t in fake.tickets()] == [ticket.number]
        supervisor = Client(url)
        await supervisor.login("spv", PASSWORD)
        status, mirror = await supervisor.get("/api/deskpro")
        await supervisor.close()
        assert (status, mirror["enabled"], mirror["sent"], mirror["waiting"]) == (200, True, 1, 0)
    assert console.mirror.stopped.is_set()


async def test_no_mirror_without_settings(services) -> None:
    console = ConsoleInput(services.settings, services)
    async with serve(console):
        assert console.mirror is None


def test_a_crash_between_create_and_recording_makes_no_second_ticket(
    services, fake, clock, monkeypatch
) -> None:
    ticket = open_ticket(services, "c-1", "livechat", "pertanyaan")
    crashing = mirror_for(services, fake.url, clock)

    def crash(*_: object) -> None:
        raise RuntimeError("process killed before the result was recorded")

    monkeypatch.setattr(crashing.outbox, "sent", crash)
    with pytest.raises(RuntimeError):
        crashing.run_once()
    assert len(fake.tickets()) == 1
    restarted = mirror_for(services, fake.url, clock)
    assert restarted.run_once() == 0  # the lease still holds
    clock.now += restarted.batch_lease + timedelta(seconds=1)
    assert restarted.run_once() == 1
    assert len(fake.tickets()) == 1 and len(fake.attempts()) == 1
    assert fake.lookups() == [f"djpk-key-{ticket.number.lower()}"]
    assert restarted.outbox.status() == {"sent": 1, "waiting": 0, "failing": 0, "last_error": None}


def test_an_answer_lost_after_deskpro_created_the_ticket_is_not_created_again(
    services, fake, clock
) -> None:
    ticket = open_ticket(services, "c-1", "livechat", "pertanyaan")
    fake.fail(504, times=1, after_create=True)
    mirror = mirror_for(services, fake.url, clock)
    mirror.run_once()
    assert "HTTP 504" in mirror.outbox.status()["last_error"]
    clock.now += timedelta(seconds=11)
    assert mirror.run_once() == 1
    (created,) = fake.tickets()
    assert f"djpk-key-{ticket.number.lower()}" in created["labels"]
    assert [a["status"] for a in fake.attempts()] == [504]
    assert fake.attempts()[0]["headers"]["idempotency-key"] == f"djpk-key-{ticket.number.lower()}"
    assert mirror.outbox.status()["sent"] == 1


def test_the_first_try_of_a_row_does_not_look_up(services, fake, clock) -> None:
    open_ticket(services, "c-1", "livechat", "pertanyaan")
    assert mirror_for(services, fake.url, clock).run_once() == 1
    assert fake.lookups() == [] and len(fake.tickets()) == 1


def test_the_lease_outlives_a_slow_batch(services, fake, clock) -> None:
    for n in range(6):
        open_ticket(services, f"c-{n}", "livechat", f"pertanyaan {n}")
    mirror, other = mirror_for(services, fake.url, clock), mirror_for(services, fake.url, clock)
    create, taken = mirror.client.create_ticket, []

    def slow_create(payload, key=None):
        clock.now += timedelta(seconds=mirror.client.timeout * 2)  # every call at its timeout
        taken.append(len(other.outbox.lease_due(10, other.batch_lease)))
        return create(payload, key)

    mirror.client.create_ticket = slow_create
    assert mirror.run_once() == 6
    assert taken == [0] * 6  # 180 s into the batch, no row was free for a second server
    assert len(fake.tickets()) == 6
    assert mirror.batch_lease >= timedelta(seconds=10 * 2 * 15)


def test_a_lease_taken_over_is_not_renewed(services, fake, clock) -> None:
    open_ticket(services, "c-1", "livechat", "pertanyaan")
    one, two = mirror_for(services, fake.url, clock), mirror_for(services, fake.url, clock)
    one.outbox.enqueue_new()
    (item,) = one.outbox.lease_due(10, timedelta(seconds=30))
    assert not item.tried
    clock.now += timedelta(seconds=5)
    renewed = one.outbox.renew(item, timedelta(seconds=30))
    assert renewed is not None and renewed.locked_until > item.locked_until
    clock.now += timedelta(seconds=31)
    (again,) = two.outbox.lease_due(10, timedelta(seconds=30))
    assert again.tried  # leased before without a result: the next sender looks it up first
    assert one.outbox.renew(renewed, timedelta(seconds=30)) is None
    assert two.outbox.renew(again, timedelta(seconds=30)) is not None


@pytest.mark.postgres
def test_lease_renewal_on_postgresql(postgres_url: str, clock) -> None:
    engine = make_engine(postgres_url)
    upgrade(engine)
    try:
        SqlTicketStore(engine).create_for_conversation(NewTicket("c-1", Channel.WHATSAPP), clock())
        one, two = DeskproOutbox(engine, clock), DeskproOutbox(engine, clock)
        one.enqueue_new()
        (item,) = one.lease_due(10, timedelta(seconds=30))
        clock.now += timedelta(seconds=5)
        renewed = one.renew(item, timedelta(seconds=30))
        assert renewed is not None
        clock.now += timedelta(seconds=31)
        (again,) = two.lease_due(10, timedelta(seconds=30))
        assert again.tried and one.renew(renewed, timedelta(seconds=30)) is None
    finally:
        engine.dispose()
