"""`python -m bot.kb misses` and `python -m bot.kb history` through a real subprocess, on a real
SQLite database and a copy of the real knowledge base."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from kb_samples import ROOT
from loop_samples import copy_kb

from bot.db import engine_for
from bot.kb.loop.edits import KnowledgeEditor
from bot.kb.loop.sql import record_vote
from bot.kb.misses import MissLog

NOV = datetime(2026, 11, 10, 3, 0, tzinfo=timezone.utc)
SHIP = ("jadwal kapal pelni ke kupang bulan depan", "jadwal kapal pelni ke kupang minggu depan")


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJPK_KB_DIR": str(tmp_path / "kb"),
        "DJPK_DB_URL": f"sqlite:///{tmp_path / 'djpk.db'}",
        "DJPK_VAR_DIR": str(tmp_path / "var"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.kb", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setup(tmp_path: Path) -> KnowledgeEditor:
    kb_dir = copy_kb(tmp_path / "kb")
    engine = engine_for(f"sqlite:///{tmp_path / 'djpk.db'}")
    log = MissLog(engine)
    log.record("c1", "whatsapp", SHIP[0], None, None, 0.04, at=NOV)
    log.record("c2", "rest", SHIP[1], None, None, 0.04, at=NOV.replace(day=12))
    log.record(
        "c3",
        "rest",
        "retribusi parkir boleh naik berapa persen",
        "pdrd-bimtek-raperda",
        "pajak-daerah",
        0.07,
        at=datetime(2026, 10, 5, tzinfo=timezone.utc),
    )
    record_vote(
        engine,
        "c4",
        "rest",
        "dana desa tahap 2 kapan cair",
        "dana-desa-penyaluran",
        "dana-transfer-khusus",
        NOV,
    )
    return KnowledgeEditor(kb_dir, engine, clock=lambda: NOV.replace(day=20))


def test_misses_prints_the_groups_by_unit(tmp_path: Path) -> None:
    setup(tmp_path)
    listed = run(tmp_path, "misses", "--lexical", "--json")
    assert listed.returncode == 0, listed.stderr
    groups = json.loads(listed.stdout)
    assert [(g["unit"], g["count"], g["kind"]) for g in groups] == [
        ("sekretariat", 2, "miss"),
        ("dana-transfer-khusus", 1, "unhelpful"),
        ("pajak-daerah", 1, "miss"),
    ]
    assert groups[0]["texts"] == list(SHIP) and groups[0]["channels"] == ["rest", "whatsapp"]
    one_unit = json.loads(
        run(tmp_path, "misses", "--lexical", "--json", "--unit", "pajak-daerah").stdout
    )
    assert [g["texts"] for g in one_unit] == [["retribusi parkir boleh naik berapa persen"]]
    recent = json.loads(
        run(tmp_path, "misses", "--lexical", "--json", "--since", "2026-11-01").stdout
    )
    assert {g["unit"] for g in recent} == {"sekretariat", "dana-transfer-khusus"}
    text = run(tmp_path, "misses", "--lexical").stdout
    assert "sekretariat (1 groups, 2 questions):" in text
    assert f"2x miss  {SHIP[0]!r}" in text and f"also: {SHIP[1]!r}" in text
    bad = run(tmp_path, "misses", "--lexical", "--since", "10/11/2026")
    assert bad.returncode == 2 and "error:" in bad.stderr


def test_history_lists_the_recorded_changes(tmp_path: Path) -> None:
    editor = setup(tmp_path)
    assert run(tmp_path, "history").stdout == "No recorded changes.\n"
    groups = json.loads(run(tmp_path, "misses", "--lexical", "--json").stdout)
    change = editor.add_questions(
        "sekretariat",
        "efin-npwp-bukan-djpk",
        list(SHIP),
        author="pic.sekretariat",
        version=editor.version("sekretariat"),
        group_id=groups[0]["id"],
    )
    editor.revert(change.id, author="supervisor1")
    listed = json.loads(run(tmp_path, "history", "--json", "--diff").stdout)
    assert [
        (c["id"], c["action"], c["author"], c["reverts"], c["reverted_by"]) for c in listed
    ] == [
        (2, "revert", "supervisor1", 1, None),
        (1, "add_questions", "pic.sekretariat", None, 2),
    ]
    assert listed[1]["group_id"] == groups[0]["id"] and f"+      - {SHIP[0]}" in listed[1]["diff"]
    text = run(tmp_path, "history", "--unit", "sekretariat").stdout.splitlines()
    assert text[1] == (
        "#1 2026-11-20 10:00 WIB pic.sekretariat: add_questions efin-npwp-bukan-djpk in "
        f"faq/sekretariat.yml (resolves {groups[0]['id']}; reverted by #2)"
    )
    assert run(tmp_path, "history", "--unit", "pajak-daerah").stdout == "No recorded changes.\n"
    after = json.loads(run(tmp_path, "misses", "--lexical", "--json").stdout)
    assert after[0]["id"] == groups[0]["id"]  # the revert opened the group again
