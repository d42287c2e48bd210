"""SQL stores of the knowledge loop: votes, the questions to route (misses and votes), changes
and monthly review runs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.clock import as_utc, utcnow
from bot.db import session_factory
from bot.kb.loop.records import SECRETARIAT, Change, ReviewRun
from bot.kb.loop.tables import FaqVoteRow, KbChangeRow, KbReviewRunRow
from bot.kb.misses import FaqMiss


@dataclass(frozen=True)
class RawQuestion:
    """A miss or a vote as stored, before routing."""

    key: str
    kind: str  # "miss" or "unhelpful"
    text: str
    at: datetime
    channel: str
    conversation_id: str
    best_id: str | None
    best_unit: str | None
    best_score: float


class VoteLog:
    """Records "Tidak membantu" votes."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = session_factory(engine)

    def record(
        self,
        conversation_id: str,
        channel: str,
        text: str,
        faq_id: str | None,
        unit: str | None,
        at: datetime | None = None,
    ) -> None:
        """Store one vote."""
        row = FaqVoteRow(
            created_at=as_utc(at or utcnow()),
            conversation_id=conversation_id[:128],
            channel=(channel or "unknown")[:32],
            text=" ".join(text.split()),
            faq_id=faq_id,
            unit=unit,
        )
        with self._sessions.begin() as session:
            session.add(row)

    def count(self, since: datetime, until: datetime, unit: str | None = None) -> int:
        """Votes in [since, until), of one unit's entries or of all."""
        query = select(FaqVoteRow.id).where(
            FaqVoteRow.created_at >= as_utc(since), FaqVoteRow.created_at < as_utc(until)
        )
        if unit is not None:
            query = query.where(FaqVoteRow.unit == unit)
        with self._sessions() as session:
            return len(session.execute(query).all())


def record_vote(
    engine: Engine,
    conversation_id: str,
    channel: str,
    text: str,
    faq_id: str | None,
    unit: str | None,
    at: datetime | None = None,
) -> None:
    """Store one "Tidak membantu" vote on the answer `faq_id` (of `unit`) to `text`."""
    VoteLog(engine).record(conversation_id, channel, text, faq_id, unit, at)


def raw_questions(engine: Engine, since: datetime | None = None) -> Iterator[RawQuestion]:
    """Every miss and vote (since `since`), oldest first; blank texts left out."""
    sessions = session_factory(engine)
    misses = select(FaqMiss).order_by(FaqMiss.created_at, FaqMiss.id)
    votes = select(FaqVoteRow).order_by(FaqVoteRow.created_at, FaqVoteRow.id)
    if since is not None:
        misses = misses.where(FaqMiss.created_at >= as_utc(since))
        votes = votes.where(FaqVoteRow.created_at >= as_utc(since))
    found: list[RawQuestion] = []
    with sessions() as session:
        for m in session.execute(misses).scalars():
            found.append(
                RawQuestion(
                    f"m{m.id}",
                    "miss",
                    m.text,
                    as_utc(m.created_at),
                    m.channel,
                    m.conversation_id,
                    m.best_id,
                    m.best_unit,
                    float(m.best_score),
                )
            )
        for v in session.execute(votes).scalars():
            found.append(
                RawQuestion(
                    f"v{v.id}",
                    "unhelpful",
                    v.text,
                    as_utc(v.created_at),
                    v.channel,
                    v.conversation_id,
                    v.faq_id,
                    v.unit,
                    1.0,
                )
            )
    found.sort(key=lambda q: (q.at, q.key[0], int(q.key[1:])))
    yield from (q for q in found if q.text.strip())


def change_record(row: KbChangeRow) -> Change:
    """The record of one stored change."""
    return Change(
        id=row.id,
        unit=row.unit,
        file=row.file,
        entry_id=row.entry_id,
        action=row.action,
        author=row.author,
        at=as_utc(row.at),
        diff=row.diff,
        group_id=row.group_id,
        reverted_by=row.reverted_by,
        reverts=row.reverts,
    )


def changes(
    engine: Engine,
    *,
    unit: str | None = None,
    entry_id: str | None = None,
    limit: int | None = None,
) -> list[Change]:
    """Recorded changes, newest first."""
    query = select(KbChangeRow).order_by(KbChangeRow.id.desc())
    if unit is not None:
        query = query.where(KbChangeRow.unit == unit)
    if entry_id is not None:
        query = query.where(KbChangeRow.entry_id == entry_id)
    if limit is not None:
        query = query.limit(limit)
    with session_factory(engine)() as session:
        return [change_record(row) for row in session.execute(query).scalars()]


def resolutions(engine: Engine, before: datetime | None = None) -> dict[str, tuple[int, datetime]]:
    """Group id -> (change id, when) of the latest change (not reverted) that resolved it
    (made before `before`, when given)."""
    query = (
        select(KbChangeRow.group_id, KbChangeRow.id, KbChangeRow.at)
        .where(KbChangeRow.group_id.isnot(None), KbChangeRow.reverted_by.is_(None))
        .order_by(KbChangeRow.id)
    )
    if before is not None:
        query = query.where(KbChangeRow.at < as_utc(before))
    with session_factory(engine)() as session:
        return {g: (i, as_utc(at)) for g, i, at in session.execute(query).all()}


def resolved_groups(engine: Engine, since: datetime, until: datetime) -> dict[str, int]:
    """Unit -> how many distinct question groups its changes (not reverted) in [since, until)
    resolved."""
    query = (
        select(KbChangeRow.unit, KbChangeRow.group_id)
        .where(
            KbChangeRow.group_id.isnot(None),
            KbChangeRow.reverted_by.is_(None),
            KbChangeRow.at >= as_utc(since),
            KbChangeRow.at < as_utc(until),
        )
        .distinct()
    )
    found: dict[str, int] = {}
    with session_factory(engine)() as session:
        for unit, _group in session.execute(query).all():
            found[unit] = found.get(unit, 0) + 1
    return found


def votes_by_unit(engine: Engine, since: datetime, until: datetime) -> dict[str, int]:
    """Unit -> "Tidak membantu" votes on its entries in [since, until)."""
    query = select(FaqVoteRow.unit, FaqVoteRow.id).where(
        FaqVoteRow.created_at >= as_utc(since), FaqVoteRow.created_at < as_utc(until)
    )
    found: dict[str, int] = {}
    with session_factory(engine)() as session:
        for unit, _id in session.execute(query).all():
            found[unit or SECRETARIAT] = found.get(unit or SECRETARIAT, 0) + 1
    return found


def review_run_record(row: KbReviewRunRow) -> ReviewRun:
    """The record of one stored review run."""
    recipients = tuple(r for r in row.recipients.split(",") if r)
    return ReviewRun(row.unit, row.month, as_utc(row.at), row.status, recipients, row.detail)


def review_runs(engine: Engine, unit: str | None = None) -> list[ReviewRun]:
    """Monthly review runs, newest month first."""
    query = select(KbReviewRunRow).order_by(KbReviewRunRow.month.desc(), KbReviewRunRow.unit)
    if unit is not None:
        query = query.where(KbReviewRunRow.unit == unit)
    with session_factory(engine)() as session:
        return [review_run_record(row) for row in session.execute(query).scalars()]
