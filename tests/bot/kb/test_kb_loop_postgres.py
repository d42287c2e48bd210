"""The knowledge-loop tables on PostgreSQL: migrated to every head, a vote, an edit and its
revert, a question group resolved, a monthly review run (the same code as on SQLite)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from loop_samples import copy_kb
from sqlalchemy import create_engine, text

from bot.db import engine_for
from bot.kb.live import KnowledgeBase
from bot.kb.loop.edits import KnowledgeEditor, edit_lock_key
from bot.kb.loop.grouping import question_groups
from bot.kb.loop.mail import SmtpSettings, monthly_review
from bot.kb.loop.sql import VoteLog, changes, record_vote, review_runs
from bot.kb.misses import MissLog

AT = datetime(2026, 11, 10, 3, 0, tzinfo=timezone.utc)


@pytest.mark.postgres
def test_the_loop_runs_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    engine = engine_for(postgres_url)
    kb_dir = copy_kb(tmp_path / "kb")
    record_vote(
        engine,
        "c1",
        "whatsapp",
        "dana desa tahap 2 kapan cair",
        "dana-desa-penyaluran",
        "dana-transfer-khusus",
        AT,
    )
    MissLog(engine).record(
        "c2", "rest", "jadwal kapal pelni ke kupang bulan depan", None, None, 0.04, at=AT
    )
    assert VoteLog(engine).count(AT.replace(day=1), AT.replace(day=30)) == 1
    kb = KnowledgeBase(kb_dir)
    group = next(g for g in question_groups(engine, kb) if g.unit == "sekretariat")
    editor = KnowledgeEditor(kb_dir, engine, clock=lambda: AT.replace(day=11))
    change = editor.add_questions(
        "sekretariat",
        "efin-npwp-bukan-djpk",
        list(group.texts),
        author="pic",
        version=editor.version("sekretariat"),
        group_id=group.id,
    )
    assert [g.unit for g in question_groups(engine, kb)] == ["dana-transfer-khusus"]
    editor.revert(change.id, author="pic")
    assert [c.reverted_by for c in changes(engine)] == [None, change.id + 1]
    assert len(question_groups(engine, kb)) == 2
    runs = monthly_review(
        engine, kb_dir, datetime(2026, 12, 1, 2, tzinfo=timezone.utc), SmtpSettings(), {}, kb
    )
    assert {r.status for r in runs} == {"no_smtp"}
    assert [r.month for r in review_runs(engine, "sekretariat")] == ["2026-11"]


@pytest.mark.postgres
def test_an_edit_waits_for_another_hosts_edit_of_the_same_unit(
    postgres_url: str, tmp_path: Path
) -> None:
    """Hosts sharing the knowledge-base folder and PostgreSQL: an edit on one host waits while
    another host holds the unit's advisory lock (here held from a second connection), then
    goes through; another unit is not held up."""
    engine = engine_for(postgres_url)
    kb_dir = copy_kb(tmp_path / "kb")
    editor = KnowledgeEditor(kb_dir, engine, clock=lambda: AT)
    other_host = create_engine(postgres_url)
    done = threading.Event()

    def edit() -> None:
        editor.add_questions(
            "sekretariat",
            "efin-npwp-bukan-djpk",
            ["lupa efin npwp gimana mintanya"],
            author="pic",
            version=editor.version("sekretariat"),
        )
        done.set()

    with other_host.connect() as connection:
        key = {"key": edit_lock_key("sekretariat")}
        connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
        worker = threading.Thread(target=edit)
        worker.start()
        time.sleep(1.5)  # timed waits hang under libfaketime (make unit-ahead): sleep, then look
        assert not done.is_set()  # the other host's edit is still running
        editor.mark_reviewed(
            "dana-transfer-khusus",
            "dana-desa-penyaluran",
            author="pic",
            version=editor.version("dana-transfer-khusus"),
            today=AT.date(),
        )  # another unit goes through meanwhile
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
    for _ in range(300):
        if done.is_set():
            break
        time.sleep(0.1)
    assert done.is_set()
    worker.join()
    assert [c.action for c in changes(engine)][:2] == ["add_questions", "review"]
    other_host.dispose()
