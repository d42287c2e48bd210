"""Who may see and do what: agents and supervisors see every ticket, a unit PIC only its unit's."""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from bot.console.users import ConsoleUser, Role
from bot.tickets.records import Ticket, TicketQuery


class TicketAction(str, Enum):
    """Things a console user can do to a ticket."""

    CLAIM = "claim"
    ASSIGN = "assign"
    REPLY = "reply"
    NOTE = "note"
    ESCALATE = "escalate"
    RESOLVE = "resolve"


class Denied(Exception):
    """The user may not do this; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def can_see(user: ConsoleUser, ticket: Ticket) -> bool:
    """A unit PIC sees only tickets escalated to its own unit."""
    return user.role is not Role.UNIT_PIC or (
        user.unit is not None and ticket.escalation_unit == user.unit
    )


def scope(user: ConsoleUser, query: TicketQuery) -> TicketQuery:
    """The queue query narrowed to what the user may see."""
    if user.role is Role.UNIT_PIC:
        return replace(query, escalation_unit=user.unit or "\x00none")
    return query


def check(user: ConsoleUser, action: TicketAction, ticket: Ticket) -> None:
    """Raise Denied unless the user may do `action` on the ticket (it must be visible first)."""
    if not can_see(user, ticket):
        raise Denied(404, "ticket not found")
    if action is TicketAction.NOTE:
        return
    if not ticket.status.active:
        raise Denied(409, f"ticket is {ticket.status.value}")
    owner = ticket.assigned_agent
    if user.role is Role.SUPERVISOR:
        return
    if action is TicketAction.ASSIGN:
        raise Denied(403, "only a supervisor assigns tickets")
    if user.role is Role.UNIT_PIC:
        if action in (TicketAction.REPLY, TicketAction.RESOLVE):
            return
        raise Denied(403, "a unit PIC answers, notes and resolves its unit's tickets")
    if action is TicketAction.CLAIM:
        if owner not in (None, user.username):
            raise Denied(409, f"ticket is already claimed by {owner}")
        return
    if owner != user.username:
        raise Denied(
            409, "claim the ticket first" if owner is None else f"ticket belongs to {owner}"
        )


def check_reservation(user: ConsoleUser, ticket: Ticket) -> None:
    """Confirm, reschedule or decline a reservation: the owner agent or a supervisor only."""
    if not can_see(user, ticket):
        raise Denied(404, "ticket not found")
    if user.role is Role.UNIT_PIC:
        raise Denied(403, "reservations are worked by agents and supervisors")
    check(user, TicketAction.REPLY, ticket)
