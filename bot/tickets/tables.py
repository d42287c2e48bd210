"""SQLAlchemy tables of tickets and conversation state (schema made by migration 0003)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.db import Base


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (naive UTC text) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class TicketRow(Base):
    """One hand-off to a human agent."""

    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint("csat_service BETWEEN 1 AND 5", name="ck_tickets_csat_service"),
        CheckConstraint("csat_answer BETWEEN 1 AND 5", name="ck_tickets_csat_answer"),
        Index("ix_tickets_created", "created_at", "id"),
        Index("ix_tickets_status_created", "status", "created_at"),
        Index("ix_tickets_channel_created", "channel", "created_at"),
        Index("ix_tickets_topic_created", "topic", "created_at"),
        Index("ix_tickets_zone_created", "zone", "created_at"),
        Index("ix_tickets_hours_created", "in_service_hours", "created_at"),
        Index("ix_tickets_unit_created", "escalation_unit", "created_at"),
        Index("ix_tickets_agent_created", "assigned_agent", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    number = Column(String(24), nullable=False, unique=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    # Equals conversation_id while the ticket is active, NULL after resolve/close: the unique
    # constraint makes "one active ticket per conversation" hold under concurrent creates.
    open_key = Column(String(128), unique=True)
    channel = Column(String(16), nullable=False)
    user_name = Column(String(200))
    instansi = Column(String(300))
    category = Column(String(32))
    pemda = Column(String(120))
    zone = Column(String(4))
    topic = Column(String(32), nullable=False)
    summary = Column(Text, nullable=False, default="")
    status = Column(String(16), nullable=False)
    in_service_hours = Column(Boolean, nullable=False)
    assigned_agent = Column(String(120))
    escalation_unit = Column(String(120))
    context = Column(JSON, nullable=False, default=dict)
    csat_service = Column(Integer)
    csat_answer = Column(Integer)
    created_at = Column(UtcDateTime, nullable=False)
    updated_at = Column(UtcDateTime, nullable=False)
    assigned_at = Column(UtcDateTime)
    escalated_at = Column(UtcDateTime)
    resolved_at = Column(UtcDateTime)
    closed_at = Column(UtcDateTime)


class TicketEventRow(Base):
    """A timestamped change of a ticket."""

    __tablename__ = "ticket_events"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False)
    at = Column(UtcDateTime, nullable=False)
    kind = Column(String(16), nullable=False)
    actor = Column(String(120), nullable=False)
    detail = Column(Text, nullable=False, default="")
    __table_args__ = (Index("ix_ticket_events_ticket", "ticket_id", "at"),)


class TicketMessageRow(Base):
    """A transcript line of a ticket (user, bot or agent)."""

    __tablename__ = "ticket_messages"

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="CASCADE"), nullable=False)
    at = Column(UtcDateTime, nullable=False)
    sender = Column(String(8), nullable=False)
    text = Column(Text, nullable=False)
    faq_id = Column(String(120))  # agent reply from a suggested FAQ answer (migration reply_faq)
    __table_args__ = (Index("ix_ticket_messages_ticket", "ticket_id", "at"),)


class TicketCounterRow(Base):
    """Last ticket sequence number handed out per service day (WIB), for DJPK-YYYYMMDD-NNNN."""

    __tablename__ = "ticket_counters"

    day = Column(String(8), primary_key=True)
    last = Column(Integer, nullable=False)


class HandoffRow(Base):
    """Conversation state shared by the Rasa server, the action server and the console."""

    __tablename__ = "handoffs"

    conversation_id = Column(String(128), primary_key=True)
    channel = Column(String(16), nullable=False)
    paused = Column(Boolean, nullable=False, default=False)
    ticket_id = Column(Integer, ForeignKey("tickets.id", ondelete="SET NULL"))
    owner = Column(String(120))
    updated_at = Column(UtcDateTime, nullable=False)


class UserProfileRow(Base):
    """A user's name, instansi and pemda, per sender and channel."""

    __tablename__ = "user_profiles"

    sender_id = Column(String(128), primary_key=True)
    channel = Column(String(16), primary_key=True)
    name = Column(String(200))
    instansi = Column(String(300))
    category = Column(String(32))
    pemda = Column(String(120))
    zone = Column(String(4))
    updated_at = Column(UtcDateTime, nullable=False)


class ConversationLabelRow(Base):
    """Topic and outcome of a conversation per day, so reports can count bot-only ones."""

    __tablename__ = "conversation_labels"
    __table_args__ = (
        UniqueConstraint("conversation_id", "day", name="uq_conversation_labels_day"),
        Index("ix_conversation_labels_created", "created_at"),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False)
    day = Column(String(8), nullable=False)
    channel = Column(String(16), nullable=False)
    topic = Column(String(32))
    category = Column(String(32))
    pemda = Column(String(120))
    zone = Column(String(4))
    bot_only = Column(Boolean, nullable=False, default=True)
    in_service_hours = Column(Boolean)  # when the day's first contact came (NULL: before 0009)
    created_at = Column(UtcDateTime, nullable=False)
