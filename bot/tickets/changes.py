"""Ticket writes inside the caller's transaction: insert a new ticket, apply one logged change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.tickets import transitions
from bot.tickets.numbering import format_number, next_sequence, service_day
from bot.tickets.records import NewTicket, Ticket, TicketEvent, TicketNotFound
from bot.tickets.rows import event_record, message_row, new_ticket_row, ticket_record
from bot.tickets.tables import TicketEventRow, TicketRow
from bot.tickets.taxonomy import EventKind


def insert_ticket(session: Session, new: NewTicket, now: datetime, claim: bool = True) -> Ticket:
    """A numbered ticket, its "created" event and its transcript; with `claim` it is the
    conversation's hand-off ticket (open_key), else one request among others."""
    day = service_day(now)
    row = new_ticket_row(new, format_number(day, next_sequence(session, day)), now)
    if not claim:
        row.open_key = None
    session.add(row)
    session.flush()
    detail = f"in_service_hours={new.in_service_hours}"
    session.add(
        TicketEventRow(ticket_id=row.id, at=now, kind="created", actor="bot", detail=detail)
    )
    session.add_all(message_row(row.id, message) for message in new.transcript)
    return ticket_record(row)


def apply_change(
    session: Session,
    ticket_id: int,
    at: datetime,
    actor: str,
    kind: EventKind,
    detail: str,
    mutate: transitions.Mutation,
) -> tuple[Ticket, TicketEvent]:
    """Apply one change under a write lock (the touch comes first) and log it as an event."""
    touched = session.execute(
        update(TicketRow)
        .where(TicketRow.id == ticket_id)
        .values(updated_at=at)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not touched:
        raise TicketNotFound(ticket_id)
    row = session.get(TicketRow, ticket_id, populate_existing=True)
    mutate(row, session)
    event = TicketEventRow(ticket_id=ticket_id, at=at, kind=kind.value, actor=actor, detail=detail)
    session.add(event)
    session.flush()
    return ticket_record(row), event_record(event)


def escalation_detail(unit: str, note: str) -> str:
    """The history line of an escalation: the unit, and the note after a colon."""
    return f"{unit}: {note}" if note else unit
