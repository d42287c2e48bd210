"""SQLAlchemy tables of the console (schema made by migration 0006)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String

from bot.db import Base
from bot.tickets.tables import UtcDateTime


class ConsoleUserRow(Base):
    """An agent, supervisor or unit PIC who can log in to the console."""

    __tablename__ = "console_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(128), nullable=False)
    role = Column(String(16), nullable=False)
    unit = Column(String(80))
    email = Column(
        String(254)
    )  # where a unit PIC gets the monthly review (migration console_email)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(UtcDateTime, nullable=False)
    updated_at = Column(UtcDateTime, nullable=False)
    last_login_at = Column(UtcDateTime)


class ConsoleSessionRow(Base):
    """A logged-in browser: only the SHA-256 of its token is stored, with its CSRF token."""

    __tablename__ = "console_sessions"

    token_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(UtcDateTime, nullable=False)
    last_seen_at = Column(UtcDateTime, nullable=False)
    expires_at = Column(UtcDateTime, nullable=False, index=True)


class DeskproOutboxRow(Base):
    """One ticket to mirror to Deskpro; kept (with its Deskpro id) after it was sent."""

    __tablename__ = "deskpro_outbox"
    __table_args__ = (Index("ix_deskpro_outbox_due", "sent_at", "next_attempt_at"),)

    id = Column(Integer, primary_key=True)
    ticket_id = Column(Integer, nullable=False, unique=True)
    ticket_created_at = Column(UtcDateTime, nullable=False, index=True)
    queued_at = Column(UtcDateTime, nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(UtcDateTime, nullable=False)
    locked_until = Column(UtcDateTime)
    sent_at = Column(UtcDateTime)
    deskpro_id = Column(Integer)
    deskpro_ref = Column(String(64))
    last_error = Column(String(500))
