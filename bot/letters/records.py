"""Registry records: official letters (and cited regulations) and known hoaxes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from bot.letters.numbers import LetterNumber

MONTHS: tuple[str, ...]
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus")
MONTHS += ("September", "Oktober", "November", "Desember")
UNIT_CODES = {
    "PK": "Direktorat Jenderal Perimbangan Keuangan",
    "PK.1": "Sekretariat Direktorat Jenderal Perimbangan Keuangan",
}
MODES = {"daring": "daring (online)", "luring": "luring (tatap muka)", "hybrid": "hybrid"}


class LetterStatus(Enum):
    """Whether a registered letter still stands."""

    VALID = "valid"
    REVOKED = "revoked"


def tanggal(day: date | None) -> str:
    """An Indonesian date, '28 Februari 2023'; 'tidak tercatat' when unknown."""
    if day is None:
        return "tidak tercatat"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Event:
    """Date, place and mode of the event an invitation is about (each may be unknown)."""

    date: date | None
    place: str | None
    mode: str | None

    def describe(self) -> str:
        """One Indonesian line: 'tanggal ..., tempat ..., daring (online)'."""
        parts = [f"tanggal {tanggal(self.date)}" if self.date else "tanggal tidak tercatat"]
        parts.append(f"tempat {self.place}" if self.place else "tempat tidak tercatat")
        parts.append(MODES.get(self.mode or "", "moda tidak tercatat"))
        return ", ".join(parts)


@dataclass(frozen=True)
class Letter:
    """An official outgoing DJPK letter or a regulation it cites, as registered."""

    number: LetterNumber
    date: date | None
    subject: str
    unit: str | None = None
    signer: str | None = None
    addressees: str | None = None
    event: Event | None = None
    fee: bool = False
    sha256: tuple[str, ...] = ()
    status: LetterStatus = LetterStatus.VALID
    example: bool = False
    notes: str | None = None
    source: str = ""

    @property
    def unit_label(self) -> str:
        """The issuing unit, or the unit code from the number when the name is not recorded."""
        if self.unit:
            return self.unit
        code = self.number.unit
        if code in UNIT_CODES:
            return f"{UNIT_CODES[code]} (kode {code})"
        return f"kode unit {code}" if code else "tidak tercatat"

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready form for the CLI and the Rasa action."""
        return {
            "number": self.number.canonical,
            "date": self.date.isoformat() if self.date else None,
            "subject": self.subject,
            "unit": self.unit,
            "signer": self.signer,
            "addressees": self.addressees,
            "event": None
            if self.event is None
            else {
                "date": self.event.date.isoformat() if self.event.date else None,
                "place": self.event.place,
                "mode": self.event.mode,
            },
            "fee": self.fee,
            "status": self.status.value,
            "example": self.example,
        }


@dataclass(frozen=True)
class Hoax:
    """A known fake: by its number, by a pattern of keywords (every group must match), or both."""

    id: str
    title: str
    description: str
    number: LetterNumber | None = None
    reported: str | None = None
    keywords: tuple[tuple[str, ...], ...] = ()
    flags: tuple[str, ...] = ()
    sha256: tuple[str, ...] = ()
    source: str = ""
    _regexes: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        regexes = tuple(
            re.compile(r"(?<!\w)(?:" + "|".join(_phrase(word) for word in group) + r")(?!\w)", re.I)
            for group in self.keywords
        )
        object.__setattr__(self, "_regexes", regexes)

    def matches_text(self, text: str, flag_kinds: set[str]) -> bool:
        """True when every keyword group occurs and (if flags are named) one of them was raised."""
        if not self._regexes:
            return False
        if self.flags and not flag_kinds.intersection(self.flags):
            return False
        return all(regex.search(text) for regex in self._regexes)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        number = self.number.canonical if self.number else None
        return {"id": self.id, "title": self.title, "number": number, "reported": self.reported}


def _phrase(word: str) -> str:
    return r"\s+".join(re.escape(part) for part in word.split())
