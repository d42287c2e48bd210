"""The status rules: each change a ticket allows, as a mutation of its row (or TicketStateError)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.tickets.records import ClaimConflict, TicketStateError
from bot.tickets.tables import HandoffRow, TicketEventRow, TicketRow
from bot.tickets.taxonomy import Status

Mutation = Callable[[TicketRow, Session], None]


def _require_active(row: TicketRow, action: str) -> None:
    if not Status(row.status).active:
        raise TicketStateError(f"cannot {action} ticket {row.number}: it is {row.status}")


def assign(agent: str, at: datetime, claim: bool) -> Mutation:
    """Give an active ticket to `agent`, who then owns (and pauses) the conversation."""

    def mutate(row: TicketRow, session: Session) -> None:
        _require_active(row, "assign")
        if claim and row.assigned_agent not in (None, agent):
            raise ClaimConflict(f"ticket {row.number} is already claimed by {row.assigned_agent}")
        row.assigned_agent, row.assigned_at = agent, at
        if Status(row.status) is Status.OPEN:
            row.status = Status.ASSIGNED.value
        handoff = session.get(HandoffRow, row.conversation_id)
        if handoff is None:
            handoff = HandoffRow(conversation_id=row.conversation_id, channel=row.channel)
            session.add(handoff)
        handoff.paused, handoff.owner = True, agent
        handoff.ticket_id, handoff.updated_at = row.id, at

    return mutate


def escalate(unit: str, at: datetime) -> Mutation:
    """Pass an active ticket to a DJPK unit."""

    def mutate(row: TicketRow, _session: Session) -> None:
        _require_active(row, "escalate")
        row.status, row.escalation_unit, row.escalated_at = Status.ESCALATED.value, unit, at

    return mutate


def finish(status: Status, at: datetime) -> Mutation:
    """Resolve or close: free the conversation's active slot and hand it back to the bot."""

    def mutate(row: TicketRow, session: Session) -> None:
        if Status(row.status) in (Status.CLOSED, status):
            raise TicketStateError(f"ticket {row.number} is already {row.status}")
        row.status, row.open_key = status.value, None
        setattr(row, f"{status.value}_at", at)
        session.execute(
            update(HandoffRow)
            .where(HandoffRow.ticket_id == row.id)
            .values(paused=False, owner=None, updated_at=at)
            .execution_options(synchronize_session=False)
        )

    return mutate


def release(row: TicketRow, session: Session) -> None:
    """Closing time: an open, untaken ticket stays in the queue, its conversation is given back
    to the bot. Once per ticket (a "released" event already there refuses it)."""
    if Status(row.status) is not Status.OPEN or row.assigned_agent:
        raise TicketStateError(f"ticket {row.number} is {row.status}: not released")
    released = session.execute(
        select(TicketEventRow.id).where(
            TicketEventRow.ticket_id == row.id, TicketEventRow.kind == "released"
        )
    ).first()
    if released is not None:
        raise TicketStateError(f"ticket {row.number} was released already")
    session.execute(
        update(HandoffRow)
        .where(HandoffRow.ticket_id == row.id, HandoffRow.owner.is_(None))
        .values(paused=False, updated_at=row.updated_at)
        .execution_options(synchronize_session=False)
    )


def csat(service: int | None, answer: int | None) -> Mutation:
    """Set the given CSAT scores, keeping the other one."""

    def mutate(row: TicketRow, _session: Session) -> None:
        row.csat_service = service if service is not None else row.csat_service
        row.csat_answer = answer if answer is not None else row.csat_answer

    return mutate


def update_context(changes: Mapping[str, Any], action: str) -> Mutation:
    """Merge `changes` into an active ticket's context (a new dict, so the JSON column saves)."""

    def mutate(row: TicketRow, _session: Session) -> None:
        _require_active(row, action)
        row.context = {**(row.context or {}), **changes}

    return mutate


def nothing(_row: TicketRow, _session: Session) -> None:
    """No change besides the event itself (notes)."""
