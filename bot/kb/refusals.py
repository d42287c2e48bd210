"""Kinds of question the FAQ never answers (one pemda's own figures), from refusals.yml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.kb.terms import phrase
from bot.kb.yamlfile import KbError, read_top_rows

FILE = "refusals.yml"


@dataclass(frozen=True)
class RefusalKind:
    """A kind of question: it applies when the text holds a word of every group."""

    id: str
    reason: str
    groups: tuple[re.Pattern[str], ...]

    def applies(self, phrase: str) -> bool:
        """True when every group has a word in the normalised phrase."""
        return all(group.search(phrase) for group in self.groups)


@dataclass(frozen=True)
class Refusals:
    """The kinds of question answered only by a person."""

    kinds: tuple[RefusalKind, ...] = ()

    def kind_of(self, text: str) -> RefusalKind | None:
        """The first kind the text is, or None."""
        words = phrase(text)
        return next((kind for kind in self.kinds if kind.applies(words)), None)


def _phrases(words: object) -> list[str]:
    """The normalised phrases of one group, longest first; [] unless a list of texts."""
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        return []
    return sorted({phrase(w) for w in words} - {""}, key=len, reverse=True)


def _group(phrases: list[str]) -> re.Pattern[str]:
    """One group as a pattern (never empty: an empty alternation would match every text)."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")


def load_refusals(kb_dir: Path) -> Refusals:
    """The kinds of `<kb_dir>/refusals.yml` (none when the file is absent)."""
    path = Path(kb_dir) / FILE
    if not path.is_file():
        return Refusals()
    kinds, errors = [], []
    for number, (line, row) in enumerate(read_top_rows(path, "kinds"), 1):
        groups = row.get("all_of") if isinstance(row, dict) else None
        ident = row.get("id") if isinstance(row, dict) else None
        phrases = [_phrases(g) for g in groups] if isinstance(groups, list) else []
        if not isinstance(ident, str) or not ident.strip() or not phrases or not all(phrases):
            errors.append(
                f"{path}:{line}: kind {number}: needs an 'id' and 'all_of' "
                "(lists of words, each with a letter or digit)"
            )
            continue
        assert isinstance(row, dict)  # ident is a str only when row is a mapping
        patterns = tuple(map(_group, phrases))
        kinds.append(RefusalKind(ident, str(row.get("reason") or ""), patterns))
    if errors:
        raise KbError(errors)
    return Refusals(tuple(kinds))
