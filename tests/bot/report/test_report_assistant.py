"""Assistant-only figures: FAQ entries past review by unit; demo data re-runs replace themselves."""

from __future__ import annotations

from bot.db import engine_for
from bot.report.cli import main
from bot.report.demo.loader import load
from bot.report.figures.assistant import assistant
from bot.report.figures.summary import build
from bot.report.period import Month
from bot.settings import ROOT

KB = ROOT / "knowledge_base"


def test_stale_faq_entries_are_grouped_by_unit(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with engine_for(url).connect() as connection:
        later = assistant(connection, Month(2040, 1), KB)
        empty = assistant(connection, Month(2040, 1), tmp_path / "no-kb")
    units = {u.unit: u.entries for u in later.stale}
    assert "sekretariat" in units and all(units.values())
    assert later.stale_as_of == "2040-01-31" and later.stale_error is None
    assert empty.stale == () and "folder not found" in empty.stale_error
    assert later.bot_only_share is None and later.verifications["genuine"] == 0


def test_demo_data_replaces_itself_and_is_deterministic(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    month = Month(2023, 2)
    argv = [
        "demo-data",
        "--month",
        "2023-02",
        "--months",
        "1",
        "--db-url",
        url,
        "--kb-dir",
        str(KB),
    ]
    assert main(argv) == 0
    first = build(engine_for(url), month, KB).to_dict()
    load(url, month, KB, months=1)
    second = build(engine_for(url), month, KB).to_dict()
    for data in (first, second):
        data.pop("generated_at")
    assert first == second and first["volume"]["total"] == 1455
