"""Dates as Indonesian users write them: "5 Desember 2026", "05/12/2026", "besok", "senin depan"."""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "agus": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "nopember": 11,
    "desember": 12,
    "des": 12,
}
DAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "sabtu": 5, "minggu": 6}
# The names users read (bot.hours and the report spell dates with them too); MONTH_NAMES[1] is
# Januari.
MONTH_NAMES = (
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
DAY_NAMES = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_WORDS = re.compile(r"\b(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?\b")


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_year(month: int, day: int, year: int | None, today: date) -> date | None:
    if year is not None:
        return _safe(year, month, day)
    this_year = _safe(today.year, month, day)
    if this_year and this_year >= today:
        return this_year
    return _safe(today.year + 1, month, day)


def parse_date(text: str, today: date) -> date | None:
    """The first date in the text, relative to `today` for words; None when there is none."""
    month: int | None  # a number in the numeric form, looked up in the worded one
    year: int | None
    lowered = text.lower().replace("'", "")
    if match := _ISO.search(lowered):
        return _safe(*map(int, match.groups()))
    if match := _NUMERIC.search(lowered):
        day, month, year = map(int, match.groups())
        return _safe(year + 2000 if year < 100 else year, month, day)
    for match in _WORDS.finditer(lowered):
        month = MONTHS.get(match.group(2))
        if month:
            year = int(match.group(3)) if match.group(3) else None
            return _with_year(month, int(match.group(1)), year, today)
    words = set(re.findall(r"[a-z]+", lowered))
    if "lusa" in words:
        return today + timedelta(days=2)
    if "besok" in words or "bsk" in words:
        return today + timedelta(days=1)
    for name, weekday in DAYS.items():
        if name in words:
            ahead = (weekday - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    return None


def format_date(day: date) -> str:
    """'Senin, 7 Desember 2026'."""
    return f"{DAY_NAMES[day.weekday()]}, {day.day} {MONTH_NAMES[day.month]} {day.year}"
