"""Helpers for the knowledge-loop tests: a throwaway copy of the real knowledge base, a migrated
SQLite database, and questions recorded the way the FAQ actions record them."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kb_samples import REAL_KB
from sqlalchemy.engine import Engine

from bot.db import engine_for
from bot.kb.live import KnowledgeBase
from bot.kb.loop.sql import record_vote
from bot.kb.misses import MissLog

START = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)  # a Monday, 09:00 WIB


def copy_kb(target: Path) -> Path:
    """The real FAQ files, programs.yml and refusals.yml copied into `target`."""
    shutil.copytree(REAL_KB / "faq", target / "faq")
    for name in ("programs.yml", "refusals.yml"):
        shutil.copyfile(REAL_KB / name, target / name)
    return target


def sqlite(tmp_path: Path) -> Engine:
    """A migrated SQLite database under tmp_path."""
    return engine_for(f"sqlite:///{tmp_path / 'djpk.db'}")


def ask(engine: Engine, kb: KnowledgeBase, text: str, at: datetime, channel: str = "rest") -> bool:
    """Search `text` as action_answer_faq does; log it as a miss when not answered or offered.

    True when it was logged (the knowledge base had no answer)."""
    match = kb.match(text)
    if match.confident or match.ambiguous:
        return False
    MissLog(engine).record(
        f"conv-{at.timestamp():.0f}",
        channel,
        text,
        match.best_id,
        match.best_unit,
        match.best_score,
        at=at,
    )
    return True


def vote(engine: Engine, kb: KnowledgeBase, text: str, at: datetime, channel: str = "rest") -> str:
    """Ask `text`, take the answer given, and vote it "Tidak membantu"; the entry id voted."""
    match = kb.match(text)
    assert match.confident, f"{text!r} is not answered: cannot vote on its answer"
    entry = match.hits[0].entry
    record_vote(engine, f"conv-{at.timestamp():.0f}", channel, text, entry.id, entry.unit, at)
    return entry.id


def minutes(n: int) -> timedelta:
    """n minutes."""
    return timedelta(minutes=n)
