"""Knowledge-loop records: a routed question, a group of them, an entry as the console shows it,
one recorded change of a FAQ file, and a unit's monthly review summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Kind = Literal["miss", "unhelpful", "mixed"]
Action = Literal["add_questions", "update", "create", "review", "revert"]
SECRETARIAT = "sekretariat"


@dataclass(frozen=True)
class Question:
    """One unanswered question (`faq_misses`) or one "Tidak membantu" vote (`faq_votes`), routed.

    `key` is "m<id>" for a miss and "v<id>" for a vote: unique across both tables.
    """

    key: str
    kind: Literal["miss", "unhelpful"]
    text: str
    at: datetime
    channel: str
    conversation_id: str
    best_id: str | None  # the closest entry (a miss) or the entry voted down (a vote)
    best_score: float  # calibrated 0..1 (a vote: 1.0, the entry was answered)
    unit: str  # the owning unit, from `routing.owner_unit`
    program: str | None  # the first program the text names (programs.yml id)
    programs: tuple[str, ...] = ()  # every program the text names


@dataclass(frozen=True)
class QuestionGroup:
    """Near-duplicate questions routed to one unit ("23 orang bertanya tentang ...")."""

    id: str  # stable: a hash of the group's first (oldest) member
    unit: str
    kind: Kind
    texts: tuple[str, ...]  # distinct texts, most frequent first
    count: int  # how many questions (misses and votes) the group holds
    channels: tuple[str, ...]  # distinct channels, most frequent first
    first_seen: datetime
    last_seen: datetime
    best_id: str | None  # the entry closest to the group (most frequent among its members)
    best_score: float  # the best score of that entry among the members
    program: str | None  # the program most members name, if any
    resolved_by: int | None  # the change that resolved the group (None: open)


@dataclass(frozen=True)
class EntryView:
    """One FAQ entry as the console shows it."""

    unit: str
    file: str  # e.g. "faq/dana-transfer-khusus.yml" (relative to the knowledge-base folder)
    line: int
    id: str
    topic: str
    questions: tuple[str, ...]
    answer: str
    references: tuple[str, ...]
    keywords: tuple[str, ...]
    reviewed_on: date
    review_every_days: int
    review_due_on: date  # reviewed_on + review_every_days
    review_due: bool  # the review date has passed (or the entry expired) as of `today`
    flagged: bool  # it carries a `confirm:` note the unit has not confirmed yet
    confirm: str
    valid_until: date | None
    programs: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    """One recorded edit of a unit's FAQ file (table `kb_changes`)."""

    id: int
    unit: str
    file: str  # relative to the knowledge-base folder
    entry_id: str
    action: Action
    author: str
    at: datetime
    diff: str  # unified diff of the file
    group_id: str | None  # the question group the edit resolved
    reverted_by: int | None  # the change that undid this one
    reverts: int | None = None  # for a revert: the change it undid


@dataclass(frozen=True)
class TopicCount:
    """One of the month's most asked topics of a unit (a question group)."""

    text: str
    count: int


@dataclass(frozen=True)
class ReviewSummary:
    """What a unit's PICs see at the start of a month."""

    unit: str
    month: str  # "YYYY-MM": the month the figures cover (usually the one just ended)
    entries_due: tuple[str, ...]  # ids of entries past (or reaching, this month) their review
    flagged: tuple[str, ...]  # ids of entries with a fact still to confirm
    open_groups: int
    unhelpful_votes: int  # "Tidak membantu" votes on the unit's entries in `month`
    top_topics: tuple[TopicCount, ...]  # the month's largest question groups of the unit


@dataclass(frozen=True)
class ReviewRun:
    """One monthly summary run for one unit (table `kb_review_runs`): sent, or why not."""

    unit: str
    month: str
    at: datetime
    status: str  # "sent", "no_smtp", "no_recipients" or "failed"
    recipients: tuple[str, ...]
    detail: str  # an Indonesian sentence the console shows
