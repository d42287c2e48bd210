"""The per-unit knowledge table of the monthly report: entries, reviewed on time, open question
groups, groups resolved by an edit in the month, "Tidak membantu" votes. Real SQLite, real files."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from bot.db import engine_for
from bot.kb.live import KnowledgeBase
from bot.kb.loader import load_dir
from bot.kb.loop.edits import KnowledgeEditor
from bot.kb.loop.grouping import question_groups
from bot.kb.loop.sql import record_vote
from bot.kb.misses import MissLog
from bot.report.figures.knowledge import knowledge
from bot.report.figures.summary import build
from bot.report.pages.document import Paragraph, Table
from bot.report.pages.outline import document
from bot.report.period import Month

ROOT = Path(__file__).resolve().parents[3]
DEC = Month(2026, 12)
AT = datetime(2026, 12, 3, 3, 0, tzinfo=timezone.utc)
SEKRETARIAT, DTK = "sekretariat", "dana-transfer-khusus"


def test_the_knowledge_table_counts_each_units_loop(tmp_path: Path) -> None:
    kb_dir = tmp_path / "kb"
    shutil.copytree(ROOT / "knowledge_base" / "faq", kb_dir / "faq")
    shutil.copyfile(ROOT / "knowledge_base" / "programs.yml", kb_dir / "programs.yml")
    engine = engine_for(f"sqlite:///{tmp_path / 'djpk.db'}")
    misses = MissLog(engine)
    for n, text in enumerate(
        (
            "jadwal kapal pelni ke kupang bulan depan",
            "jadwal kapal pelni ke kupang minggu depan",
            "cara cek saldo bpjs ketenagakerjaan",
        )
    ):
        misses.record(f"c{n}", "whatsapp", text, None, None, 0.05, at=AT + timedelta(hours=n))
    misses.record(
        "c8",
        "rest",
        "resep rendang padang",
        None,
        None,
        0.05,
        at=datetime(2027, 1, 2, tzinfo=timezone.utc),
    )
    for n in range(3):
        record_vote(
            engine,
            f"v{n}",
            "rest",
            "dana desa tahap 2 kapan cair",
            "dana-desa-penyaluran",
            DTK,
            AT + timedelta(days=n),
        )
    record_vote(
        engine,
        "v9",
        "rest",
        "dana desa tahap 2 kapan cair",
        "dana-desa-penyaluran",
        DTK,
        datetime(2026, 11, 20, tzinfo=timezone.utc),
    )  # November
    kb = KnowledgeBase(kb_dir)
    ship = next(g for g in question_groups(engine, kb) if "kapal" in g.texts[0])
    editor = KnowledgeEditor(kb_dir, engine, clock=lambda: AT + timedelta(days=5))
    editor.add_questions(
        SEKRETARIAT,
        "efin-npwp-bukan-djpk",
        list(ship.texts),
        author="pic",
        version=editor.version(SEKRETARIAT),
        group_id=ship.id,
    )
    editor.mark_reviewed(
        DTK, "otsus-penyaluran", author="pic", version=editor.version(DTK), today=date(2026, 12, 8)
    )

    with engine.connect() as connection:
        figures = knowledge(connection, DEC, kb_dir)
    rows = {u.unit: u for u in figures.units}
    entries = load_dir(kb_dir)
    for unit, row in rows.items():
        mine = [e for e in entries if e.unit == unit]
        assert row.entries == len(mine)
    # reviewed 28 Nov every 30 days: due 28 Dec, past on 31 Dec; otsus reviewed on 8 Dec
    assert rows[DTK].reviewed_on_time == 1
    assert rows[SEKRETARIAT].reviewed_on_time == 0
    assert (rows[SEKRETARIAT].open_groups, rows[SEKRETARIAT].groups_resolved) == (1, 1)  # bpjs
    assert (rows[DTK].open_groups, rows[DTK].unhelpful_votes) == (1, 3)
    assert rows["pajak-daerah"].unhelpful_votes == 0

    page = document(build(engine, DEC, kb_dir, now=AT))
    section = next(s for s in page.sections if s.title == "Kinerja Asisten Virtual")
    table = next(
        b for b in section.blocks if isinstance(b, Table) and b.name == "basis_pengetahuan_unit"
    )
    assert (DTK, rows[DTK].entries, 1, 1, 0, 3) in table.rows
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert any("**1** kelompok pertanyaan" in t and "**3** jawaban" in t for t in texts), texts


def test_an_unreadable_knowledge_base_is_said_not_hidden(tmp_path: Path) -> None:
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "sekretariat.yml").write_text("entries: [\n", encoding="utf-8")
    engine = engine_for(f"sqlite:///{tmp_path / 'djpk.db'}")
    with engine.connect() as connection:
        figures = knowledge(connection, DEC, tmp_path)
    assert figures.units == () and figures.error and "sekretariat.yml:" in figures.error
