"""A report month: its bounds on the contact center's clock (WIB) and its Indonesian names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from bot.dates import MONTH_NAMES
from bot.hours import Zone

SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month; its moments run from the 1st, 00.00 WIB, to the next month's 1st."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2023-02' to Month(2023, 2); ValueError otherwise."""
        found = _PATTERN.match(text.strip())
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ValueError(f"month must look like YYYY-MM, got {text!r}")
        return cls(int(found.group(1)), int(found.group(2)))

    @classmethod
    def containing(cls, moment: datetime) -> Month:
        """The month (in WIB) of an aware moment."""
        local = moment.astimezone(Zone.WIB.tzinfo)
        return cls(local.year, local.month)

    def shift(self, months: int) -> Month:
        """The month `months` later (negative: earlier)."""
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def first_day(self) -> date:
        """The 1st of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The last calendar day of the month."""
        return self.shift(1).first_day - timedelta(days=1)

    @property
    def days(self) -> int:
        """Number of days in the month."""
        return self.last_day.day

    @property
    def start(self) -> datetime:
        """The month's first moment, as aware UTC."""
        local = datetime.combine(self.first_day, datetime.min.time(), tzinfo=Zone.WIB.tzinfo)
        return local.astimezone(timezone.utc)

    @property
    def end(self) -> datetime:
        """The first moment after the month, as aware UTC."""
        return self.shift(1).start

    @property
    def key(self) -> str:
        """'2023-02'."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def name(self) -> str:
        """'Februari'."""
        return MONTH_NAMES[self.month]

    @property
    def label(self) -> str:
        """'Februari 2023'."""
        return f"{self.name} {self.year}"

    @property
    def short_label(self) -> str:
        """'Feb 2023', for chart axes."""
        return f"{SHORT_MONTHS[self.month - 1]} {self.year}"

    def __str__(self) -> str:
        return self.key


def long_date(day: date) -> str:
    """'6 Februari 2023'."""
    return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"
