"""Per-sender upload rate limit, kept in the database so every action server counts the same."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, Index, Integer, String, delete, func, select
from sqlalchemy.engine import Engine

from bot.clock import Clock, as_utc, utcnow
from bot.db import Base, session_factory

WINDOW = timedelta(hours=1)


class LetterUpload(Base):
    """One document a sender asked the bot to read."""

    __tablename__ = "letter_uploads"
    __table_args__ = (Index("ix_letter_uploads_sender_created", "sender", "created_at"),)
    id = Column(Integer, primary_key=True)
    sender = Column(String(128), nullable=False)
    channel = Column(String(32), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)


class UploadQuota:
    """At most `per_hour` documents per sender in any sliding hour; the clock is injectable."""

    def __init__(
        self,
        engine: Engine,
        per_hour: int,
        clock: Clock = utcnow,
    ) -> None:
        self._sessions = session_factory(engine)
        self.per_hour = per_hour
        self.clock = clock

    def take(self, sender: str, channel: str, now: datetime | None = None) -> bool:
        """Count one upload for the sender; False (and nothing counted) past the limit.

        The row is written first and counted with every earlier row, so two action servers
        taking the last place at the same time cannot both get it.
        """
        now, sender = as_utc(now or self.clock()), sender[:128]
        since = now - WINDOW
        with self._sessions.begin() as session:
            session.execute(
                delete(LetterUpload).where(
                    LetterUpload.sender == sender, LetterUpload.created_at < since
                )
            )
            row = LetterUpload(sender=sender, channel=channel[:32], created_at=now)
            session.add(row)
            session.flush()
            count = session.scalar(
                select(func.count(LetterUpload.id)).where(
                    LetterUpload.sender == sender,
                    LetterUpload.created_at >= since,
                    LetterUpload.id <= row.id,
                )
            )
            if count > self.per_hour:
                session.delete(row)
                return False
        return True

    def used(self, sender: str, now: datetime | None = None) -> int:
        """Uploads the sender made in the hour before `now`."""
        since = as_utc(now or self.clock()) - WINDOW
        with self._sessions() as session:
            count: int = session.scalar(
                select(func.count(LetterUpload.id)).where(
                    LetterUpload.sender == sender[:128], LetterUpload.created_at >= since
                )
            )
            return count
