"""The report as Markdown (charts referenced as charts/<key>.png next to the file)."""

from __future__ import annotations

from bot.report.pages.document import Block, Bullets, Chart, Document, Paragraph, Table, Tiles


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> list[str]:
    lines = [f"**{table.caption}**", ""] if table.caption else []
    lines.append("| " + " | ".join(_cell(c.title.strip()) for c in table.columns) + " |")
    aligns = ["---:" if c.kind in ("int", "pct", "score") else "---" for c in table.columns]
    lines.append("| " + " | ".join(aligns) + " |")
    for row in table.rows:
        cells = (_cell(c.show(v)) for c, v in zip(table.columns, row, strict=True))
        lines.append("| " + " | ".join(cells) + " |")
    if not table.rows:
        lines.append("| " + " | ".join(["-"] * len(table.columns)) + " |")
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Bullets):
        lines = [block.title, ""] if block.title else []
        items = block.items or ("-",)
        marks = [f"{n}." if block.ordered else "-" for n in range(1, len(items) + 1)]
        return lines + [f"{mark} {item}" for mark, item in zip(marks, items, strict=True)]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return [f"![{block.alt}](charts/{block.key}.png)"]
    if isinstance(block, Tiles):
        return [f"- **{value}** {label}" for value, label in block.items]
    raise TypeError(f"unknown block {block!r}")


def render(document: Document, footer: str = "") -> str:
    """The complete Markdown text."""
    lines = [f"# {document.title}", "", f"_{document.subtitle}_", ""]
    for section in document.sections:
        lines += [f"## {section.title}", ""]
        for block in section.blocks:
            lines += [*_block(block), ""]
    if footer:
        lines += ["---", "", f"_{footer}_", ""]
    return "\n".join(lines)
