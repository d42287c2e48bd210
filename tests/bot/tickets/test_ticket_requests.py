"""One ticket per request: each request opens its own ticket, the hand-off stays one, and the
relay follows the ticket that owns the conversation (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.hours import ServiceHours
from bot.regions import RegionIndex
from bot.tickets.service import TicketService
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel, EventKind, Status, Topic

KB = Path(__file__).resolve().parents[3] / "knowledge_base"
MONDAY_10_WIB = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def kb() -> tuple[RegionIndex, ServiceHours]:
    return RegionIndex.load(KB), ServiceHours.load(KB)


@pytest.fixture
def service(store: SqlTicketStore, kb) -> TicketService:
    return TicketService(store, *kb, clock=lambda: MONDAY_10_WIB)


def _open(service: TicketService, minutes: int, text: str, **fields):
    values = {
        "conversation_id": "c1",
        "channel": Channel.WHATSAPP,
        "name": "Budi",
        "instansi": "BPKAD Kab. Brebes",
        "topic_text": text,
        "now": MONDAY_10_WIB + timedelta(minutes=minutes),
    }
    values.update(fields)
    return service.open_handoff(**values)


def test_two_requests_are_two_tickets_with_their_own_details(service: TicketService) -> None:
    first = _open(
        service,
        0,
        "Permintaan data DAU (2024)",
        topic=Topic.PERMINTAAN_DATA,
        pause=False,
        context={"data_wanted": "DAU"},
        separate=True,
    )
    second = _open(
        service,
        5,
        "Reservasi kunjungan: DBH",
        topic=Topic.RESERVASI,
        pause=False,
        context={"jadwal": "2026-12-10"},
        separate=True,
    )
    assert first.created and second.created and first.ticket.id != second.ticket.id
    tickets = {t.number: t for t in service.find()}
    assert tickets[first.ticket.number].summary == "Permintaan data DAU (2024)"
    assert tickets[first.ticket.number].context == {"data_wanted": "DAU"}
    assert tickets[second.ticket.number].topic is Topic.RESERVASI
    assert tickets[second.ticket.number].context == {"jadwal": "2026-12-10"}
    assert service.active_for_conversation("c1").id == second.ticket.id  # the newest


def test_a_second_handoff_returns_the_open_handoff_ticket(service: TicketService) -> None:
    handoff = _open(service, 0, "dau tahap 1 belum cair")
    _open(
        service, 2, "Status surat: S-12/2026", topic=Topic.SURAT_MASUK, pause=False, separate=True
    )
    again = _open(service, 4, "mau bicara dengan petugas")
    assert (again.ticket.id, again.created) == (handoff.ticket.id, False)
    assert service.count() == 2
    # the relay and the wait follow the hand-off ticket, not the newer request
    assert service.waiting("c1").ticket.id == handoff.ticket.id
    service.record_user_message("c1", "halo?", MONDAY_10_WIB + timedelta(minutes=6))
    assert service.messages(handoff.ticket.id)[-1].text == "halo?"


def test_a_handoff_after_a_request_is_a_ticket_of_its_own(service: TicketService) -> None:
    request = _open(
        service, 0, "Reservasi kunjungan: DBH", topic=Topic.RESERVASI, pause=False, separate=True
    )
    handoff = _open(service, 3, "saya mau tanya petugas soal dak")
    assert handoff.created and handoff.ticket.id != request.ticket.id
    assert service.get(request.ticket.id).topic is Topic.RESERVASI


def test_a_complaint_escalates_its_own_ticket(service: TicketService) -> None:
    handoff = _open(service, 0, "dau tahap 1 belum cair")
    complaint = service.open_complaint(
        unit="Direktorat Dana Transfer Umum",
        note="pengaduan",
        conversation_id="c1",
        channel=Channel.WHATSAPP,
        name="Budi",
        instansi="BPKAD Kab. Brebes",
        topic_text="petugas tidak membalas",
        topic=Topic.PENGADUAN,
        pause=False,
        separate=True,
        now=MONDAY_10_WIB + timedelta(minutes=1),
    )
    assert complaint.ticket.id != handoff.ticket.id
    assert complaint.ticket.status is Status.ESCALATED
    assert complaint.ticket.escalation_unit == "Direktorat Dana Transfer Umum"
    assert service.get(handoff.ticket.id).status is Status.OPEN
    kinds = [e.kind for e in service.events(handoff.ticket.id)]
    assert EventKind.ESCALATED not in kinds


def test_the_ticket_an_agent_took_owns_the_conversation(service: TicketService) -> None:
    older = _open(
        service, 0, "Permintaan data DAU", topic=Topic.PERMINTAAN_DATA, pause=False, separate=True
    )
    _open(service, 1, "Reservasi kunjungan", topic=Topic.RESERVASI, pause=False, separate=True)
    service.claim(older.ticket.id, "rina", MONDAY_10_WIB + timedelta(minutes=2))
    assert service.is_paused("c1")
    service.record_user_message("c1", "datanya untuk 2024", MONDAY_10_WIB + timedelta(minutes=3))
    assert service.messages(older.ticket.id)[-1].text == "datanya untuk 2024"
    assert service.waiting("c1") is None  # an agent has it
