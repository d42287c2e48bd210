"""The two stores behind TicketService: tickets (with messages, events, transitions) and
conversation state (pause, profiles, labels), as protocols, with their SQL implementations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.tickets.records import (
    ConversationLabel,
    Escalation,
    Handoff,
    NewMessage,
    NewTicket,
    Ticket,
    TicketEvent,
    TicketMessage,
    TicketQuery,
    UserProfile,
)
from bot.tickets.taxonomy import Channel, EventKind, Sender


class TicketStore(Protocol):
    """Tickets, their transcript and history, and the transitions between statuses."""

    def create_for_conversation(self, new: NewTicket, now: datetime) -> tuple[Ticket, bool]:
        """Create a ticket, or return the conversation's active one; True when created now."""

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
        """create_for_conversation plus pausing, profile, label and escalation, atomically;
        `separate`: always a new ticket of its own (a request), not the hand-off ticket."""

    def get(self, ticket_id: int) -> Ticket | None:
        """The ticket with this id."""

    def by_number(self, number: str) -> Ticket | None:
        """The ticket with this DJPK-YYYYMMDD-NNNN number."""

    def active_for_conversation(self, conversation_id: str) -> Ticket | None:
        """The conversation's active ticket that owns it (paused for, else hand-off, else the
        newest request)."""

    def count(self, query: TicketQuery | None = None) -> int:
        """How many tickets match the query's filters (ignores order and paging)."""

    def add_messages(self, ticket_id: int, messages: Sequence[NewMessage]) -> list[TicketMessage]:
        """Append transcript lines."""

    def add_message(
        self, ticket_id: int, sender: Sender, text: str, at: datetime, faq_id: str | None = None
    ) -> TicketMessage:
        """Append one transcript line (`faq_id`: the suggested answer an agent reply began as)."""

    def messages(self, ticket_id: int) -> list[TicketMessage]:
        """The transcript, oldest first."""

    def events(self, ticket_id: int) -> list[TicketEvent]:
        """The history of changes, oldest first."""

    def assign(self, ticket_id: int, agent: str, actor: str, at: datetime) -> Ticket:
        """Give the ticket to an agent (a supervisor may reassign); the agent owns the chat."""

    def claim(self, ticket_id: int, agent: str, at: datetime) -> Ticket:
        """Take an unowned ticket; ClaimConflict when another agent has it."""

    def escalate(
        self, ticket_id: int, unit: str, actor: str, at: datetime, note: str = ""
    ) -> Ticket:
        """Pass the ticket to a DJPK unit."""

    def resolve(self, ticket_id: int, actor: str, at: datetime, note: str = "") -> Ticket:
        """Mark answered; the conversation goes back to the bot."""

    def close(self, ticket_id: int, actor: str, at: datetime, note: str = "") -> Ticket:
        """Close for good (spam, duplicate, after CSAT); the conversation goes back to the bot."""

    def release(self, ticket_id: int, at: datetime, note: str = "") -> Ticket:
        """Closing time: an open, untaken ticket stays queued and the bot answers again; once
        per ticket (TicketStateError after)."""

    def set_csat(
        self,
        ticket_id: int,
        at: datetime,
        service: int | None = None,
        answer: int | None = None,
    ) -> Ticket:
        """Store Kepuasan Layanan and/or Substansi Jawaban, each 1-5."""

    def add_note(self, ticket_id: int, actor: str, text: str, at: datetime) -> TicketEvent:
        """An internal note, never shown to the user."""

    def find(self, query: TicketQuery | None = None) -> list[Ticket]:
        """Tickets matching the query, in its order, one page."""

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
        """A reservation decision: context changes, its event and the agent's message, at once;
        the ticket and the id of that message (its delivery is tracked like any reply's). An
        empty `message` records no transcript line (None)."""


class ConversationStore(Protocol):
    """What the bot keeps per conversation and sender besides tickets."""

    def pause(
        self,
        conversation_id: str,
        channel: Channel,
        at: datetime,
        ticket_id: int | None = None,
        owner: str | None = None,
    ) -> Handoff:
        """Silence the bot in this conversation."""

    def resume(self, conversation_id: str, at: datetime) -> Handoff | None:
        """Let the bot answer again."""

    def handoff(self, conversation_id: str) -> Handoff | None:
        """The conversation's hand-off state, if it ever had one."""

    def is_paused(self, conversation_id: str) -> bool:
        """Whether the bot must stay silent in this conversation."""

    def get_profile(self, sender_id: str, channel: Channel) -> UserProfile | None:
        """The remembered profile of a sender."""

    def put_profile(self, profile: UserProfile, at: datetime) -> UserProfile:
        """Remember (or update) a sender's profile; None fields keep their old value."""

    def put_label(self, label: ConversationLabel) -> ConversationLabel:
        """Label the conversation for its day (WIB); bot_only only ever turns False."""

    def labels(self, start: datetime, end: datetime) -> list[ConversationLabel]:
        """Labels created in [start, end)."""


# The implementations, re-exported (below the protocols they satisfy).
from bot.tickets.conversations import SqlConversationState  # noqa: E402
from bot.tickets.sql import SqlTicketStore  # noqa: E402

__all__ = ["ConversationStore", "SqlConversationState", "SqlTicketStore", "TicketStore"]
