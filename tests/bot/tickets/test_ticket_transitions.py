"""Each status change a ticket allows, and what it does to the conversation's hand-off (who
answers the user: the bot or an agent), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.tickets.records import ClaimConflict, NewTicket, TicketStateError
from bot.tickets.store import SqlConversationState, SqlTicketStore
from bot.tickets.taxonomy import Channel, EventKind, Status


def _ticket(store: SqlTicketStore, now: datetime, conversation: str = "c1"):
    return store.create_for_conversation(
        NewTicket(conversation_id=conversation, channel=Channel.WHATSAPP), now
    )[0]


def test_a_claim_gives_the_ticket_and_the_conversation_to_the_agent(
    store: SqlTicketStore, state: SqlConversationState, now: datetime
) -> None:
    ticket = _ticket(store, now)
    later = now + timedelta(minutes=5)
    claimed = store.claim(ticket.id, "rina", later)
    assert (claimed.status, claimed.assigned_agent, claimed.assigned_at) == (
        Status.ASSIGNED,
        "rina",
        later,
    )
    handoff = state.handoff("c1")
    assert handoff is not None and handoff.paused and state.is_paused("c1")
    assert (handoff.owner, handoff.ticket_id, handoff.channel, handoff.updated_at) == (
        "rina",
        ticket.id,
        Channel.WHATSAPP,
        later,
    )
    again = store.claim(ticket.id, "rina", later + timedelta(minutes=1))  # one's own: kept
    assert again.assigned_agent == "rina"


def test_a_ticket_claimed_by_another_agent_cannot_be_claimed(
    store: SqlTicketStore, state: SqlConversationState, now: datetime
) -> None:
    ticket = _ticket(store, now)
    store.claim(ticket.id, "rina", now)
    with pytest.raises(ClaimConflict) as caught:
        store.claim(ticket.id, "budi", now)
    assert str(caught.value) == f"ticket {ticket.number} is already claimed by rina"
    assert store.get(ticket.id).assigned_agent == "rina" and state.handoff("c1").owner == "rina"


def test_a_supervisor_may_reassign_a_claimed_ticket(
    store: SqlTicketStore, state: SqlConversationState, now: datetime
) -> None:
    ticket = _ticket(store, now)
    store.claim(ticket.id, "rina", now)
    moved = store.assign(ticket.id, "budi", "sari", now + timedelta(minutes=1))
    assert moved.assigned_agent == "budi" and moved.status is Status.ASSIGNED
    assert state.handoff("c1").owner == "budi"


def test_an_escalated_ticket_taken_by_an_agent_stays_escalated(
    store: SqlTicketStore, now: datetime
) -> None:
    ticket = _ticket(store, now)
    later = now + timedelta(hours=1)
    escalated = store.escalate(ticket.id, "dana-transfer-umum", "rina", later)
    assert (escalated.status, escalated.escalation_unit, escalated.escalated_at) == (
        Status.ESCALATED,
        "dana-transfer-umum",
        later,
    )
    assert store.claim(ticket.id, "budi", later).status is Status.ESCALATED


@pytest.mark.parametrize("finish", ["resolve", "close"])
def test_finishing_hands_the_conversation_back_and_frees_the_slot(
    store: SqlTicketStore, state: SqlConversationState, now: datetime, finish: str
) -> None:
    ticket = _ticket(store, now)
    store.claim(ticket.id, "rina", now)
    later = now + timedelta(minutes=30)
    done = getattr(store, finish)(ticket.id, "rina", later)
    status = Status.RESOLVED if finish == "resolve" else Status.CLOSED
    assert done.status is status
    assert (done.resolved_at, done.closed_at) == (
        (later, None) if finish == "resolve" else (None, later)
    )
    handoff = state.handoff("c1")
    assert not handoff.paused and handoff.owner is None and handoff.updated_at == later
    assert not state.is_paused("c1")
    assert store.active_for_conversation("c1") is None
    fresh = _ticket(store, later)
    assert fresh.id != ticket.id and fresh.status is Status.OPEN


def test_finishing_twice_or_after_closing_is_refused(store: SqlTicketStore, now: datetime) -> None:
    ticket = _ticket(store, now)
    store.resolve(ticket.id, "rina", now)
    with pytest.raises(TicketStateError) as twice:
        store.resolve(ticket.id, "rina", now)
    assert str(twice.value) == f"ticket {ticket.number} is already resolved"
    closed = store.close(ticket.id, "rina", now)  # a resolved ticket may still be closed
    assert closed.status is Status.CLOSED and closed.resolved_at == now
    for finish in (store.resolve, store.close):
        with pytest.raises(TicketStateError, match=f"ticket {ticket.number} is already closed"):
            finish(ticket.id, "rina", now)


def test_a_finished_ticket_cannot_be_taken_escalated_or_booked(
    store: SqlTicketStore, now: datetime
) -> None:
    ticket = _ticket(store, now)
    store.resolve(ticket.id, "rina", now)
    with pytest.raises(TicketStateError) as assign:
        store.claim(ticket.id, "rina", now)
    assert str(assign.value) == f"cannot assign ticket {ticket.number}: it is resolved"
    with pytest.raises(TicketStateError, match=f"cannot escalate ticket {ticket.number}: it is"):
        store.escalate(ticket.id, "dana-transfer-umum", "rina", now)
    with pytest.raises(TicketStateError, match=f"cannot book ticket {ticket.number}: it is"):
        store.record_booking(ticket.id, {"a": 1}, EventKind.NOTE, "rina", "x", "pesan", now)
    assert store.get(ticket.id).status is Status.RESOLVED


def test_booking_changes_merge_into_the_context(store: SqlTicketStore, now: datetime) -> None:
    ticket = _ticket(store, now)
    store.record_booking(ticket.id, {"tanggal": "2026-12-03"}, EventKind.NOTE, "rina", "", "a", now)
    booked, said = store.record_booking(
        ticket.id, {"jam": "10.00"}, EventKind.NOTE, "rina", "", "b", now
    )
    assert booked.context == {"tanggal": "2026-12-03", "jam": "10.00"} and said is not None
    moved, _ = store.record_booking(
        ticket.id, {"jam": "13.00"}, EventKind.NOTE, "rina", "", "c", now
    )
    assert moved.context == {"tanggal": "2026-12-03", "jam": "13.00"}


def test_csat_scores_keep_the_other_one(store: SqlTicketStore, now: datetime) -> None:
    ticket = _ticket(store, now)
    store.resolve(ticket.id, "rina", now)
    first = store.set_csat(ticket.id, now, service=4)
    assert (first.csat_service, first.csat_answer) == (4, None)
    second = store.set_csat(ticket.id, now, answer=5)
    assert (second.csat_service, second.csat_answer) == (4, 5)
    third = store.set_csat(ticket.id, now, service=2)
    assert (third.csat_service, third.csat_answer) == (2, 5)


def test_release_gives_the_conversation_back_once_and_keeps_the_ticket_queued(
    store: SqlTicketStore, state: SqlConversationState, now: datetime
) -> None:
    ticket, _ = store.open_handoff(
        NewTicket(conversation_id="c1", channel=Channel.WHATSAPP), now, pause=True
    )
    assert state.is_paused("c1")
    released = store.release(ticket.id, now + timedelta(hours=8))
    assert released.status is Status.OPEN and released.assigned_agent is None
    assert not state.is_paused("c1") and state.handoff("c1").owner is None
    with pytest.raises(TicketStateError) as again:
        store.release(ticket.id, now + timedelta(hours=9))
    assert str(again.value) == f"ticket {ticket.number} was released already"


def test_a_taken_or_finished_ticket_is_not_released(
    store: SqlTicketStore, state: SqlConversationState, now: datetime
) -> None:
    taken = _ticket(store, now)
    store.claim(taken.id, "rina", now)
    with pytest.raises(TicketStateError) as caught:
        store.release(taken.id, now)
    assert str(caught.value) == f"ticket {taken.number} is assigned: not released"
    assert state.is_paused("c1") and state.handoff("c1").owner == "rina"
    done = _ticket(store, now, "c2")
    store.close(done.id, "rina", now)
    with pytest.raises(TicketStateError, match=f"ticket {done.number} is closed: not released"):
        store.release(done.id, now)


def test_release_leaves_an_agent_owned_conversation_paused(
    store: SqlTicketStore, state: SqlConversationState, now: datetime
) -> None:
    # An agent took the conversation over directly (pause with owner) but not this ticket.
    ticket = _ticket(store, now)
    state.pause("c1", Channel.WHATSAPP, now, ticket_id=ticket.id, owner="rina")
    store.release(ticket.id, now)
    assert state.is_paused("c1") and state.handoff("c1").owner == "rina"


def test_release_touches_only_its_own_ticket_and_conversation(
    store: SqlTicketStore, state: SqlConversationState, now: datetime
) -> None:
    first, _ = store.open_handoff(
        NewTicket(conversation_id="c1", channel=Channel.WHATSAPP), now, pause=True
    )
    second, _ = store.open_handoff(
        NewTicket(conversation_id="c2", channel=Channel.WHATSAPP), now, pause=True
    )
    closing = now + timedelta(hours=8)
    store.release(first.id, closing)
    assert not state.is_paused("c1") and state.handoff("c1").updated_at == closing
    assert state.is_paused("c2") and state.handoff("c2").updated_at == now
    store.release(second.id, closing)  # the first ticket's release is not the second's
    assert not state.is_paused("c2")
