"""CSV cells safe to open in a spreadsheet: formula injection neutralised, reversibly.

OWASP's rule: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
prefixed with a single quote, so Excel, LibreOffice and Google Sheets show it as text instead of
running it as a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3+cmd|' /C calc'!A0`).

Decisions:
- Numbers stay numbers. An int, float or Decimal value, and a text cell that is a plain number
  literal (`-12`, `+3.5`, `-0,25`: digits with one optional sign and decimal mark), is written as
  it is: a literal cannot call anything, and a quote would turn a negative figure into text.
- The quote is reversible. A cell that already starts with quotes followed by a trigger character
  gets one more quote, and `restore` removes exactly one, so writing then reading gives back the
  original text (`'=x` stays `'=x`, `=x` comes back as `=x`). The importer calls `restore`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
_RISKY = re.compile(r"'*[=+\-@\t\r]")


def neutralise(value: str) -> str:
    """The text as a spreadsheet will show it, never as a formula (see the module notes)."""
    if NUMBER.fullmatch(value):
        return value
    if _RISKY.match(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo `neutralise`: drop the one quote it added."""
    if _QUOTED.match(value) and not NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value


def cell(value: Any) -> str:
    """A table value for CSV: numbers untouched, dates ISO, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if hasattr(value, "isoformat"):
        iso: str = value.isoformat()
        return iso
    return neutralise(str(value))


def write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a UTF-8 CSV whose every cell went through `cell`."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow([cell(name) for name in header])
        out.writerows([cell(value) for value in row] for row in rows)
