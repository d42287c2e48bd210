"""Guard against `/intent{...}` injection: only payloads the bot offered pass as payloads.

Rasa reads any text starting with "/" as an intent with entities, so on a public channel a
user could type `/share_document{"document_path": "/etc/passwd"}` and force an intent. Output
channels record every button payload they offer to a conversation; inbound text starting with
"/" is accepted as a payload only when it was offered to that conversation within the window.
Any other such text is neutralised by stripping its leading slashes (and spaces): "/greet"
becomes "greet", which Rasa treats as plain text for NLU. Stripping (rather than inserting an
invisible character) keeps the text readable for agents and does not disturb tokenizers.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.channels.tables import offered_payloads
from bot.clock import Clock, utcnow

PAYLOAD_PREFIX = "/"
REF_PREFIX = "p."
_LEADING = re.compile(r"^[\s/]+")
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def neutralise(text: str) -> str:
    """Strip leading slashes and spaces so Rasa cannot read the text as an intent."""
    return _LEADING.sub("", text)


def short_ref(payload: str) -> str:
    """A stable short id standing for a payload too long for a button id."""
    return REF_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


class PayloadGuard:
    """Records offered payloads per conversation and checks inbound text against them."""

    def __init__(
        self, engine: Engine, window: timedelta = timedelta(hours=24), clock: Clock = utcnow
    ) -> None:
        self.engine = engine
        self.window = window
        self.clock = clock

    def offer(
        self,
        conversation_id: str,
        payloads: Sequence[str],
        numbered: bool = False,
        max_id_length: int = 256,
    ) -> list[str]:
        """Record one offer; returns the id to send for each payload (itself, or a short ref)."""
        offer_id, now = uuid.uuid4().hex, self.clock()
        ids = [p if len(p) <= max_id_length else short_ref(p) for p in payloads]
        rows = [
            {
                "conversation_id": conversation_id,
                "payload": payload,
                "ref": wire_id if wire_id != payload else None,
                "position": position if numbered else None,
                "offer_id": offer_id,
                "created_at": now,
            }
            for position, (payload, wire_id) in enumerate(zip(payloads, ids, strict=True), start=1)
        ]
        if rows:
            with self.engine.begin() as connection:
                connection.execute(offered_payloads.insert(), rows)
        return ids

    def _recent(self, conversation_id: str) -> sa.sql.Select:
        table = offered_payloads
        return (
            sa.select(table.c.payload)
            .where(table.c.conversation_id == conversation_id)
            .where(table.c.created_at >= self.clock() - self.window)
        )

    def is_offered(self, conversation_id: str, payload: str) -> bool:
        """True when this exact payload was offered to the conversation within the window."""
        query = self._recent(conversation_id).where(offered_payloads.c.payload == payload)
        with self.engine.connect() as connection:
            return connection.execute(query.limit(1)).first() is not None

    def resolve_choice(self, conversation_id: str, choice_id: str) -> str | None:
        """The payload behind a button or list id, or None when it was never offered here."""
        if choice_id.startswith(REF_PREFIX):
            query = self._recent(conversation_id).where(offered_payloads.c.ref == choice_id)
            with self.engine.connect() as connection:
                found = connection.execute(query.limit(1)).scalar()
            if found is not None:
                return found
        return choice_id if self.is_offered(conversation_id, choice_id) else None

    def resolve_number(self, conversation_id: str, text: str) -> str | None:
        """The payload chosen by answering "2" to the latest numbered list, if that is the reply."""
        match = _NUMBER.match(text)
        if not match:
            return None
        table = offered_payloads
        latest = (
            sa.select(table.c.offer_id, table.c.position)
            .where(table.c.conversation_id == conversation_id)
            .where(table.c.created_at >= self.clock() - self.window)
            .order_by(table.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            row = connection.execute(latest).first()
            if row is None or row.position is None:
                return None
            query = (
                sa.select(table.c.payload)
                .where(table.c.offer_id == row.offer_id)
                .where(table.c.position == int(match.group(1)))
            )
            return connection.execute(query).scalar()

    def sanitize_inbound(self, conversation_id: str, text: str) -> str:
        """Text as Rasa may read it: an offered payload as is, any other "/..." neutralised."""
        stripped = text.strip()
        if not stripped.startswith(PAYLOAD_PREFIX):
            return text
        if self.is_offered(conversation_id, stripped):
            return stripped
        return neutralise(stripped)

    def prune(self, older_than: timedelta | None = None, now: datetime | None = None) -> int:
        """Delete offers older than the window (or `older_than`) at `now`; returns rows removed."""
        cutoff = (now or self.clock()) - (older_than or self.window)
        with self.engine.begin() as connection:
            result = connection.execute(
                offered_payloads.delete().where(offered_payloads.c.created_at < cutoff)
            )
        return result.rowcount or 0
