"""Questions that belong to another institution (EFIN, NPWP, BPJS, CPNS, bansos...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.content import ContentError, read_yaml
from bot.text import normalise

FILE_NAME = "non_djpk.yml"


class NonDjpkError(ContentError, ValueError):
    """non_djpk.yml is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Referral:
    """Which institution handles a question, and how to reach it."""

    id: str
    institution: str
    keywords: tuple[str, ...]
    answer: str


class NonDjpkDirectory:
    """Keyword lookup over knowledge_base/non_djpk.yml."""

    def __init__(self, referrals: tuple[Referral, ...]) -> None:
        self.referrals = referrals
        self._patterns = [
            (ref, re.compile(r"\b(?:" + "|".join(map(re.escape, ref.keywords)) + r")\b"))
            for ref in referrals
        ]

    @classmethod
    def load(cls, kb_dir: Path | str) -> NonDjpkDirectory:
        """Read the directory; NonDjpkError names the file and the entry on a problem."""
        path = Path(kb_dir) / FILE_NAME
        data = read_yaml(path, NonDjpkError) or {}
        if not isinstance(data, dict):
            raise NonDjpkError(f"{path}:1: expected an `entries:` list")
        referrals = []
        for number, item in enumerate(data.get("entries") or [], start=1):
            try:
                keywords = tuple(str(k).lower() for k in item["keywords"])
                referrals.append(
                    Referral(
                        item["id"], item["institution"], keywords, " ".join(item["answer"].split())
                    )
                )
            except (KeyError, TypeError, AttributeError) as exc:
                raise NonDjpkError(f"{path}: entry {number}: missing or bad field {exc}") from exc
        return cls(tuple(referrals))

    def match(self, text: str) -> Referral | None:
        """The referral whose keywords occur in the text (raw or normalised), if any."""
        candidates = (text.lower(), normalise(text))
        for referral, pattern in self._patterns:
            if any(pattern.search(candidate) for candidate in candidates):
                return referral
        return None
