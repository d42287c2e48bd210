"""SqlTicketStore on SQLite and PostgreSQL: numbers, idempotency, filters, transitions, CSAT."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from bot.hours import Zone
from bot.tickets.records import (
    ClaimConflict,
    NewMessage,
    NewTicket,
    TicketNotFound,
    TicketQuery,
    TicketStateError,
)
from bot.tickets.store import SqlConversationState, SqlTicketStore
from bot.tickets.taxonomy import Channel, EventKind, Sender, Status, Topic


def new(conversation: str, **fields) -> NewTicket:
    return NewTicket(
        conversation_id=conversation, channel=fields.pop("channel", Channel.REST), **fields
    )


def test_number_uses_the_wib_day(store: SqlTicketStore) -> None:
    late_friday_utc = datetime(2026, 11, 27, 18, 30, tzinfo=timezone.utc)  # Saturday 01.30 WIB
    ticket, created = store.create_for_conversation(new("c1"), late_friday_utc)
    assert created
    assert re.fullmatch(r"DJPK-\d{8}-\d{4}", ticket.number)
    assert ticket.number == "DJPK-20261128-0001"
    assert store.by_number("djpk-20261128-0001") == ticket


def test_sequence_per_day(store: SqlTicketStore, now: datetime) -> None:
    numbers = [store.create_for_conversation(new(f"c{i}"), now)[0].number for i in range(3)]
    assert numbers == ["DJPK-20261130-0001", "DJPK-20261130-0002", "DJPK-20261130-0003"]
    tomorrow = store.create_for_conversation(new("c9"), now + timedelta(days=1))[0]
    assert tomorrow.number == "DJPK-20261201-0001"


def test_create_is_idempotent_per_conversation(store: SqlTicketStore, now: datetime) -> None:
    line = NewMessage(Sender.USER, "mau bicara dengan petugas", now)
    first, created = store.create_for_conversation(new("c1", transcript=[line]), now)
    again, created_again = store.create_for_conversation(new("c1", transcript=[line]), now)
    assert created and not created_again
    assert again == first
    assert store.count() == 1
    assert [m.text for m in store.messages(first.id)] == ["mau bicara dengan petugas"]


def test_a_resolved_conversation_can_get_a_new_ticket(store: SqlTicketStore, now: datetime) -> None:
    first = store.create_for_conversation(new("c1"), now)[0]
    store.resolve(first.id, "anas", now)
    assert store.active_for_conversation("c1") is None
    second, created = store.create_for_conversation(new("c1"), now + timedelta(minutes=5))
    assert created and second.id != first.id
    assert second.number.endswith("-0002")


def _ticket(store: SqlTicketStore, conversation: str, at: datetime, **fields):
    return store.create_for_conversation(new(conversation, **fields), at)[0]


def test_filters_and_order(store: SqlTicketStore, now: datetime) -> None:
    a = _ticket(store, "a", now, topic=Topic.DAU, zone=Zone.WIB, channel=Channel.WHATSAPP)
    b = _ticket(store, "b", now + timedelta(minutes=1), topic=Topic.DBH, zone=Zone.WITA)
    c = _ticket(
        store,
        "c",
        now + timedelta(minutes=2),
        topic=Topic.DAU,
        zone=Zone.WIT,
        in_service_hours=False,
        channel=Channel.LIVECHAT,
    )
    store.escalate(b.id, "Direktorat Dana Transfer Umum", "anas", now)
    store.resolve(c.id, "linna", now + timedelta(minutes=3))

    def ids(**filters) -> list[int]:
        return [t.id for t in store.find(TicketQuery(**filters))]

    assert ids() == [c.id, b.id, a.id]
    assert ids(order="oldest") == [a.id, b.id, c.id]
    assert ids(topic=Topic.DAU) == [c.id, a.id]
    assert ids(channel=Channel.WHATSAPP) == [a.id]
    assert ids(zone=Zone.WITA) == [b.id]
    assert ids(in_hours=False) == [c.id]
    assert ids(in_hours=True, order="oldest") == [a.id, b.id]
    assert ids(status=Status.ESCALATED) == [b.id]
    assert ids(status=(Status.OPEN, Status.ESCALATED), order="oldest") == [a.id, b.id]
    assert ids(escalation_unit="Direktorat Dana Transfer Umum") == [b.id]
    assert ids(limit=1, offset=1) == [b.id]
    assert ids(created_from=now + timedelta(minutes=1)) == [c.id, b.id]
    assert store.count(TicketQuery(topic=Topic.DAU)) == 2
    assert store.count(TicketQuery(status=Status.RESOLVED)) == 1


def test_transitions_and_events(store: SqlTicketStore, now: datetime) -> None:
    ticket = _ticket(store, "c1", now)
    claimed = store.claim(ticket.id, "anas", now + timedelta(minutes=1))
    assert (claimed.status, claimed.assigned_agent) == (Status.ASSIGNED, "anas")
    assert store.claim(ticket.id, "anas", now).assigned_agent == "anas"  # own ticket again
    with pytest.raises(ClaimConflict):
        store.claim(ticket.id, "dian", now)
    assert store.assign(ticket.id, "dian", "supervisor", now).assigned_agent == "dian"
    escalated = store.escalate(ticket.id, "DPDF", "dian", now + timedelta(minutes=2), "cek data")
    assert (escalated.status, escalated.escalation_unit) == (Status.ESCALATED, "DPDF")
    note = store.add_note(ticket.id, "dian", "menunggu jawaban unit", now + timedelta(minutes=3))
    assert note.kind is EventKind.NOTE
    resolved = store.resolve(ticket.id, "dian", now + timedelta(minutes=4))
    assert resolved.status is Status.RESOLVED and resolved.resolved_at is not None
    with pytest.raises(TicketStateError):
        store.resolve(ticket.id, "dian", now)
    with pytest.raises(TicketStateError):
        store.escalate(ticket.id, "DPDF", "dian", now)
    closed = store.close(ticket.id, "dian", now + timedelta(minutes=5))
    assert closed.status is Status.CLOSED and closed.closed_at is not None
    with pytest.raises(TicketStateError):
        store.close(ticket.id, "dian", now)
    kinds = [event.kind.value for event in store.events(ticket.id)]
    assert kinds == [
        "created",
        "assigned",
        "assigned",
        "assigned",
        "escalated",
        "note",
        "resolved",
        "closed",
    ]
    assert all(event.at.tzinfo is not None for event in store.events(ticket.id))
    with pytest.raises(TicketNotFound):
        store.resolve(999_999, "dian", now)


def test_pause_resume_and_ownership(
    store: SqlTicketStore, state: SqlConversationState, now: datetime
) -> None:
    assert state.is_paused("c1") is False and state.handoff("c1") is None
    ticket = _ticket(store, "c1", now)
    paused = state.pause("c1", Channel.REST, now, ticket_id=ticket.id)
    assert paused.paused and paused.ticket_id == ticket.id and paused.owner is None
    assert state.is_paused("c1")
    store.claim(ticket.id, "nuryani", now)
    assert state.handoff("c1").owner == "nuryani"
    assert state.resume("c1", now).paused is False
    assert not state.is_paused("c1")
    state.pause("c1", Channel.REST, now)
    store.resolve(ticket.id, "nuryani", now)
    assert not state.is_paused("c1"), "resolving hands the conversation back to the bot"
    assert state.resume("never-seen", now) is None


def test_claim_pauses_a_conversation_that_was_not_paused(
    store: SqlTicketStore, state: SqlConversationState, now
) -> None:
    ticket = _ticket(store, "c1", now, in_service_hours=False)
    store.claim(ticket.id, "linna", now)
    handoff = state.handoff("c1")
    assert handoff.paused and handoff.owner == "linna" and handoff.ticket_id == ticket.id


def test_resolving_an_old_ticket_keeps_the_new_pause(
    store: SqlTicketStore, state: SqlConversationState, now
) -> None:
    old = _ticket(store, "c1", now)
    state.pause("c1", Channel.REST, now, ticket_id=old.id)
    store.resolve(old.id, "anas", now)
    fresh = _ticket(store, "c1", now)
    state.pause("c1", Channel.REST, now, ticket_id=fresh.id)
    store.close(old.id, "anas", now)  # closing the old one must not unpause the new hand-off
    assert state.is_paused("c1")


@pytest.mark.parametrize("bad", [0, 6, -1, "5", 3.5, True])
def test_csat_accepts_only_integers_1_to_5(store: SqlTicketStore, now: datetime, bad) -> None:
    ticket = _ticket(store, "c1", now)
    with pytest.raises(ValueError):
        store.set_csat(ticket.id, now, service=bad)
    with pytest.raises(ValueError):
        store.set_csat(ticket.id, now, answer=bad)


def test_csat_scores_are_kept_separately(store: SqlTicketStore, now: datetime) -> None:
    ticket = _ticket(store, "c1", now)
    with pytest.raises(ValueError):
        store.set_csat(ticket.id, now)
    assert store.set_csat(ticket.id, now, service=5).csat_service == 5
    both = store.set_csat(ticket.id, now, answer=1)
    assert (both.csat_service, both.csat_answer) == (5, 1)


def test_database_rejects_out_of_range_csat(store: SqlTicketStore, now: datetime) -> None:
    ticket = _ticket(store, "c1", now)
    with pytest.raises(IntegrityError), store.engine.begin() as connection:
        connection.execute(
            text("UPDATE tickets SET csat_answer = 7 WHERE id = :id"), {"id": ticket.id}
        )


def test_transcript_and_timestamps(store: SqlTicketStore, now: datetime) -> None:
    ticket = _ticket(store, "c1", now)
    store.add_message(ticket.id, Sender.AGENT, "Selamat pagi", now + timedelta(seconds=2))
    store.add_message(ticket.id, Sender.USER, "pagi", now + timedelta(seconds=1))
    lines = store.messages(ticket.id)
    assert [(m.sender, m.text) for m in lines] == [
        (Sender.USER, "pagi"),
        (Sender.AGENT, "Selamat pagi"),
    ]
    assert lines[0].at == now + timedelta(seconds=1) and lines[0].at.tzinfo is not None
    wita = datetime(2026, 11, 30, 11, 0, tzinfo=Zone.WITA.tzinfo)
    stored = _ticket(store, "c2", wita)
    assert stored.created_at == wita and stored.created_at.utcoffset() == timedelta(0)
    with pytest.raises(TicketNotFound):
        store.add_message(999_999, Sender.USER, "halo", now)
    with pytest.raises((ValueError, StatementError)):
        _ticket(store, "naive", datetime(2026, 11, 30, 10, 0))


def test_context_round_trips(store: SqlTicketStore, now: datetime) -> None:
    context = {"faq_tried": ["dau-penyaluran"], "letter": {"verdict": "not_found"}}
    ticket = _ticket(store, "c1", now, context=context)
    assert store.get(ticket.id).context == context
