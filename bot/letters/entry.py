"""Appending a validated letter entry to official.yml (text append: comments are kept)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.content import ContentError
from bot.letters.documents import sha256_of
from bot.letters.loader import load_dir
from bot.letters.numbers import parse_number
from bot.letters.records import MODES, LetterStatus
from bot.letters.registry import LETTERS_DIR, RegistryError

OFFICIAL_FILE = "official.yml"


class EntryError(ContentError, ValueError):
    """The entry cannot be added; the message says why."""


def letter_entry(
    pdf: Path,
    number: str,
    day: str,
    subject: str,
    unit: str | None = None,
    signer: str | None = None,
    addressees: str | None = None,
    status: str = "valid",
    event: dict[str, Any] | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    """A registry entry for an official PDF, with its SHA-256, in the file's key order."""
    parsed = parse_number(number)
    if parsed is None:
        raise EntryError(f"'{number}' is not a letter or regulation number")
    try:
        when = date.fromisoformat(day)
    except ValueError as exc:
        raise EntryError(f"bad date '{day}' (use YYYY-MM-DD)") from exc
    if status not in {s.value for s in LetterStatus}:
        raise EntryError(f"status must be valid or revoked, not '{status}'")
    if event and event.get("mode") not in (None, *MODES):
        raise EntryError(f"event mode must be one of {', '.join(MODES)}")
    if event and event.get("date"):
        event = {**event, "date": date.fromisoformat(event["date"])}
    entry = {
        "number": parsed.canonical,
        "date": when,
        "subject": subject.strip(),
        "unit": unit,
        "signer": signer,
        "addressees": addressees,
        "event": event or None,
        "fee": False,
        "sha256": [sha256_of(Path(pdf).read_bytes())],
        "status": status,
        "example": False,
    }
    if notes:
        entry["notes"] = notes
    return entry


def append_letter(kb_dir: Path | str, entry: dict[str, Any]) -> Path:
    """Append the entry to kb_dir/letters/official.yml; refuse duplicates and invalid results."""
    letters_dir = Path(kb_dir) / LETTERS_DIR
    path = letters_dir / OFFICIAL_FILE
    before = load_dir(letters_dir)
    if before.problems:
        raise RegistryError([str(p) for p in before.problems])
    for letter in before.letters:
        if letter.number.canonical == entry["number"]:
            raise EntryError(f"{entry['number']} is already registered at {letter.source}")
        if set(letter.sha256) & set(entry["sha256"]):
            raise EntryError(f"this PDF is already registered as {letter.number} ({letter.source})")
    for hoax in before.hoaxes:
        if hoax.number and hoax.number.canonical == entry["number"]:
            raise EntryError(f"{entry['number']} is a known hoax ({hoax.source})")
    original = path.read_text(encoding="utf-8") if path.exists() else ""
    data = yaml.safe_load(original) if original.strip() else {}
    if data and list(data)[-1] != "letters":
        raise EntryError(f"{path}: 'letters:' must be the last key to append to it")
    text = original.rstrip("\n")
    if not data or "letters" not in data:
        text += "\nletters:"
    elif not data["letters"]:
        text = text.replace("letters: []", "letters:")
    block = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=96)
    text += "\n\n" + "".join(
        f"  {line}" if line.strip() else line for line in block.splitlines(True)
    )
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    after = load_dir(letters_dir)
    if after.problems:
        path.write_text(original, encoding="utf-8")
        raise RegistryError([str(p) for p in after.problems])
    return path
