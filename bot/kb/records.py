"""FAQ records: one entry of the knowledge base and one search hit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class FaqEntry:
    """One question-and-answer entry owned by one DJPK unit."""

    id: str
    topic: str
    unit: str
    questions: tuple[str, ...]
    answer: str
    references: tuple[str, ...]
    reviewed_on: date
    review_every_days: int = 30
    keywords: tuple[str, ...] = ()
    valid_until: date | None = None
    programs: tuple[str, ...] = ()  # programs.yml ids beyond those its id and topic name
    confirm: str = ""  # what the owning unit must still confirm (flagged until removed)
    source: str = ""
    line: int = 0

    @property
    def review_due(self) -> date:
        """The date by which the owning unit must review the entry again."""
        return self.reviewed_on + timedelta(days=self.review_every_days)

    def is_stale(self, as_of: date) -> bool:
        """True when the review date has passed or the entry is no longer valid."""
        return as_of > self.review_due or self.is_expired(as_of)

    @property
    def flagged(self) -> bool:
        """True while the entry carries a fact the owning unit has not confirmed yet."""
        return bool(self.confirm)

    def is_expired(self, as_of: date) -> bool:
        """True after `valid_until` (such an entry is never served)."""
        return self.valid_until is not None and as_of > self.valid_until


@dataclass(frozen=True)
class SearchHit:
    """One ranked entry: its id, a calibrated score in 0..1 and the entry itself."""

    id: str
    score: float
    entry: FaqEntry


@dataclass(frozen=True)
class FaqMatch:
    """What to do with one question: answer the best hit, ask among hits, or admit no answer."""

    query: str
    hits: tuple[SearchHit, ...]  # best first, each at least the suggestion threshold
    confident: bool  # answer hits[0] directly
    ambiguous: bool  # not confident, but hits are worth offering as choices
    best_id: str | None  # best entry whatever its score (for the miss log)
    best_unit: str | None
    best_score: float
    programs: tuple[str, ...] = ()  # programs the question names (programs.yml ids)

    @property
    def answer(self) -> SearchHit | None:
        """The hit to answer with, when confident."""
        return self.hits[0] if self.confident else None
