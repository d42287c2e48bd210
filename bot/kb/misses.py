"""The FAQ miss log: questions the knowledge base could not answer, for the monthly review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, DateTime, Float, Integer, String, Text, func, select
from sqlalchemy.engine import Engine

from bot.clock import as_utc, utcnow
from bot.db import Base, session_factory


class FaqMiss(Base):
    """One unanswered question (table `faq_misses`, created by migration 0001)."""

    __tablename__ = "faq_misses"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    text = Column(Text, nullable=False)
    best_id = Column(String(80))
    best_unit = Column(String(80))
    best_score = Column(Float, nullable=False)


@dataclass(frozen=True)
class MissCount:
    """How often one question went unanswered in a period, and the closest entry found."""

    text: str
    best_unit: str | None
    best_id: str | None
    count: int
    best_score: float
    last_seen: datetime


class MissLog:
    """Records FAQ misses and summarises them by question and owning unit."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = session_factory(engine)

    def record(
        self,
        conversation_id: str,
        channel: str,
        text: str,
        best_id: str | None,
        best_unit: str | None,
        best_score: float,
        at: datetime | None = None,
    ) -> None:
        """Store one unanswered question."""
        miss = FaqMiss(
            created_at=as_utc(at or utcnow()),
            conversation_id=conversation_id[:128],
            channel=channel[:32],
            text=text.strip(),
            best_id=best_id,
            best_unit=best_unit,
            best_score=float(best_score),
        )
        with self._sessions.begin() as session:
            session.add(miss)

    def top(self, since: datetime, until: datetime, limit: int = 20) -> list[MissCount]:
        """The most frequent misses in [since, until), grouped by question text and unit."""
        text = func.lower(func.trim(FaqMiss.text))
        query = (
            select(
                func.min(FaqMiss.text),
                FaqMiss.best_unit,
                func.max(FaqMiss.best_id),
                func.count(FaqMiss.id),
                func.max(FaqMiss.best_score),
                func.max(FaqMiss.created_at),
            )
            .where(FaqMiss.created_at >= as_utc(since), FaqMiss.created_at < as_utc(until))
            .group_by(text, FaqMiss.best_unit)
            .order_by(func.count(FaqMiss.id).desc(), text)
            .limit(limit)
        )
        with self._sessions() as session:
            rows = session.execute(query).all()
        return [
            MissCount(row[0], row[1], row[2], int(row[3]), float(row[4]), as_utc(row[5]))
            for row in rows
        ]

    def count(self, since: datetime, until: datetime) -> int:
        """How many misses were recorded in [since, until)."""
        query = select(func.count(FaqMiss.id)).where(
            FaqMiss.created_at >= as_utc(since), FaqMiss.created_at < as_utc(until)
        )
        with self._sessions() as session:
            return int(session.execute(query).scalar_one())
