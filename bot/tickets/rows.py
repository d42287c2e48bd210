"""Conversions between ORM rows and frozen records, and the SQL filters of a TicketQuery."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, overload

from bot.hours import Zone
from bot.tickets.records import (
    NewMessage,
    NewTicket,
    Ticket,
    TicketEvent,
    TicketMessage,
    TicketQuery,
)
from bot.tickets.tables import TicketEventRow, TicketMessageRow, TicketRow
from bot.tickets.taxonomy import Category, Channel, EventKind, Sender, Status, Topic


@overload
def utc(value: datetime) -> datetime: ...
@overload
def utc(value: None) -> None: ...
def utc(value: datetime | None) -> datetime | None:
    """The same moment in UTC (rows keep the caller's offset until they are read back)."""
    return value.astimezone(timezone.utc) if value is not None else None


def ticket_record(row: TicketRow) -> Ticket:
    """Row to frozen record."""
    return Ticket(
        row.id,
        row.number,
        row.conversation_id,
        Channel(row.channel),
        row.user_name,
        row.instansi,
        Category(row.category) if row.category else None,
        row.pemda,
        Zone(row.zone) if row.zone else None,
        Topic(row.topic),
        row.summary,
        Status(row.status),
        row.in_service_hours,
        row.assigned_agent,
        row.escalation_unit,
        dict(row.context or {}),
        row.csat_service,
        row.csat_answer,
        utc(row.created_at),
        utc(row.updated_at),
        utc(row.assigned_at),
        utc(row.escalated_at),
        utc(row.resolved_at),
        utc(row.closed_at),
    )


def csat_score(value: int | None, name: str) -> int | None:
    """The score itself when it is an integer from 1 to 5, else ValueError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError(f"{name} must be an integer from 1 to 5, got {value!r}")
    return value


def query_filters(query: TicketQuery) -> list[Any]:
    """WHERE conditions for the query's filters."""
    statuses = (query.status,) if isinstance(query.status, Status) else query.status
    pairs = [
        (TicketRow.channel, query.channel),
        (TicketRow.topic, query.topic),
        (TicketRow.zone, query.zone),
        (TicketRow.in_service_hours, query.in_hours),
        (TicketRow.escalation_unit, query.escalation_unit),
        (TicketRow.assigned_agent, query.assigned_agent),
        (TicketRow.conversation_id, query.conversation_id),
    ]
    conditions = [
        column == getattr(value, "value", value) for column, value in pairs if value is not None
    ]
    if statuses:
        conditions.append(TicketRow.status.in_([Status(s).value for s in statuses]))
    if query.created_from is not None:
        conditions.append(TicketRow.created_at >= query.created_from)
    if query.created_to is not None:
        conditions.append(TicketRow.created_at < query.created_to)
    return conditions


def message_row(ticket_id: int, message: NewMessage) -> TicketMessageRow:
    """A row for a new transcript line."""
    return TicketMessageRow(
        ticket_id=ticket_id,
        at=message.at,
        sender=Sender(message.sender).value,
        text=message.text,
        faq_id=message.faq_id,
    )


def message_record(row: TicketMessageRow) -> TicketMessage:
    """Row to record."""
    return TicketMessage(
        row.id, row.ticket_id, utc(row.at), Sender(row.sender), row.text, row.faq_id
    )


def event_record(row: TicketEventRow) -> TicketEvent:
    """Row to record."""
    return TicketEvent(
        row.id, row.ticket_id, utc(row.at), EventKind(row.kind), row.actor, row.detail
    )


def new_ticket_row(new: NewTicket, number: str, now: datetime) -> TicketRow:
    """The row of a freshly opened ticket; open_key claims the conversation."""
    return TicketRow(
        number=number,
        conversation_id=new.conversation_id,
        open_key=new.conversation_id,
        channel=Channel(new.channel).value,
        user_name=new.user_name,
        instansi=new.instansi,
        category=Category(new.category).value if new.category else None,
        pemda=new.pemda,
        zone=Zone(new.zone).value if new.zone else None,
        topic=Topic(new.topic).value,
        summary=new.summary or "",
        status=Status.OPEN.value,
        in_service_hours=new.in_service_hours,
        context=dict(new.context),
        created_at=now,
        updated_at=now,
    )
