"""What only the assistant can tell: bot-only conversations, FAQ misses, stale FAQ, letters."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import exists, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bot.kb.misses import FaqMiss
from bot.letters.reports import LetterReport, LetterVerification
from bot.letters.verdict import VerdictKind
from bot.report.figures.columns import between, flag
from bot.report.formatting import share
from bot.report.period import Month
from bot.tickets.tables import ConversationLabelRow

TOP_PER_UNIT = 5
TOP_NUMBERS = 5
NO_UNIT = "(tanpa unit)"
NO_NUMBER = "(tanpa nomor)"


@dataclass(frozen=True)
class Question:
    """An unanswered question and how often it was asked."""

    text: str
    count: int


@dataclass(frozen=True)
class UnitQuestions:
    """Unanswered questions closest to one unit's FAQ entries."""

    unit: str
    misses: int
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class UnitEntries:
    """FAQ entries of one unit past their review date (or validity) at the month's end."""

    unit: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class AssistantFigures:
    """The assistant's own figures for the month."""

    conversations: int  # labelled conversation-days (one label per conversation and day)
    bot_only: int
    bot_only_share: Decimal | None
    faq_conversations: int  # distinct conversations labelled this month
    faq_conversations_with_miss: int
    faq_hit_share: Decimal | None  # conversations in which no question went unanswered
    faq_misses: int
    unanswered: tuple[UnitQuestions, ...]
    stale_as_of: str
    stale: tuple[UnitEntries, ...]
    stale_error: str | None
    verifications: dict[str, int]
    verifications_total: int
    fake_numbers: tuple[Question, ...]


def _window(column: ColumnElement, month: Month) -> ColumnElement:
    return between(column, month.start.astimezone(timezone.utc), month.end.astimezone(timezone.utc))


def _conversations(connection: Connection, month: Month) -> tuple[int, int, int, int]:
    """Labelled conversation-days, bot-only ones, distinct conversations, those with a miss."""
    labels = ConversationLabelRow
    in_month = _window(labels.created_at, month)
    bot_only = func.coalesce(func.sum(flag(labels.bot_only.is_(True))), 0)
    total, alone = connection.execute(select(func.count(), bot_only).where(in_month)).one()
    distinct = func.count(func.distinct(labels.conversation_id))
    conversations = connection.execute(select(distinct).where(in_month)).scalar_one()
    missed = exists().where(
        FaqMiss.conversation_id == labels.conversation_id, _window(FaqMiss.created_at, month)
    )
    with_miss = connection.execute(select(distinct).where(in_month, missed)).scalar_one()
    return int(total), int(alone), int(conversations), int(with_miss)


def _unanswered(connection: Connection, month: Month) -> tuple[int, tuple[UnitQuestions, ...]]:
    """Misses grouped by unit and question (case and spaces ignored), top questions per unit."""
    key = func.lower(func.trim(FaqMiss.text))
    query = (
        select(FaqMiss.best_unit, func.min(FaqMiss.text), func.count())
        .where(_window(FaqMiss.created_at, month))
        .group_by(FaqMiss.best_unit, key)
    )
    by_unit: dict[str, list[Question]] = defaultdict(list)
    for unit, text, count in connection.execute(query):
        by_unit[unit or NO_UNIT].append(Question(text.strip(), int(count)))
    units = [
        UnitQuestions(
            unit,
            sum(q.count for q in questions),
            tuple(sorted(questions, key=lambda q: (-q.count, q.text))[:TOP_PER_UNIT]),
        )
        for unit, questions in by_unit.items()
    ]
    units.sort(key=lambda u: (-u.misses, u.unit))
    return sum(u.misses for u in units), tuple(units)


def _stale(kb_dir: Path, month: Month) -> tuple[tuple[UnitEntries, ...], str | None]:
    """FAQ entries past review at the month's last day, by unit (`python -m bot.kb stale`)."""
    from bot.kb.loader import load_dir
    from bot.kb.yamlfile import KbError

    try:
        entries = load_dir(kb_dir)
    except KbError as error:
        return (), "; ".join(error.messages[:5])
    by_unit: dict[str, list[str]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (e.unit, e.review_due, e.id)):
        if entry.is_stale(month.last_day):
            by_unit[entry.unit].append(entry.id)
    ordered = sorted(by_unit.items(), key=lambda item: (-len(item[1]), item[0]))
    return tuple(UnitEntries(unit, tuple(ids)) for unit, ids in ordered), None


def _letters(connection: Connection, month: Month) -> tuple[dict[str, int], tuple[Question, ...]]:
    """Verifications per verdict (every verdict listed) and the most reported fake numbers."""
    query = (
        select(LetterVerification.verdict, func.count())
        .where(_window(LetterVerification.created_at, month))
        .group_by(LetterVerification.verdict)
    )
    found = {verdict: int(count) for verdict, count in connection.execute(query)}
    verdicts = {kind.value: found.pop(kind.value, 0) for kind in VerdictKind} | found
    number = func.coalesce(LetterReport.number, NO_NUMBER)
    count = func.count().label("n")
    reported = (
        select(number, count)
        .where(
            _window(LetterReport.created_at, month),
            LetterReport.verdict != VerdictKind.GENUINE.value,
        )
        .group_by(LetterReport.number)
        .order_by(count.desc(), LetterReport.number)
        .limit(TOP_NUMBERS)
    )
    return verdicts, tuple(Question(n, int(c)) for n, c in connection.execute(reported))


def assistant(connection: Connection, month: Month, kb_dir: Path) -> AssistantFigures:
    """All assistant-only figures of the month."""
    total, alone, conversations, with_miss = _conversations(connection, month)
    misses, unanswered = _unanswered(connection, month)
    stale, error = _stale(Path(kb_dir), month)
    verdicts, numbers = _letters(connection, month)
    return AssistantFigures(
        total,
        alone,
        share(alone, total),
        conversations,
        with_miss,
        share(conversations - with_miss, conversations),
        misses,
        unanswered,
        month.last_day.isoformat(),
        stale,
        error,
        verdicts,
        sum(verdicts.values()),
        numbers,
    )
