"""The SQL store of agent reply deliveries: one row per agent message, moved by `advance`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.clock import Clock, as_utc, utcnow
from bot.db import session_factory
from bot.delivery.records import MessageDelivery, State, advance
from bot.delivery.tables import AgentDeliveryRow

REASON_LIMIT = 300


def _record(row: AgentDeliveryRow) -> MessageDelivery:
    return MessageDelivery(
        message_id=row.message_id,
        ticket_id=row.ticket_id,
        conversation_id=row.conversation_id,
        channel=row.channel,
        text=row.text,
        state=State(row.state),
        reason=row.reason or "",
        wamid=row.wamid,
        attempts=row.attempts,
        updated_at=as_utc(row.updated_at) if row.updated_at else None,
    )


class DeliveryStore:
    """Create, move and read delivery rows; every change goes through `advance`."""

    def __init__(self, engine: Engine, clock: Clock = utcnow) -> None:
        self._sessions = session_factory(engine)
        self.clock = clock

    def create(
        self, message_id: int, ticket_id: int, conversation_id: str, channel: str, text: str
    ) -> MessageDelivery:
        """A new agent reply, queued (idempotent: an existing row is returned as is)."""
        now = self.clock()
        with self._sessions() as session, session.begin():
            row = session.get(AgentDeliveryRow, message_id)
            if row is None:
                row = AgentDeliveryRow(
                    message_id=message_id,
                    ticket_id=ticket_id,
                    conversation_id=conversation_id,
                    channel=channel,
                    text=text,
                    state=State.QUEUED.value,
                    reason="",
                    attempts=0,
                    created_at=now,
                    updated_at=now,
                )
                session.add(row)
            return _record(row)

    def mark(
        self,
        message_id: int,
        state: State,
        reason: str = "",
        wamid: str | None = None,
        attempt: bool = False,
    ) -> MessageDelivery | None:
        """Report `state` for one reply; the stored state follows `advance`. None if unknown."""
        with self._sessions() as session, session.begin():
            row = session.get(AgentDeliveryRow, message_id, with_for_update=True)
            if row is None:
                return None
            self._apply(row, state, reason, wamid, attempt)
            return _record(row)

    def _apply(
        self, row: AgentDeliveryRow, state: State, reason: str, wamid: str | None, attempt: bool
    ) -> None:
        new = advance(State(row.state), state)
        if new is not State(row.state) or reason:
            row.reason = reason[:REASON_LIMIT] if new in (State.FAILED, State.QUEUED) else ""
        row.state = new.value
        if wamid:
            row.wamid = wamid
        if attempt:
            row.attempts = (row.attempts or 0) + 1
        row.updated_at = self.clock()

    def by_status(self, wamid: str, state: State, reason: str = "") -> MessageDelivery | None:
        """Apply a WhatsApp status to the reply that got this wamid (None: not an agent's)."""
        if not wamid:
            return None
        with self._sessions() as session, session.begin():
            row = session.execute(
                select(AgentDeliveryRow).where(AgentDeliveryRow.wamid == wamid).limit(1)
            ).scalar_one_or_none()
            if row is None:
                return None
            self._apply(row, state, reason, None, False)
            return _record(row)

    def requeue(self, message_id: int, reason: str = "") -> MessageDelivery | None:
        """A failed reply back to queued, for an agent's retry; None unless it had failed."""
        with self._sessions() as session, session.begin():
            row = session.get(AgentDeliveryRow, message_id, with_for_update=True)
            if row is None or State(row.state) is not State.FAILED:
                return None
            row.state, row.reason, row.wamid = State.QUEUED.value, reason[:REASON_LIMIT], None
            row.updated_at = self.clock()
            return _record(row)

    def get(self, message_id: int) -> MessageDelivery | None:
        """One reply's delivery."""
        with self._sessions() as session:
            row = session.get(AgentDeliveryRow, message_id)
            return _record(row) if row is not None else None

    def for_ticket(self, ticket_id: int) -> dict[int, MessageDelivery]:
        """Every agent reply of a ticket by message id."""
        with self._sessions() as session:
            rows = session.execute(
                select(AgentDeliveryRow).where(AgentDeliveryRow.ticket_id == ticket_id)
            ).scalars()
            return {row.message_id: _record(row) for row in rows}

    def queued_for(self, conversation_id: str, channel: str) -> list[MessageDelivery]:
        """Replies waiting for this user to come back on `channel`, oldest first."""
        with self._sessions() as session:
            rows = session.execute(
                select(AgentDeliveryRow)
                .where(
                    AgentDeliveryRow.conversation_id == conversation_id,
                    AgentDeliveryRow.channel == channel,
                    AgentDeliveryRow.state == State.QUEUED.value,
                )
                .order_by(AgentDeliveryRow.message_id)
            ).scalars()
            return [_record(row) for row in rows]

    def now(self) -> datetime:
        """The store's clock (for window checks made next to its rows)."""
        return self.clock()
