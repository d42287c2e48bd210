"""Frozen records the ticket store and service hand to callers (never ORM objects), and errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.hours import Zone
from bot.regions import Region
from bot.tickets.taxonomy import Category, Channel, EventKind, Sender, Status, Topic


class TicketNotFound(LookupError):
    """No ticket with that id or number."""


class TicketStateError(ValueError):
    """The change is not allowed in the ticket's current status."""


class ClaimConflict(TicketStateError):
    """Another agent already owns the ticket."""


@dataclass(frozen=True)
class NewMessage:
    """One line of a transcript, before it is stored."""

    sender: Sender
    text: str
    at: datetime
    faq_id: str | None = None  # an agent reply started from this suggested FAQ answer


@dataclass(frozen=True)
class NewTicket:
    """What the bot knows when it hands a conversation over."""

    conversation_id: str
    channel: Channel
    topic: Topic = Topic.LAINNYA
    summary: str = ""
    user_name: str | None = None
    instansi: str | None = None
    category: Category | None = None
    pemda: str | None = None
    zone: Zone | None = None
    in_service_hours: bool = True
    context: Mapping[str, Any] = field(default_factory=dict)
    transcript: Sequence[NewMessage] = ()


@dataclass(frozen=True)
class Ticket:
    """A ticket as stored; timestamps are timezone-aware UTC."""

    id: int
    number: str
    conversation_id: str
    channel: Channel
    user_name: str | None
    instansi: str | None
    category: Category | None
    pemda: str | None
    zone: Zone | None
    topic: Topic
    summary: str
    status: Status
    in_service_hours: bool
    assigned_agent: str | None
    escalation_unit: str | None
    context: Mapping[str, Any]
    csat_service: int | None
    csat_answer: int | None
    created_at: datetime
    updated_at: datetime
    assigned_at: datetime | None = None
    escalated_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (enums as their values, times as ISO 8601 UTC)."""
        data: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, datetime):
                value = value.isoformat()
            elif hasattr(value, "value"):
                value = value.value
            elif isinstance(value, Mapping):
                value = dict(value)
            data[name] = value
        return data


@dataclass(frozen=True)
class TicketMessage:
    """A stored transcript line."""

    id: int
    ticket_id: int
    at: datetime
    sender: Sender
    text: str
    faq_id: str | None = None  # an agent reply started from this suggested FAQ answer


@dataclass(frozen=True)
class TicketEvent:
    """One change in a ticket's history: status, assignment, escalation, note, CSAT."""

    id: int
    ticket_id: int
    at: datetime
    kind: EventKind
    actor: str
    detail: str


@dataclass(frozen=True)
class Escalation:
    """The DJPK unit a new ticket goes to, in the transaction that opens it."""

    unit: str
    actor: str = "bot"
    note: str = ""


@dataclass(frozen=True)
class TicketQuery:
    """Filters and order for the console queue and reports; None means any."""

    status: Status | tuple[Status, ...] | None = None
    channel: Channel | None = None
    topic: Topic | None = None
    zone: Zone | None = None
    in_hours: bool | None = None
    escalation_unit: str | None = None
    assigned_agent: str | None = None
    conversation_id: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    order: Literal["newest", "oldest"] = "newest"
    limit: int | None = 50
    offset: int = 0


@dataclass(frozen=True)
class Handoff:
    """Who owns a conversation: while `paused`, the bot stays silent and an agent answers."""

    conversation_id: str
    channel: Channel
    paused: bool
    ticket_id: int | None
    owner: str | None
    updated_at: datetime


@dataclass(frozen=True)
class UserProfile:
    """What a user told the bot about themselves, remembered for the next conversation."""

    sender_id: str
    channel: Channel
    name: str | None = None
    instansi: str | None = None
    category: Category | None = None
    pemda: str | None = None
    zone: Zone | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ConversationLabel:
    """Per conversation and day (WIB): what it was about and whether the bot handled it alone."""

    conversation_id: str
    channel: Channel
    created_at: datetime
    topic: Topic | None = None
    category: Category | None = None
    pemda: str | None = None
    zone: Zone | None = None
    bot_only: bool = True
    in_service_hours: bool | None = None  # at the day's first contact


@dataclass(frozen=True)
class Identity:
    """What the instansi text tells about a user."""

    region: Region | None
    category: Category
    zone: Zone | None
    pemda: str | None


@dataclass(frozen=True)
class Waiting:
    """A ticket no agent has taken yet, and its place in the queue (1 = next)."""

    ticket: Ticket
    position: int


@dataclass(frozen=True)
class HandoffResult:
    """Outcome of a hand-off, with what the bot needs to tell the user."""

    ticket: Ticket
    created: bool
    in_hours: bool
    zone: Zone | None
    opening: str | None  # "Senin, 09.00 WITA" when outside service hours, else None
    paused: bool


@dataclass(frozen=True)
class BookingResult:
    """A reservation decision as stored, and the message to send to the user (the transcript
    line `message_id`, whose delivery the console tracks)."""

    ticket: Ticket
    message: str
    message_id: int | None = None
