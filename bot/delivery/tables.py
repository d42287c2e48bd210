"""SQLAlchemy table of agent reply deliveries (migration 0008_deliveries)."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Text

from bot.db import Base
from bot.tickets.tables import UtcDateTime


class AgentDeliveryRow(Base):
    """The delivery state of one agent reply; `message_id` is its ticket_messages id."""

    __tablename__ = "agent_deliveries"
    __table_args__ = (
        Index("ix_agent_deliveries_ticket", "ticket_id"),
        Index("ix_agent_deliveries_waiting", "conversation_id", "channel", "state"),
    )

    message_id = Column(Integer, primary_key=True, autoincrement=False)
    ticket_id = Column(Integer, nullable=False)
    conversation_id = Column(String(128), nullable=False)
    channel = Column(String(32), nullable=False)
    text = Column(Text, nullable=False)
    state = Column(String(16), nullable=False)
    reason = Column(String(300), nullable=False, default="")
    wamid = Column(String(128), index=True)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(UtcDateTime, nullable=False)
    updated_at = Column(UtcDateTime, nullable=False)
