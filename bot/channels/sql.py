"""What the WhatsApp channel keeps in the database: statuses, sent texts, failures (the inbox
and its dedup: `bot.channels.queue`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.channels.inbound import Status
from bot.channels.tables import (
    message_statuses,
    outbound_failures,
    whatsapp_inbox,
    whatsapp_outbound,
    whatsapp_replies,
)
from bot.clock import utcnow


class Resolution(str, Enum):
    """What became of a reply WhatsApp refused."""

    TEMPLATE_SENT = "template_sent"
    RECORDED = "recorded"


@dataclass(frozen=True)
class Failure:
    """A reply that could not be delivered as such."""

    recipient: str
    text: str
    error_code: int | None
    error_title: str
    resolution: Resolution
    created_at: datetime


class WhatsAppStore:
    """Insert-or-ignore on unique keys keeps each status once, across processes."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record_status(self, status: Status) -> bool:
        """Keep one row per (wamid, status); False for a repeated delivery of the same status."""
        row = {
            "wamid": status.wamid,
            "recipient": status.recipient,
            "status": status.status[:16],
            "meta_timestamp": status.timestamp[:20],
            "error_code": status.error_code,
            "error_title": status.error_title[:200],
            "recorded_at": utcnow(),
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(message_statuses.insert().values(**row))
        except IntegrityError:
            return False
        return True

    def statuses(self, wamid: str) -> list[str]:
        """Statuses recorded for one sent message, oldest first."""
        query = (
            sa.select(message_statuses.c.status)
            .where(message_statuses.c.wamid == wamid)
            .order_by(message_statuses.c.id)
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def record_sent(self, wamid: str, recipient: str, text: str) -> None:
        """Remember what a sent message said, in case WhatsApp reports it failed later."""
        if not wamid:
            return
        row = {"wamid": wamid, "recipient": recipient, "text": text, "sent_at": utcnow()}
        try:
            with self.engine.begin() as connection:
                connection.execute(whatsapp_outbound.insert().values(**row))
        except IntegrityError:
            pass

    def sent_text(self, wamid: str) -> str | None:
        """The text of a message the bot sent, if recorded."""
        query = sa.select(whatsapp_outbound.c.text).where(whatsapp_outbound.c.wamid == wamid)
        with self.engine.connect() as connection:
            return connection.execute(query).scalar()

    def record_failure(
        self, recipient: str, text: str, code: int | None, title: str, resolution: Resolution
    ) -> None:
        """Keep an undelivered reply for the agents (never silently dropped)."""
        row = {
            "channel": "whatsapp",
            "recipient": recipient,
            "text": text,
            "error_code": code,
            "error_title": title[:200],
            "resolution": resolution.value,
            "created_at": utcnow(),
        }
        with self.engine.begin() as connection:
            connection.execute(outbound_failures.insert().values(**row))

    def template_sent_since(self, recipient: str, since: timedelta) -> bool:
        """True when a fallback template already went to this recipient recently."""
        table = outbound_failures
        query = (
            sa.select(table.c.id)
            .where(table.c.recipient == recipient)
            .where(table.c.resolution == Resolution.TEMPLATE_SENT.value)
            .where(table.c.created_at >= utcnow() - since)
            .limit(1)
        )
        with self.engine.connect() as connection:
            return connection.execute(query).first() is not None

    def failures(self, recipient: str | None = None) -> list[Failure]:
        """Recorded failures, oldest first (optionally for one recipient)."""
        table = outbound_failures
        columns = [table.c[name] for name in Failure.__dataclass_fields__]
        query = sa.select(*columns).order_by(table.c.id)
        if recipient is not None:
            query = query.where(table.c.recipient == recipient)
        with self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [Failure(**{**row, "resolution": Resolution(row["resolution"])}) for row in rows]

    def prune(self, older_than: timedelta = timedelta(days=30), now: datetime | None = None) -> int:
        """Forget finished inbox rows (the dedup keys), their replies and sent texts past
        Meta's retry horizon (7 days) with margin; unfinished rows are always kept.

        Returns how many rows were removed.
        """
        cutoff = (now or utcnow()) - older_than
        inbox, replies, sent = whatsapp_inbox, whatsapp_replies, whatsapp_outbound
        with self.engine.begin() as connection:
            removed = connection.execute(inbox.delete().where(inbox.c.done_at < cutoff)).rowcount
            removed += connection.execute(
                replies.delete().where(replies.c.created_at < cutoff)
            ).rowcount
            removed += connection.execute(sent.delete().where(sent.c.sent_at < cutoff)).rowcount
        return removed
