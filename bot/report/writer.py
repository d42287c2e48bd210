"""Writes one month's report into a folder: HTML, Markdown, summary.json, CSV tables, charts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from bot import csv_safe
from bot.report.figures.summary import Summary
from bot.report.pages.outline import document
from bot.report.render import charts, html_page, markdown_page


@dataclass(frozen=True)
class Written:
    """The files of one report run."""

    folder: Path
    files: tuple[Path, ...]


def write(summary: Summary, folder: Path) -> Written:
    """Render and write everything; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = document(summary)
    pictures = charts.draw_all(summary)
    footer = f"Dibuat {summary.generated_at} dari data asisten DJPK (python -m bot.report)."
    files = []
    chart_dir = folder / "charts"
    chart_dir.mkdir(exist_ok=True)
    for key, png in pictures.items():
        path = chart_dir / f"{key}.png"
        path.write_bytes(png)
        files.append(path)
    for name, text in (
        ("report.html", html_page.render(doc, pictures, footer)),
        ("report.md", markdown_page.render(doc, footer)),
        ("summary.json", json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n"),
    ):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    table_dir = folder / "tables"
    table_dir.mkdir(exist_ok=True)
    for table in doc.tables():
        path = table_dir / f"{table.name}.csv"
        # text cells neutralised against formula injection, numbers kept (bot/csv_safe.py)
        csv_safe.write_rows(path, [c.title.strip() for c in table.columns], table.rows)
        files.append(path)
    return Written(folder, tuple(files))
