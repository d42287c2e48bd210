"""Entries as the console shows them (due for review, flagged) and a unit's monthly summary."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.kb.live import KnowledgeBase
from bot.kb.loader import load_dir
from bot.kb.loop.grouping import question_groups
from bot.kb.loop.records import EntryView, ReviewSummary, TopicCount
from bot.kb.loop.sql import VoteLog
from bot.kb.records import FaqEntry

WIB = timezone(timedelta(hours=7))  # the months of the review are Jakarta months
TOP_TOPICS = 5


def entry_view(kb_dir: Path, entry: FaqEntry, today: date) -> EntryView:
    """One loaded entry as the console shows it."""
    source = Path(entry.source)
    try:
        file = str(source.resolve().relative_to(Path(kb_dir).resolve()))
    except ValueError:
        file = f"faq/{source.name}"
    return EntryView(
        unit=entry.unit,
        file=file,
        line=entry.line,
        id=entry.id,
        topic=entry.topic,
        questions=entry.questions,
        answer=entry.answer,
        references=entry.references,
        keywords=entry.keywords,
        reviewed_on=entry.reviewed_on,
        review_every_days=entry.review_every_days,
        review_due_on=entry.review_due,
        review_due=entry.is_stale(today),
        flagged=entry.flagged,
        confirm=entry.confirm,
        valid_until=entry.valid_until,
        programs=entry.programs,
    )


def entries(kb_dir: Path, *, unit: str | None = None, today: date) -> list[EntryView]:
    """The entries of one unit (all: None), in file order; KbError when the files do not load.

    `review_due` follows `python -m bot.kb stale`: the review date has passed or the entry expired.
    """
    return [
        entry_view(kb_dir, entry, today)
        for entry in load_dir(Path(kb_dir))
        if unit is None or entry.unit == unit
    ]


def month_of(moment: datetime) -> str:
    """The Jakarta month ("YYYY-MM") of a moment."""
    return moment.astimezone(WIB).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[start, end) of a "YYYY-MM" Jakarta month, as aware datetimes."""
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=WIB)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=WIB)
    return start, end


def previous_month(month: str) -> str:
    """The month before a "YYYY-MM" month."""
    start, _ = month_bounds(month)
    return month_of(start - timedelta(days=1))


def review_summary(
    engine: Engine,
    kb_dir: Path,
    unit: str,
    month: str,
    today: date,
    kb: KnowledgeBase | None = None,
) -> ReviewSummary:
    """A unit's review summary for `month` ("YYYY-MM", the month the figures cover).

    Entries due: past their review date as of `today` or reaching it before the end of the
    current month of `today`; open groups: as of now; votes and topics: asked in `month`.
    `kb` groups with the search's encoder; without it, by shared words.
    """
    kb = kb or KnowledgeBase(Path(kb_dir))
    loaded = [e for e in load_dir(Path(kb_dir)) if e.unit == unit]
    _, this_month_end = month_bounds(f"{today:%Y-%m}")
    horizon = this_month_end.date() - timedelta(days=1)
    due = tuple(e.id for e in loaded if e.is_stale(today) or e.review_due <= horizon)
    flagged = tuple(e.id for e in loaded if e.flagged)
    start, end = month_bounds(month)
    open_groups = question_groups(engine, kb, unit=unit)
    asked = question_groups(engine, kb, unit=unit, since=start, until=end, include_resolved=True)
    top = tuple(TopicCount(g.texts[0], g.count) for g in asked[:TOP_TOPICS])
    return ReviewSummary(
        unit=unit,
        month=month,
        entries_due=due,
        flagged=flagged,
        open_groups=len(open_groups),
        unhelpful_votes=VoteLog(engine).count(start, end, unit),
        top_topics=top,
    )
