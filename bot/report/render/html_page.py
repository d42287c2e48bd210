"""The report as one self-contained HTML page (charts inlined as base64 PNG, no scripts)."""

from __future__ import annotations

import base64
import html
import re

from bot.report.pages.document import (
    Block,
    Bullets,
    Chart,
    Document,
    Paragraph,
    Section,
    Table,
    Tiles,
)

_BOLD = re.compile(r"\*\*(.+?)\*\*")
STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:0;background:#f4f6fa;color:#1d2733}
header{background:#0b3d91;color:#fff;padding:28px 40px}
header h1{margin:0 0 6px;font-size:26px} header p{margin:0;opacity:.85}
nav{padding:10px 40px;background:#e8edf6;font-size:13px}
nav a{color:#0b3d91;margin-right:14px;text-decoration:none}
main{max-width:1100px;margin:0 auto;padding:10px 24px 40px}
section{background:#fff;border-radius:8px;margin:18px 0;padding:18px 26px;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
h2{color:#0b3d91;border-bottom:3px solid #f2a900;padding-bottom:6px}
h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;margin:12px 0;font-size:13px;width:100%}
th{background:#0b3d91;color:#fff;text-align:left;padding:6px 8px}
td{border-bottom:1px solid #dde3ee;padding:5px 8px;vertical-align:top}
td.n{text-align:right;white-space:nowrap} caption{text-align:left;font-weight:bold;padding:4px 0}
.tiles{display:flex;flex-wrap:wrap;gap:14px}
.tile{flex:1 1 150px;background:#0b3d91;color:#fff;border-radius:8px;padding:14px}
.tile b{display:block;font-size:28px;color:#f2a900} img{max-width:100%;height:auto}
footer{text-align:center;font-size:12px;color:#6c757d;padding:20px}
"""
NUMERIC = {"int", "pct", "score"}


def inline(text: str) -> str:
    """Escape, then turn **bold** into <strong>."""
    return _BOLD.sub(r"<strong>\1</strong>", html.escape(text))


def _table(table: Table) -> str:
    head = "".join(f"<th>{html.escape(c.title.strip())}</th>" for c in table.columns)
    rows = []
    for row in table.rows:
        cells = "".join(
            f'<td class="{"n" if c.kind in NUMERIC else "t"}">{inline(c.show(v))}</td>'
            for c, v in zip(table.columns, row, strict=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(table.columns)}">Tidak ada data.</td></tr>')
    caption = f"<caption>{inline(table.caption)}</caption>" if table.caption else ""
    body = "".join(rows)
    head = f"<thead><tr>{head}</tr></thead>"
    return f'<table id="t-{table.name}">{caption}{head}<tbody>{body}</tbody></table>'


def _block(block: Block, charts: dict[str, bytes]) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{inline(block.text)}</p>"
    if isinstance(block, Bullets):
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{inline(item)}</li>" for item in block.items) or "<li>-</li>"
        title = f"<h3>{inline(block.title)}</h3>" if block.title else ""
        return f"{title}<{tag}>{items}</{tag}>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        data = base64.b64encode(charts[block.key]).decode("ascii")
        alt = html.escape(block.alt)
        return f'<figure><img alt="{alt}" src="data:image/png;base64,{data}"></figure>'
    if isinstance(block, Tiles):
        tiles = "".join(
            f'<div class="tile"><b>{html.escape(v)}</b>{html.escape(label)}</div>'
            for v, label in block.items
        )
        return f'<div class="tiles">{tiles}</div>'
    raise TypeError(f"unknown block {block!r}")


def _section(section: Section, charts: dict[str, bytes]) -> str:
    body = "\n".join(_block(block, charts) for block in section.blocks)
    return f'<section id="{section.anchor}"><h2>{html.escape(section.title)}</h2>\n{body}</section>'


def render(document: Document, charts: dict[str, bytes], footer: str = "") -> str:
    """The complete page."""
    links = "".join(f'<a href="#{s.anchor}">{html.escape(s.title)}</a>' for s in document.sections)
    sections = "\n".join(_section(s, charts) for s in document.sections)
    return (
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(document.title)}</title>\n<style>{STYLE}</style>\n"
        '<link rel="icon" href="data:,">\n</head>\n<body>\n'
        f"<header><h1>{html.escape(document.title)}</h1>"
        f"<p>{html.escape(document.subtitle)}</p></header>\n<nav>{links}</nav>\n"
        f"<main>\n{sections}\n</main>\n<footer>{html.escape(footer)}</footer>\n"
        "</body>\n</html>\n"
    )
