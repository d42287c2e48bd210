"""Validation of one registry entry (letter, event, hoax) with line-numbered problems."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.letters.flags import FlagKind
from bot.letters.numbers import LetterNumber, parse_number
from bot.letters.records import MODES, Event, Hoax, Letter, LetterStatus

LETTER_KEYS: tuple[str, ...]
LETTER_KEYS = ("number", "date", "subject", "unit", "signer", "addressees", "event", "fee")
LETTER_KEYS += ("sha256", "status", "example")
HOAX_KEYS = ("id", "title", "description", "number", "reported", "keywords", "flags", "sha256")
_OPTIONAL = {"notes"}
_SHA = re.compile(r"[0-9a-f]{64}")
_MONTH = re.compile(r"(19|20)\d\d-(0[1-9]|1[0-2])(-\d\d)?")


YamlKey = str | int | float | date | None  # the plain values a registry file may use as a key


class LineDict(dict[YamlKey, Any]):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line = 1
    key_lines: dict[YamlKey, int]


@dataclass(frozen=True)
class Problem:
    """One validation problem in a registry file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        try:
            shown = self.path.resolve().relative_to(Path.cwd())
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {self.message}"


class EntryChecker:
    """Validation context of one file: builds records and collects line-numbered problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def keys(self, item: LineDict, required: tuple[str, ...], what: str) -> bool:
        for key in item:
            if key not in required and key not in _OPTIONAL:
                self.error(item.key_lines.get(key, item.line), f"unknown key '{key}' in {what}")
        missing = [key for key in required if key not in item]
        for key in missing:
            self.error(item.line, f"missing field '{key}' in {what}")
        return not missing

    def text(self, item: LineDict, key: str, nullable: bool = True) -> str | None:
        value = item.get(key)
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(item.key_lines.get(key, item.line), f"'{key}' must be a non-empty text")
            return None
        return value.strip()

    def day(self, item: LineDict, key: str) -> date | None:
        value = item.get(key)
        if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
            return value
        self.error(item.key_lines.get(key, item.line), f"bad date '{value}' (use YYYY-MM-DD)")
        return None

    def number(self, item: LineDict, key: str) -> LetterNumber | None:
        raw = item.get(key)
        line = item.key_lines.get(key, item.line)
        number = parse_number(str(raw)) if raw is not None else None
        if number is None:
            self.error(line, f"'{raw}' is not a letter or regulation number")
        elif number.canonical != str(raw).strip():
            self.error(line, f"write the number as '{number.canonical}'")
        return number

    def hashes(self, item: LineDict) -> tuple[str, ...]:
        value = item.get("sha256")
        line = item.key_lines.get("sha256", item.line)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(line, "'sha256' must be a list of hashes")
            return ()
        good = []
        for entry in value:
            if isinstance(entry, str) and _SHA.fullmatch(entry):
                good.append(entry)
            else:
                self.error(line, f"bad sha256 '{entry}' (64 lowercase hex digits)")
        return tuple(good)

    def letter(self, item: LineDict, examples_file: bool) -> Letter | None:
        if not self.keys(item, LETTER_KEYS, "letter"):
            return None
        number, subject = self.number(item, "number"), self.text(item, "subject", nullable=False)
        day = self.day(item, "date")
        if number and day and day.year != number.year:
            self.error(item.key_lines["date"], f"date {day} is not in the number's year")
        status = item.get("status")
        valid = isinstance(status, str) and status in {s.value for s in LetterStatus}
        if not valid:
            self.error(item.key_lines["status"], f"status must be valid or revoked, not '{status}'")
        for key in ("fee", "example"):
            if not isinstance(item.get(key), bool):
                self.error(item.key_lines[key], f"'{key}' must be true or false")
        if item.get("fee") is True:
            self.error(
                item.key_lines["fee"], "DJPK events are free (S-38/PK/2024): fee must be false"
            )
        if examples_file and item.get("example") is not True:
            self.error(item.key_lines["example"], "letters in examples.yml must say example: true")
        if not examples_file and item.get("example") is True:
            self.error(item.key_lines["example"], "example letters belong in examples.yml")
        event = self.event(item.get("event"), item.key_lines["event"])
        hashes = self.hashes(item)
        texts = {key: self.text(item, key) for key in ("unit", "signer", "addressees", "notes")}
        if not number or not subject or not valid:
            return None
        return Letter(
            number,
            day,
            subject,
            event=event,
            fee=False,
            sha256=hashes,
            status=LetterStatus(status),
            example=examples_file,
            source=f"{self.path}:{item.line}",
            **texts,
        )

    def event(self, value: Any, line: int) -> Event | None:
        if value is None:
            return None
        if not isinstance(value, LineDict):
            self.error(line, "'event' must be a mapping with date, place, mode (or null)")
            return None
        if not self.keys(value, ("date", "place", "mode"), "event"):
            return None
        mode = value.get("mode")
        if mode is not None and mode not in MODES:
            self.error(value.key_lines["mode"], f"mode must be one of {', '.join(MODES)} or null")
            mode = None
        return Event(self.day(value, "date"), self.text(value, "place"), mode)

    def hoax(self, item: LineDict) -> Hoax | None:
        if not self.keys(item, HOAX_KEYS, "hoax"):
            return None
        ident = self.text(item, "id", nullable=False)
        title = self.text(item, "title", nullable=False)
        description = self.text(item, "description", nullable=False)
        number = self.number(item, "number") if item.get("number") is not None else None
        reported = item.get("reported")
        if reported is not None and not _MONTH.fullmatch(str(reported)):
            self.error(item.key_lines["reported"], f"bad date '{reported}' (YYYY-MM or YYYY-MM-DD)")
        keywords = item.get("keywords") or []
        if not isinstance(keywords, list) or not all(
            isinstance(group, list) and group and all(isinstance(w, str) and w for w in group)
            for group in keywords
        ):
            self.error(item.key_lines["keywords"], "'keywords' must be a list of lists of words")
            keywords = []
        flags = item.get("flags") or []
        known = {kind.value for kind in FlagKind}
        if not isinstance(flags, list) or not set(map(str, flags)) <= known:
            self.error(item.key_lines["flags"], f"'flags' must list kinds among {sorted(known)}")
            flags = []
        if item.get("number") is None and not keywords:
            self.error(item.line, "a hoax needs a number, keywords, or both")
        if not ident or not title or not description:
            return None
        return Hoax(
            ident,
            title,
            description,
            number=number,
            reported=str(reported) if reported is not None else None,
            keywords=tuple(tuple(group) for group in keywords),
            flags=tuple(map(str, flags)),
            sha256=self.hashes(item),
            source=f"{self.path}:{item.line}",
        )
