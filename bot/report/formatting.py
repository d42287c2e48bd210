"""Indonesian number formats: 1.455; 77,39%; 5,0; lists joined with 'dan'."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal


def rounded(value: Decimal | float | int, places: int = 2) -> Decimal:
    """Round half up (as people do by hand), not to even."""
    step = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)


def share(part: int, whole: int, places: int = 2) -> Decimal | None:
    """part/whole as a percentage rounded to `places`; None when whole is 0."""
    if not whole:
        return None
    return rounded(Decimal(part) * 100 / Decimal(whole), places)


def change(current: int, previous: int, places: int = 2) -> Decimal | None:
    """Relative change in percent from previous to current; None when previous is 0."""
    if not previous:
        return None
    return rounded(Decimal(current - previous) * 100 / Decimal(previous), places)


def number(value: int | None) -> str:
    """1455 -> '1.455' (dot as thousands separator)."""
    if value is None:
        return "-"
    return f"{value:,}".replace(",", ".")


def decimal(value: Decimal | float | None, places: int = 2) -> str:
    """Decimal comma with thousands dots: 1234.5 -> '1.234,50'."""
    if value is None:
        return "-"
    text = f"{rounded(value, places):,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def percent(value: Decimal | float | None, places: int = 2) -> str:
    """77.39 -> '77,39%'; None -> '-'."""
    return "-" if value is None else f"{decimal(value, places)}%"


def as_float(value: Decimal | None) -> float | None:
    """For JSON: the rounded value as a float."""
    return None if value is None else float(value)


def change_phrase(current: int, previous: int, by: str = "") -> str:
    """'meningkat 19,46%', 'menurun 12,04%', 'sama', or 'tidak dapat dibandingkan' (no data).

    `by` goes between the verb and the figure: by='sebesar' gives 'meningkat sebesar 11,82%'.
    """
    delta = change(current, previous)
    if delta is None:
        return "tidak dapat dibandingkan (tidak ada data bulan pembanding)"
    if delta == 0:
        return "sama"
    verb = "meningkat" if delta > 0 else "menurun"
    return " ".join(part for part in (verb, by, percent(abs(delta))) if part)


def join(items: Sequence[str], last: str = "dan") -> str:
    """['A', 'B', 'C'] -> 'A, B, dan C'; ['A', 'B'] -> 'A dan B'."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {last} {items[1]}"
    return f"{', '.join(items[:-1])}, {last} {items[-1]}"
