"""Release at closing time with an injected clock (SQLite and PostgreSQL): untaken tickets stay
queued, the bot answers again, each user is told once when the ticket will be answered."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.hours import ServiceHours
from bot.regions import RegionIndex
from bot.tickets.release import ClosingRelease, run_forever
from bot.tickets.service import TicketService
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel, EventKind, Sender, Status

KB = Path(__file__).resolve().parents[3] / "knowledge_base"
FRIDAY_1630_WIB = datetime(2026, 12, 4, 9, 30, tzinfo=timezone.utc)
FRIDAY_1701_WIB = datetime(2026, 12, 4, 10, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def kb() -> tuple[RegionIndex, ServiceHours]:
    return RegionIndex.load(KB), ServiceHours.load(KB)


@pytest.fixture
def service(store: SqlTicketStore, kb) -> TicketService:
    return TicketService(store, *kb, clock=lambda: FRIDAY_1630_WIB)


class Outbox:
    """The console's send callback, recorded; `refuse` plays an unreachable channel."""

    def __init__(self, refuse: bool = False) -> None:
        self.sent: list[tuple[str, str]] = []
        self.refuse = refuse

    async def __call__(self, conversation_id: str, text: str) -> bool:
        self.sent.append((conversation_id, text))
        return not self.refuse


def _open(service: TicketService, conversation: str, instansi: str, **fields):
    return service.open_handoff(
        conversation_id=conversation,
        channel=Channel.WHATSAPP,
        name="Budi",
        instansi=instansi,
        topic_text="dana desa tahap 2 belum masuk",
        now=FRIDAY_1630_WIB,
        **fields,
    )


async def test_an_untaken_ticket_is_released_once_at_closing(service: TicketService) -> None:
    waiting = _open(service, "c1", "BPKAD Kab. Lembata").ticket  # WITA
    assert service.is_paused("c1")
    outbox = Outbox()
    job = ClosingRelease(service, outbox)
    assert await job.run(FRIDAY_1630_WIB) == []  # still open: nothing released
    released = await job.run(FRIDAY_1701_WIB)
    assert [r.ticket.number for r in released] == [waiting.number]
    assert outbox.sent == [
        (
            "c1",
            f"Mohon maaf, jam layanan petugas kami telah berakhir. Tiket {waiting.number} tetap "
            "dalam antrean dan akan dijawab petugas mulai Senin, 09.00 WITA. Sementara itu, "
            "asisten kami siap membantu pertanyaan Bapak/Ibu.",
        )
    ]
    assert not service.is_paused("c1")  # the bot answers again
    ticket = service.get(waiting.id)
    assert ticket.status is Status.OPEN and ticket.assigned_agent is None  # still queued
    assert service.waiting("c1").ticket.id == waiting.id
    assert [e.kind for e in service.events(waiting.id)].count(EventKind.RELEASED) == 1
    last = service.messages(waiting.id)[-1]
    assert (last.sender, last.text) == (Sender.BOT, outbox.sent[0][1])
    # later rounds, the whole weekend: no second notice
    assert await job.run(FRIDAY_1701_WIB + timedelta(minutes=1)) == []
    assert await job.run(FRIDAY_1701_WIB + timedelta(days=2)) == []
    assert len(outbox.sent) == 1


async def test_taken_cancelled_and_after_hours_tickets_are_left_alone(
    service: TicketService,
) -> None:
    taken = _open(service, "c1", "Kab. Brebes").ticket
    service.claim(taken.id, "rina", FRIDAY_1630_WIB + timedelta(minutes=1))
    cancelled = _open(service, "c2", "Kab. Brebes").ticket
    service.cancel_waiting("c2", FRIDAY_1630_WIB + timedelta(minutes=2))
    night = service.open_handoff(
        conversation_id="c3",
        channel=Channel.REST,
        name="Sari",
        instansi="Kab. Karo",
        topic_text="dbh",
        now=FRIDAY_1701_WIB,  # opened after closing: the user was told the opening then
    ).ticket
    outbox = Outbox()
    assert await ClosingRelease(service, outbox).run(FRIDAY_1701_WIB + timedelta(minutes=1)) == []
    assert outbox.sent == [] and service.is_paused("c1")
    assert {service.get(t.id).status for t in (taken, cancelled, night)} == {
        Status.ASSIGNED,
        Status.CLOSED,
        Status.OPEN,
    }


async def test_a_refused_notice_is_noted_and_not_retried(service: TicketService) -> None:
    ticket = _open(service, "c1", "Kab. Brebes").ticket
    outbox = Outbox(refuse=True)
    released = await ClosingRelease(service, outbox).run(FRIDAY_1701_WIB)
    assert [r.delivered for r in released] == [False]
    notes = [e.detail for e in service.events(ticket.id) if e.kind is EventKind.NOTE]
    assert notes == ["Pemberitahuan jam layanan berakhir tidak terkirim ke pengguna."]
    await ClosingRelease(service, outbox).run(FRIDAY_1701_WIB + timedelta(minutes=5))
    assert len(outbox.sent) == 1 and not service.is_paused("c1")


async def test_two_servers_send_one_notice(service: TicketService, store: SqlTicketStore, kb):
    _open(service, "c1", "Kab. Brebes")
    other = TicketService(SqlTicketStore(store.engine), *kb)
    first, second = Outbox(), Outbox()
    due = service.release_due(FRIDAY_1701_WIB)  # both servers saw the ticket as due
    assert len(due) == 1
    await ClosingRelease(service, first).run(FRIDAY_1701_WIB)
    job = ClosingRelease(other, second)
    assert job._release(due[0], FRIDAY_1701_WIB) is None  # the second release is refused
    assert len(first.sent) + len(second.sent) == 1


async def test_the_loop_runs_on_the_injected_clock(service: TicketService) -> None:
    _open(service, "c1", "Kab. Brebes")
    outbox = Outbox()
    job = ClosingRelease(service, outbox, clock=lambda: FRIDAY_1701_WIB)
    await run_forever(job, 0, rounds=3)
    assert len(outbox.sent) == 1
