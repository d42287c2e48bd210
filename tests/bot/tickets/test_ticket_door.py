"""TicketService as the one door: complaints in one transaction, identity, the agents' changes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.hours import ServiceHours
from bot.regions import RegionIndex
from bot.tickets import transitions
from bot.tickets.records import TicketQuery, TicketStateError
from bot.tickets.service import TicketService
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Category, Channel, EventKind, Status, Topic

KB = Path(__file__).resolve().parents[3] / "knowledge_base"
MONDAY_10_WIB = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)
SPAN = (MONDAY_10_WIB - timedelta(hours=1), MONDAY_10_WIB + timedelta(hours=1))
COMPLAINT = {
    "conversation_id": "c1",
    "channel": Channel.WHATSAPP,
    "name": "Budi",
    "instansi": "BPKAD Kab. Brebes",
    "topic_text": "petugas tidak membalas surat kami soal DAU",
    "topic": Topic.PENGADUAN,
    "pause": False,
    "context": {"jenis": "pengaduan"},
}


@pytest.fixture(scope="module")
def kb() -> tuple[RegionIndex, ServiceHours]:
    return RegionIndex.load(KB), ServiceHours.load(KB)


@pytest.fixture
def service(store: SqlTicketStore, kb) -> TicketService:
    return TicketService(store, *kb, clock=lambda: MONDAY_10_WIB)


def test_a_complaint_is_opened_and_escalated_together(service: TicketService) -> None:
    result = service.open_complaint(unit="dana-transfer-umum", note="pengaduan", **COMPLAINT)
    ticket = result.ticket
    assert result.created and ticket.status is Status.ESCALATED
    assert (ticket.escalation_unit, ticket.escalated_at) == ("dana-transfer-umum", MONDAY_10_WIB)
    history = [(e.kind, e.actor, e.detail) for e in service.events(ticket.id)]
    assert history[1:] == [(EventKind.ESCALATED, "bot", "dana-transfer-umum: pengaduan")]
    assert service.by_number(ticket.number) == ticket
    assert [label.topic for label in service.conversations.labels(*SPAN)] == [Topic.PENGADUAN]


def test_a_failed_escalation_leaves_no_ticket(service: TicketService, monkeypatch) -> None:
    def broken(unit: str, at: datetime) -> transitions.Mutation:
        def mutate(row, session) -> None:
            raise TicketStateError(f"cannot escalate to {unit}")

        return mutate

    monkeypatch.setattr(transitions, "escalate", broken)
    with pytest.raises(TicketStateError):
        service.open_complaint(unit="nowhere", **COMPLAINT)
    assert service.find() == [] and service.count() == 0
    assert service.conversations.labels(*SPAN) == []
    assert service.profile("c1", Channel.WHATSAPP) is None
    monkeypatch.undo()
    again = service.open_complaint(unit="dana-transfer-umum", **COMPLAINT).ticket
    assert again.number == "DJPK-20261130-0001", "the rolled-back number is given again"


def test_remember_identity_keeps_the_name_and_learns_the_pemda(service: TicketService) -> None:
    service.open_handoff(**{**COMPLAINT, "instansi": None})
    who = service.remember_identity("c1", "whatsapp", "Pemprov Jawa Timur")
    assert (who.category, who.pemda) == (Category.PEMDA, "Prov. Jawa Timur")
    profile = service.profile("c1", Channel.WHATSAPP)
    assert (profile.name, profile.instansi, profile.pemda) == (
        "Budi",
        "Pemprov Jawa Timur",
        "Prov. Jawa Timur",
    )
    assert profile.updated_at == MONDAY_10_WIB


def test_the_agents_changes_take_the_service_clock(service: TicketService) -> None:
    ticket = service.open_handoff(**COMPLAINT).ticket
    assigned = service.assign(ticket.id, "anas", "supervisor")
    assert (assigned.assigned_agent, assigned.assigned_at) == ("anas", MONDAY_10_WIB)
    note = service.add_note(ticket.id, "anas", "sudah dicek ke unit")
    assert (note.kind, note.at) == (EventKind.NOTE, MONDAY_10_WIB)
    escalated = service.escalate(ticket.id, "dana-transfer-umum", "anas", note="cek RKUD")
    assert escalated.status is Status.ESCALATED and escalated.escalated_at == MONDAY_10_WIB
    assert service.find(TicketQuery(status=Status.ESCALATED)) == [escalated]
    assert service.find(TicketQuery(status=Status.OPEN)) == []
    assert service.count(TicketQuery(status=Status.ESCALATED)) == 1
    assert service.get(ticket.id) == escalated and service.by_number("nope") is None
