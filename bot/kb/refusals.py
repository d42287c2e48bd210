"""Kinds of question the FAQ never answers (one pemda's own figures), from refusals.yml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.kb.loader import KbError, read_top_list
from bot.kb.terms import phrase

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


def _group(words: list[object]) -> re.Pattern[str]:
    phrases = sorted({phrase(str(w)) for w in words} - {""}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")


def load_refusals(kb_dir: Path) -> Refusals:
    """The kinds of `<kb_dir>/refusals.yml` (none when the file is absent)."""
    path = Path(kb_dir) / FILE
    if not path.is_file():
        return Refusals()
    rows = read_top_list(path, "kinds")
    kinds, errors = [], []
    for number, row in enumerate(rows, 1):
        groups = row.get("all_of") if isinstance(row, dict) else None
        valid = isinstance(groups, list) and all(isinstance(g, list) and g for g in groups)
        if not valid or not groups or not row.get("id"):
            errors.append(f"{path}: kind {number}: needs an 'id' and 'all_of' (lists of words)")
            continue
        patterns = tuple(map(_group, groups))
        kinds.append(RefusalKind(str(row["id"]), str(row.get("reason", "")), patterns))
    if errors:
        raise KbError(errors)
    return Refusals(tuple(kinds))
