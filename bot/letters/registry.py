"""The registry of official letters and known hoaxes: exact, closest-number and pattern lookups."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bot.content import ContentError
from bot.letters.loader import load_dir
from bot.letters.numbers import LetterNumber
from bot.letters.records import Hoax, Letter

LETTERS_DIR = "letters"
log = logging.getLogger(__name__)


class RegistryError(ContentError, ValueError):
    """The registry files have problems; str() lists them as `path:line: message`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class NearMatch:
    """The closest registered letter to an unregistered number, and what differs."""

    letter: Letter
    differences: tuple[str, ...]


def _differences(asked: LetterNumber, known: LetterNumber) -> list[str]:
    diffs = []
    if asked.prefix != known.prefix:
        shown = asked.prefix or "tidak terbaca"
        diffs.append(f"jenis surat {shown} (terdaftar: {known.prefix})")
    if asked.seq != known.seq:
        diffs.append(f"nomor urut {asked.seq} (terdaftar: {known.seq})")
    if asked.unit is not None and asked.unit != known.unit:
        diffs.append(f"kode unit {asked.unit} (terdaftar: {known.unit or '-'})")
    if asked.year != known.year:
        diffs.append(f"tahun {asked.year} (terdaftar: {known.year})")
    return diffs


def _close_seq(a: int, b: int) -> bool:
    """Sequence numbers one typo apart: one digit changed, added or dropped, or two swapped."""
    x, y = str(a), str(b)
    if max(len(x), len(y)) >= 2 and Levenshtein.distance(x, y) <= 1:
        return True
    return (
        len(x) == len(y)
        and sorted(x) == sorted(y)
        and sum(p != q for p, q in zip(x, y, strict=True)) == 2
    )


class Registry:
    """Official letters and known hoaxes, indexed by canonical number and by file hash."""

    def __init__(self, letters: tuple[Letter, ...], hoaxes: tuple[Hoax, ...]) -> None:
        self.letters = letters
        self.hoaxes = hoaxes
        self._by_number = {letter.number.canonical: letter for letter in letters}
        self._hoax_by_number = {h.number.canonical: h for h in hoaxes if h.number}
        self._by_hash: dict[str, Letter | Hoax] = {d: x for x in letters for d in x.sha256}
        self._by_hash.update({d: h for h in hoaxes for d in h.sha256})
        self._choices = list(self._by_number)

    @classmethod
    def from_dir(cls, kb_dir: Path | str, include_examples: bool = False) -> Registry:
        """Load kb_dir/letters; RegistryError when any file has a problem."""
        data = load_dir(Path(kb_dir) / LETTERS_DIR)
        if data.problems:
            raise RegistryError([str(p) for p in data.problems])
        letters = tuple(x for x in data.letters if include_examples or not x.example)
        return cls(letters, data.hoaxes)

    def get(self, number: LetterNumber) -> Letter | None:
        """The registered letter with exactly this number ('PMK 62/2023' finds 62/PMK.xx/2023)."""
        letter = self._by_number.get(number.canonical)
        if letter is None and number.prefix == "PMK" and number.unit is None:
            letter = next(
                (
                    x
                    for x in self.letters
                    if x.number.prefix == "PMK"
                    and (x.number.seq, x.number.year) == (number.seq, number.year)
                ),
                None,
            )
        return letter

    def hoax_for(self, number: LetterNumber) -> Hoax | None:
        """The known hoax carrying exactly this number."""
        return self._hoax_by_number.get(number.canonical)

    def by_hash(self, digest: str) -> Letter | Hoax | None:
        """The letter (or known fake) whose file has this SHA-256."""
        return self._by_hash.get(digest)

    def hoax_by_pattern(self, text: str, flag_kinds: set[str]) -> Hoax | None:
        """The first known hoax whose keyword pattern (and flag condition) the text matches."""
        return next((h for h in self.hoaxes if h.matches_text(text, flag_kinds)), None)

    def closest(self, number: LetterNumber) -> NearMatch | None:
        """A registered letter differing from the number in exactly one part (a likely copy)."""
        best = process.extract(number.canonical, self._choices, scorer=fuzz.ratio, limit=10)
        for choice, _score, _index in best:
            letter = self._by_number[choice]
            if letter.number.is_regulation != number.is_regulation:
                continue
            diffs = _differences(number, letter.number)
            seq_only = len(diffs) == 1 and number.seq != letter.number.seq
            if len(diffs) == 1 and (not seq_only or _close_seq(number.seq, letter.number.seq)):
                return NearMatch(letter, tuple(diffs))
        return None


class RegistrySource:
    """Builds the registry on first use and reloads it when a letters file changes."""

    def __init__(self, kb_dir: Path | str, include_examples: bool = False) -> None:
        self.kb_dir = Path(kb_dir)
        self.include_examples = include_examples
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._registry: Registry | None = None

    def _current_stamp(self) -> tuple[tuple[str, int, int], ...]:
        files = sorted((self.kb_dir / LETTERS_DIR).glob("*.yml"))
        return tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)

    def get(self) -> Registry:
        """The registry; an invalid edit keeps the last good one (and logs why)."""
        stamp = self._current_stamp()
        if self._registry is None or stamp != self._stamp:
            try:
                self._registry = Registry.from_dir(self.kb_dir, self.include_examples)
            except RegistryError as exc:
                if self._registry is None:
                    raise
                log.warning("letters registry not reloaded:\n%s", exc)
            self._stamp = stamp
        return self._registry
