"""The report as a document model: sections of paragraphs, lists, tables and charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Union

from bot.report.formatting import decimal, number, percent
from bot.report.period import long_date


@dataclass(frozen=True)
class Column:
    """A table column: its title and how values are shown (text, int, pct, score, date)."""

    title: str
    kind: str = "text"

    def show(self, value: Any) -> str:
        """The value as the reader sees it (Indonesian formats)."""
        if value is None:
            return "-"
        if self.kind == "int":
            return number(int(value))
        if self.kind == "pct":
            return percent(value)
        if self.kind == "score":
            return decimal(value, 2)
        if self.kind == "date" and isinstance(value, date):
            return long_date(value)
        return str(value)

    @staticmethod
    def raw(value: Any) -> str:
        """The value for CSV: plain numbers with a decimal point, ISO dates."""
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return format(value, "f")
        if isinstance(value, date):
            return value.isoformat()
        return str(value)


@dataclass(frozen=True)
class Table:
    """Rows of values; `name` is also the CSV file name (without .csv)."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Paragraph:
    """Text; **double stars** mark bold."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A list; numbered when `ordered`."""

    items: tuple[str, ...]
    ordered: bool = False
    title: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart made by bot.report.render.charts under this key."""

    key: str
    alt: str


@dataclass(frozen=True)
class Tiles:
    """Big figures with a label each (the seed's summary page)."""

    items: tuple[tuple[str, str], ...]


Block = Union[Paragraph, Bullets, Table, Chart, Tiles]


@dataclass(frozen=True)
class Section:
    """A titled part of the report (one slide of the seed)."""

    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    anchor: str = ""


@dataclass(frozen=True)
class Document:
    """Title, subtitle and sections."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]

    def tables(self) -> list[Table]:
        """Every table, in order (each becomes a CSV file)."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]
