"""SqlTicketStore: tickets on SQLAlchemy (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import engine_for, session_factory
from bot.tickets import transitions
from bot.tickets.changes import apply_change, escalation_detail, insert_ticket
from bot.tickets.conversations import write_label, write_pause, write_profile
from bot.tickets.records import (
    ConversationLabel,
    Escalation,
    NewMessage,
    NewTicket,
    Ticket,
    TicketEvent,
    TicketMessage,
    TicketNotFound,
    TicketQuery,
    UserProfile,
)
from bot.tickets.rows import (
    csat_score,
    event_record,
    message_record,
    message_row,
    query_filters,
    ticket_record,
)
from bot.tickets.tables import HandoffRow, TicketEventRow, TicketMessageRow, TicketRow
from bot.tickets.taxonomy import EventKind, Sender, Status

ACTIVE = tuple(status.value for status in Status if status.active)


class SqlTicketStore:
    """TicketStore on one SQLAlchemy engine; every method is its own transaction.

    Conversation state (pause, profiles, labels) is SqlConversationState's; the ticket writes
    that change it too (open, claim, resolve) do so inside their own transaction.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = session_factory(engine)

    @classmethod
    def from_url(cls, url: str) -> SqlTicketStore:
        """A store on a migrated engine for this URL (DJPK_DB_URL)."""
        return cls(engine_for(url))

    def create_for_conversation(self, new: NewTicket, now: datetime) -> tuple[Ticket, bool]:
        """Create a ticket unless the conversation has an active one (idempotent, race-safe)."""
        return self.open_handoff(new, now)

    def open_handoff(
        self,
        new: NewTicket,
        now: datetime,
        pause: bool = False,
        profile: UserProfile | None = None,
        label: ConversationLabel | None = None,
        escalation: Escalation | None = None,
        separate: bool = False,
    ) -> tuple[Ticket, bool]:
        """create_for_conversation plus the pause, profile, label and escalation, all in one
        transaction: when any of them fails, nothing is written.

        A hand-off claims the conversation (open_key): a concurrent create for the same
        conversation loses on the open_key constraint; the rolled-back attempt (its number
        included) is retried once and finds the winner. A `separate` ticket (a request: a
        reservation, data request, complaint...) is always a new one and claims nothing.
        """
        for attempt in range(2):
            try:
                with self._sessions() as session, session.begin():
                    existing = None if separate else self._handoff(session, new.conversation_id)
                    ticket = existing or insert_ticket(session, new, now, claim=not separate)
                    if escalation is not None:
                        ticket = _escalate(session, ticket.id, escalation, now)
                    if pause:
                        write_pause(session, new.conversation_id, new.channel, now, ticket.id)
                    if profile is not None:
                        write_profile(session, profile, now)
                    if label is not None:
                        write_label(session, label)
                    return ticket, existing is None
            except IntegrityError:
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _one(self, *conditions: Any) -> Ticket | None:
        with self._sessions() as session:
            row = session.execute(select(TicketRow).where(*conditions)).scalar_one_or_none()
            return ticket_record(row) if row else None

    def get(self, ticket_id: int) -> Ticket | None:
        """The ticket with this id."""
        return self._one(TicketRow.id == ticket_id)

    def by_number(self, number: str) -> Ticket | None:
        """The ticket with this number (case-insensitive)."""
        return self._one(TicketRow.number == number.strip().upper())

    def active_for_conversation(self, conversation_id: str) -> Ticket | None:
        """The active ticket that owns the conversation when several are open: the one an agent
        has paused it for, else the hand-off ticket, else the newest request ticket."""
        with self._sessions() as session:
            paused = session.execute(
                select(TicketRow)
                .join(HandoffRow, HandoffRow.ticket_id == TicketRow.id)
                .where(
                    HandoffRow.conversation_id == conversation_id,
                    HandoffRow.paused.is_(True),
                    TicketRow.status.in_(ACTIVE),
                )
            ).scalar_one_or_none()
            if paused is not None:
                return ticket_record(paused)
            handoff = self._handoff(session, conversation_id)
            if handoff is not None:
                return handoff
            newest = session.execute(
                select(TicketRow)
                .where(TicketRow.conversation_id == conversation_id, TicketRow.status.in_(ACTIVE))
                .order_by(TicketRow.created_at.desc(), TicketRow.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            return ticket_record(newest) if newest is not None else None

    @staticmethod
    def _handoff(session: Session, conversation_id: str) -> Ticket | None:
        """The conversation's active hand-off ticket (the one holding its open_key)."""
        statement = select(TicketRow).where(TicketRow.open_key == conversation_id)
        row = session.execute(statement).scalar_one_or_none()
        return ticket_record(row) if row else None

    def count(self, query: TicketQuery | None = None) -> int:
        """Number of tickets matching the filters."""
        query = query or TicketQuery()
        with self._sessions() as session:
            statement = select(func.count(TicketRow.id)).where(*query_filters(query))
            total: int = session.execute(statement).scalar_one()
            return total

    def add_messages(self, ticket_id: int, messages: Sequence[NewMessage]) -> list[TicketMessage]:
        """Append transcript lines."""
        with self._sessions() as session, session.begin():
            if session.get(TicketRow, ticket_id) is None:
                raise TicketNotFound(ticket_id)
            rows = [message_row(ticket_id, message) for message in messages]
            session.add_all(rows)
            session.flush()
            return [message_record(row) for row in rows]

    def add_message(
        self, ticket_id: int, sender: Sender, text: str, at: datetime, faq_id: str | None = None
    ) -> TicketMessage:
        """Append one transcript line (`faq_id`: the suggested answer an agent reply began as)."""
        return self.add_messages(ticket_id, [NewMessage(Sender(sender), text, at, faq_id)])[0]

    def messages(self, ticket_id: int) -> list[TicketMessage]:
        """Transcript, oldest first."""
        with self._sessions() as session:
            rows = session.execute(
                select(TicketMessageRow)
                .where(TicketMessageRow.ticket_id == ticket_id)
                .order_by(TicketMessageRow.at, TicketMessageRow.id)
            ).scalars()
            return [message_record(row) for row in rows]

    def events(self, ticket_id: int) -> list[TicketEvent]:
        """History, oldest first."""
        with self._sessions() as session:
            rows = session.execute(
                select(TicketEventRow)
                .where(TicketEventRow.ticket_id == ticket_id)
                .order_by(TicketEventRow.at, TicketEventRow.id)
            ).scalars()
            return [event_record(row) for row in rows]

    def _change(
        self,
        ticket_id: int,
        at: datetime,
        actor: str,
        kind: EventKind,
        detail: str,
        mutate: transitions.Mutation,
    ) -> tuple[Ticket, TicketEvent]:
        """One logged change in its own transaction (see changes.apply_change)."""
        with self._sessions() as session, session.begin():
            return apply_change(session, ticket_id, at, actor, kind, detail, mutate)

    def assign(self, ticket_id: int, agent: str, actor: str, at: datetime) -> Ticket:
        """Give the ticket to an agent; the agent now owns the conversation."""
        change = transitions.assign(agent, at, claim=False)
        return self._change(ticket_id, at, actor, EventKind.ASSIGNED, agent, change)[0]

    def claim(self, ticket_id: int, agent: str, at: datetime) -> Ticket:
        """Take an unowned ticket (or keep one's own); ClaimConflict if another agent has it."""
        change = transitions.assign(agent, at, claim=True)
        return self._change(ticket_id, at, agent, EventKind.ASSIGNED, agent, change)[0]

    def escalate(
        self, ticket_id: int, unit: str, actor: str, at: datetime, note: str = ""
    ) -> Ticket:
        """Pass the ticket to a DJPK unit."""
        with self._sessions() as session, session.begin():
            return _escalate(session, ticket_id, Escalation(unit, actor, note), at)

    def resolve(self, ticket_id: int, actor: str, at: datetime, note: str = "") -> Ticket:
        """Mark answered and hand the conversation back to the bot."""
        change = transitions.finish(Status.RESOLVED, at)
        return self._change(ticket_id, at, actor, EventKind.RESOLVED, note, change)[0]

    def close(self, ticket_id: int, actor: str, at: datetime, note: str = "") -> Ticket:
        """Close for good and hand the conversation back to the bot."""
        change = transitions.finish(Status.CLOSED, at)
        return self._change(ticket_id, at, actor, EventKind.CLOSED, note, change)[0]

    def release(self, ticket_id: int, at: datetime, note: str = "") -> Ticket:
        """Closing time: keep the untaken ticket queued, let the bot answer again (once)."""
        return self._change(ticket_id, at, "bot", EventKind.RELEASED, note, transitions.release)[0]

    def set_csat(
        self, ticket_id: int, at: datetime, service: int | None = None, answer: int | None = None
    ) -> Ticket:
        """Store Kepuasan Layanan and/or Substansi Jawaban (1-5)."""
        service, answer = csat_score(service, "csat_service"), csat_score(answer, "csat_answer")
        if service is None and answer is None:
            raise ValueError("give at least one CSAT score")
        detail = f"service={service} answer={answer}"
        change = transitions.csat(service, answer)
        return self._change(ticket_id, at, "user", EventKind.CSAT, detail, change)[0]

    def add_note(self, ticket_id: int, actor: str, text: str, at: datetime) -> TicketEvent:
        """An internal note for agents and unit PICs."""
        return self._change(ticket_id, at, actor, EventKind.NOTE, text, transitions.nothing)[1]

    def record_booking(
        self,
        ticket_id: int,
        changes: Mapping[str, Any],
        kind: EventKind,
        actor: str,
        detail: str,
        message: str,
        at: datetime,
    ) -> tuple[Ticket, int | None]:
        """Context changes, the event and the agent's message to the user in one transaction;
        the ticket and the message's id (None without a message)."""
        change = transitions.update_context(changes, "book")
        with self._sessions() as session, session.begin():
            ticket, _ = apply_change(session, ticket_id, at, actor, kind, detail, change)
            if not message:
                return ticket, None
            row = message_row(ticket_id, NewMessage(Sender.AGENT, message, at))
            session.add(row)
            session.flush()
            return ticket, row.id

    def find(self, query: TicketQuery | None = None) -> list[Ticket]:
        """Tickets matching the query: newest first, or oldest (longest waiting) first."""
        query = query or TicketQuery()
        if query.order == "oldest":
            order = (TicketRow.created_at.asc(), TicketRow.id.asc())
        else:
            order = (TicketRow.created_at.desc(), TicketRow.id.desc())
        statement = (
            select(TicketRow).where(*query_filters(query)).order_by(*order).offset(query.offset)
        )
        if query.limit is not None:
            statement = statement.limit(query.limit)
        with self._sessions() as session:
            return [ticket_record(row) for row in session.execute(statement).scalars()]

    # The old name, for the callers outside bot/tickets not moved yet (bench/, test_payload_guard).
    list = find


def _escalate(session: Session, ticket_id: int, escalation: Escalation, at: datetime) -> Ticket:
    change = transitions.escalate(escalation.unit, at)
    detail = escalation_detail(escalation.unit, escalation.note)
    kind = EventKind.ESCALATED
    return apply_change(session, ticket_id, at, escalation.actor, kind, detail, change)[0]
