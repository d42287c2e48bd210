"""The knowledge loop per unit: entries, entries reviewed on time, open question groups, groups
resolved by an edit this month, and "Tidak membantu" votes (bot/kb/loop).

Entries and review dates come from the FAQ files as they are now (`reviewed on time`: not past
the review date on the month's last day, as `python -m bot.kb stale`); groups are formed as the
console forms them, by the lexical terms (the report does not load the encoder), from the
questions asked until the month's end, with the edits made until then.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Connection

from bot.kb.live import KnowledgeBase
from bot.kb.loader import load_dir
from bot.kb.loop.grouping import question_groups
from bot.kb.loop.sql import resolved_groups, votes_by_unit
from bot.kb.yamlfile import KbError
from bot.report.period import Month


@dataclass(frozen=True)
class UnitKnowledge:
    """One unit's row of the knowledge table."""

    unit: str
    entries: int
    reviewed_on_time: int
    open_groups: int
    groups_resolved: int
    unhelpful_votes: int


@dataclass(frozen=True)
class KnowledgeFigures:
    """The per-unit knowledge table; `error` when the FAQ files cannot be read."""

    units: tuple[UnitKnowledge, ...]
    error: str | None = None


def knowledge(connection: Connection, month: Month, kb_dir: Path) -> KnowledgeFigures:
    """The month's knowledge table, one row per unit with entries or activity."""
    engine = connection.engine
    try:
        entries = load_dir(Path(kb_dir))
    except KbError as error:
        return KnowledgeFigures((), "; ".join(error.messages[:5]))
    total = Counter(e.unit for e in entries)
    on_time = Counter(e.unit for e in entries if not e.is_stale(month.last_day))
    groups = question_groups(engine, KnowledgeBase(Path(kb_dir)), until=month.end)
    open_groups = Counter(g.unit for g in groups)
    resolved = resolved_groups(engine, month.start, month.end)
    votes = votes_by_unit(engine, month.start, month.end)
    units = sorted({*total, *open_groups, *resolved, *votes})
    return KnowledgeFigures(
        tuple(
            UnitKnowledge(
                unit,
                total[unit],
                on_time[unit],
                open_groups[unit],
                resolved.get(unit, 0),
                votes.get(unit, 0),
            )
            for unit in units
        )
    )
