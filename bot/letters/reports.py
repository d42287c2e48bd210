"""Reports of suspicious letters ("Laporkan surat palsu") and the log of every verification."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, Integer, String, Text, func, select
from sqlalchemy.engine import Engine

from bot.clock import as_utc, utcnow
from bot.db import Base, engine_for, session_factory
from bot.letters.verdict import Verdict, VerdictKind


class LetterReport(Base):
    """A user's report of a suspicious letter; later linked to a Pengaduan ticket."""

    __tablename__ = "letter_reports"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    number = Column(String(64), index=True)
    verdict = Column(String(16), nullable=False)
    evidence_text = Column(Text, nullable=False)
    file_sha256 = Column(String(64), index=True)
    pemda = Column(String(200))
    ticket_id = Column(Integer)


class LetterVerification(Base):
    """One verification (any verdict), for the monthly counts by verdict."""

    __tablename__ = "letter_verifications"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False, index=True)
    conversation_id = Column(String(128), index=True)
    channel = Column(String(32), nullable=False)
    verdict = Column(String(16), nullable=False)
    number = Column(String(64))
    source = Column(String(16), nullable=False)


@dataclass(frozen=True)
class ReportReceipt:
    """The stored report's id and how many reports its number (or file) has so far."""

    id: int
    count: int


def _value(verdict: Verdict | VerdictKind | str) -> str:
    if isinstance(verdict, Verdict):
        return verdict.verdict.value
    return verdict.value if isinstance(verdict, VerdictKind) else VerdictKind(verdict).value


class ReportLog:
    """Stores reports and verifications; counts them for replies and the monthly report."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = session_factory(engine)

    @classmethod
    def from_url(cls, db_url: str) -> ReportLog:
        """A log on the migrated database at this SQLAlchemy URL (Settings.db_url)."""
        return cls(engine_for(db_url))

    def submit(
        self,
        *,
        conversation_id: str,
        channel: str,
        verdict: Verdict | VerdictKind | str,
        number: str | None = None,
        evidence_text: str = "",
        file_sha256: str | None = None,
        pemda: str | None = None,
        ticket_id: int | None = None,
        at: datetime | None = None,
    ) -> ReportReceipt:
        """Store a report; the receipt counts reports of the same number (else the same file)."""
        report = LetterReport(
            created_at=as_utc(at or utcnow()),
            conversation_id=conversation_id,
            channel=channel,
            number=number,
            verdict=_value(verdict),
            evidence_text=evidence_text or "",
            file_sha256=file_sha256,
            pemda=pemda,
            ticket_id=ticket_id,
        )
        with self._sessions.begin() as session:
            session.add(report)
            session.flush()
            if number:
                where = LetterReport.number == number
            elif file_sha256:
                where = LetterReport.file_sha256 == file_sha256
            else:
                where = LetterReport.id == report.id
            count = session.scalar(select(func.count(LetterReport.id)).where(where))
            return ReportReceipt(report.id, int(count))

    def record(self, **fields: Any) -> int:
        """Store a report (fields as in submit); returns how many reports that number has so far."""
        return self.submit(**fields).count

    def record_verdict(
        self, verdict: Verdict, *, conversation_id: str, channel: str, pemda: str | None = None
    ) -> ReportReceipt:
        """Store a report straight from a verdict (number, evidence text and file hash)."""
        return self.submit(
            conversation_id=conversation_id,
            channel=channel,
            verdict=verdict,
            number=verdict.number,
            evidence_text=verdict.evidence,
            file_sha256=verdict.file_sha256,
            pemda=pemda,
        )

    def attach_ticket(self, report_id: int, ticket_id: int) -> None:
        """Link a report to the Pengaduan ticket created for it."""
        with self._sessions.begin() as session:
            session.get(LetterReport, report_id).ticket_id = ticket_id

    def log_verification(
        self,
        verdict: Verdict,
        *,
        channel: str,
        conversation_id: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record that a verification happened (verdict, number, source, time, channel)."""
        row = LetterVerification(
            created_at=as_utc(at or utcnow()),
            conversation_id=conversation_id,
            channel=channel,
            verdict=verdict.verdict.value,
            number=verdict.number,
            source=verdict.source.value,
        )
        with self._sessions.begin() as session:
            session.add(row)

    def _rows(self, column: Any, table: Any, since: datetime, until: datetime) -> list[Any]:
        query = select(column).where(
            table.created_at >= as_utc(since), table.created_at < as_utc(until)
        )
        with self._sessions() as session:
            return list(session.scalars(query))

    def counts_by_number(self, since: datetime, until: datetime) -> dict[str, int]:
        """Reports per letter number in [since, until), most reported first ('' = no number)."""
        numbers = self._rows(LetterReport.number, LetterReport, since, until)
        return dict(Counter(number or "" for number in numbers).most_common())

    def by_verdict(self, since: datetime, until: datetime) -> dict[str, int]:
        """Reports per verdict in [since, until)."""
        verdicts = self._rows(LetterReport.verdict, LetterReport, since, until)
        return dict(Counter(verdicts).most_common())

    def verifications_by_verdict(self, since: datetime, until: datetime) -> dict[str, int]:
        """Verifications per verdict in [since, until) (every verdict appears, zero included)."""
        verdicts = Counter(self._rows(LetterVerification.verdict, LetterVerification, since, until))
        return {kind.value: verdicts.get(kind.value, 0) for kind in VerdictKind}
