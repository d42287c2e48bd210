"""The replies sent for each inbound row, keyed by (inbox key, n-th send), so a resumed turn
sends only what the interrupted one had not sent yet.

Each send is written down as `sending` before the Graph API call and as `sent` or `failed`
after it. A resumed turn counts its sends again from 0: a number recorded `sent` or `failed`
is skipped; one left `sending` (the process died during that very call, a window of
milliseconds) is sent again, with a warning, since a reply that might be lost is worse than
one that might come twice.
"""

from __future__ import annotations

import logging
from enum import Enum

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.channels.fallback import safely
from bot.channels.tables import whatsapp_outbound, whatsapp_replies
from bot.clock import utcnow

logger = logging.getLogger(__name__)
_replies = whatsapp_replies


class SendState(str, Enum):
    """What the journal knows of one send of a turn."""

    NEW = "new"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class ReplyJournal:
    """The whatsapp_replies table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def begin(self, inbound: str, seq: int, recipient: str, text: str) -> SendState:
        """Record the send as under way; returns what was recorded before (NEW if nothing)."""
        row = {
            "inbound": inbound,
            "seq": seq,
            "state": SendState.SENDING.value,
            "recipient": recipient[:64],
            "text": text,
            "created_at": utcnow(),
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(_replies.insert().values(**row))
            return SendState.NEW
        except IntegrityError:
            return self.state(inbound, seq) or SendState.NEW

    def end(self, inbound: str, seq: int, state: SendState, wamid: str | None) -> None:
        """Record how the send went; a sent one is also kept as a sent text (whatsapp_outbound,
        for a failed status later), in the same transaction."""
        update = _replies.update().where(_replies.c.inbound == inbound, _replies.c.seq == seq)
        with self.engine.begin() as connection:
            connection.execute(update.values(state=state.value, wamid=wamid))
            if state is not SendState.SENT or not wamid:
                return
            sent = sa.select(_replies.c.recipient, _replies.c.text).where(
                _replies.c.inbound == inbound, _replies.c.seq == seq
            )
            row = connection.execute(sent).first()
            known = sa.select(whatsapp_outbound.c.wamid).where(whatsapp_outbound.c.wamid == wamid)
            if row is not None and connection.execute(known).first() is None:
                connection.execute(
                    whatsapp_outbound.insert().values(
                        wamid=wamid, recipient=row[0], text=row[1], sent_at=utcnow()
                    )
                )

    def state(self, inbound: str, seq: int) -> SendState | None:
        """The recorded state of one send."""
        query = sa.select(_replies.c.state).where(
            _replies.c.inbound == inbound, _replies.c.seq == seq
        )
        with self.engine.connect() as connection:
            value = connection.execute(query).scalar()
        return None if value is None else SendState(value)

    def sends(self, inbound: str) -> list[tuple[int, str, str]]:
        """(seq, state, text) of a turn's sends, in order (tests, checks)."""
        query = (
            sa.select(_replies.c.seq, _replies.c.state, _replies.c.text)
            .where(_replies.c.inbound == inbound)
            .order_by(_replies.c.seq)
        )
        with self.engine.connect() as connection:
            return [tuple(row) for row in connection.execute(query)]


class Turn:
    """The sends of one inbound row being processed: numbers them and asks the journal."""

    def __init__(self, journal: ReplyJournal, inbound: str) -> None:
        self.journal = journal
        self.inbound = inbound
        self._next = 0

    async def begin(self, recipient: str, text: str) -> int | None:
        """The number of this send, or None when an earlier run of the turn already made it."""
        seq, self._next = self._next, self._next + 1
        before = await safely(
            self.journal.begin, self.inbound, seq, recipient, text, default=SendState.NEW
        )
        if before in (SendState.SENT, SendState.FAILED):
            logger.info("Reply %d to %s was already %s: skipped", seq, self.inbound, before.value)
            return None
        if before is SendState.SENDING:
            logger.warning(
                "Reply %d to %s may have gone out before a crash: again", seq, self.inbound
            )
        return seq

    async def end(self, seq: int, delivered: bool, wamid: str | None = None) -> None:
        """Record the outcome of send `seq`."""
        state = SendState.SENT if delivered else SendState.FAILED
        await safely(self.journal.end, self.inbound, seq, state, wamid, default=None)
