"""The February 2023 demo dataset in a temporary SQLite file, loaded once, and its report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.db import engine_for
from bot.report.demo.loader import load
from bot.report.figures.summary import build
from bot.report.period import Month
from bot.report.writer import write
from bot.settings import ROOT

KB_DIR = ROOT / "knowledge_base"
SEED_MONTH = Month(2023, 2)


@dataclass(frozen=True)
class SeedReport:
    """The generated report of the seed month, read back from its files."""

    url: str
    folder: Path
    summary: dict
    markdown: str
    html: str


@pytest.fixture(scope="session")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> SeedReport:
    """demo-data for 2023-02 (13 months) into a fresh SQLite file, then the report."""
    folder = tmp_path_factory.mktemp("seed-report")
    url = f"sqlite:///{folder / 'demo.db'}"
    load(url, SEED_MONTH, KB_DIR)
    out = folder / "report"
    write(build(engine_for(url), SEED_MONTH, KB_DIR), out)
    return SeedReport(
        url,
        out,
        json.loads((out / "summary.json").read_text(encoding="utf-8")),
        (out / "report.md").read_text(encoding="utf-8"),
        (out / "report.html").read_text(encoding="utf-8"),
    )
