"""Near-duplicate questions grouped per owning unit, with the encoder the search uses (or, when
it is off, by shared words), so a unit sees one group of 23 questions rather than 23 rows.

Grouping runs over every stored question, oldest first: a question joins the most similar group
of its unit when close enough to the group's mean (by meaning) or to one of its members (by
words), else starts a group. e5 cosines are compressed (Dana Desa and Otsus "tahap 2" questions
score 0.91, rephrasings 0.92-0.97), so a question never joins a group naming another program or
another stage or year number ("tahap 1" and "tahap 2" stay apart). A group's id is a hash of
its first member, so it stays the same as questions arrive (a resolution is recorded against it).
A group resolved by a change stays resolved until a question joins it after the change: then it
is open again, holding only the questions asked since.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.engine import Engine

from bot.clock import as_utc
from bot.kb.live import KnowledgeBase
from bot.kb.loop.records import Kind, Question, QuestionGroup
from bot.kb.loop.routing import named_program, owner_unit
from bot.kb.loop.sql import RawQuestion, raw_questions, resolutions
from bot.kb.retriever import FaqRetriever
from bot.kb.semantic import EmbeddingCache, Encoder, query_text
from bot.kb.terms import terms

# Cosine to a group's mean vector from which a question joins it (multilingual-e5-small).
SEMANTIC_JOIN = 0.9
# Without the encoder: share of words (Jaccard on the content words) from which a question joins.
LEXICAL_JOIN = 0.5
LEXICAL_MEMBERS = 20  # ... with one of its first members (bounds the work on a long history)


def routed(engine: Engine, kb: KnowledgeBase) -> list[Question]:
    """Every stored miss and vote with its owning unit, oldest first."""
    retriever = kb.retriever
    return [
        Question(
            key=raw.key,
            kind="miss" if raw.kind == "miss" else "unhelpful",
            text=raw.text,
            at=raw.at,
            channel=raw.channel,
            conversation_id=raw.conversation_id,
            best_id=raw.best_id,
            best_score=raw.best_score,
            unit=_unit(retriever, raw),
            program=named_program(retriever, raw.text),
            programs=retriever.programs.named_in(raw.text),
        )
        for raw in raw_questions(engine)
    ]


def _unit(retriever: FaqRetriever, raw: RawQuestion) -> str:
    if raw.kind == "unhelpful":  # the entry voted down is the candidate, whatever it scored
        return owner_unit(retriever, raw.text, raw.best_id, raw.best_unit, 1.0)
    return owner_unit(retriever, raw.text, raw.best_id, raw.best_unit, raw.best_score)


def words(text: str) -> frozenset[str]:
    """The content words of a question: the lexical search's terms (stemmed, stop words out)."""
    return frozenset(terms(text))


def numbers(tokens: frozenset[str]) -> frozenset[str]:
    """The numbers among a question's words ("tahap 2", "2025")."""
    return frozenset(t for t in tokens if t.isdigit())


def _compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or a == b


class Similarity:
    """Query vectors from the search's encoder (cached by text), or word sets without one."""

    def __init__(self, encoder: Encoder | None, cache: EmbeddingCache | None = None) -> None:
        self.encoder = encoder
        self.cache = cache or EmbeddingCache(None)

    def vectors(self, texts: Sequence[str]) -> list[NDArray[np.float32]] | None:
        """One normalised query vector per text; None when there is no encoder."""
        if self.encoder is None:
            return None
        version = f"{self.encoder.version}\0query"
        keys = [EmbeddingCache.key(version, query_text(t)) for t in texts]
        known = self.cache.get(set(keys))
        fresh = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in known and key not in fresh:
                fresh[key] = self.encoder.query(query_text(text))
        self.cache.put(fresh)
        known.update(fresh)
        return [known[k] for k in keys]


@dataclass
class _Group:
    unit: str
    programs: frozenset[str]
    numbers: frozenset[str]
    members: list[Question] = field(default_factory=list)
    vector: NDArray[np.float64] | None = None  # sum of member vectors
    member_words: list[frozenset[str]] = field(default_factory=list)

    def fits(self, programs: frozenset[str], figures: frozenset[str]) -> bool:
        """Whether a question naming these programs and numbers may join."""
        return _compatible(self.programs, programs) and _compatible(self.numbers, figures)

    def similarity(self, vector: NDArray[np.float32] | None, tokens: frozenset[str]) -> float:
        """Cosine to the mean vector, or the best share of words with a member."""
        if vector is not None and self.vector is not None:
            norm = float(np.linalg.norm(self.vector))
            return float(self.vector @ vector) / norm if norm else 0.0
        compared = self.member_words[:LEXICAL_MEMBERS]
        return max((_jaccard(tokens, other) for other in compared), default=0.0)

    def add(
        self, question: Question, vector: NDArray[np.float32] | None, tokens: frozenset[str]
    ) -> None:
        self.members.append(question)
        self.member_words.append(tokens)
        if vector is not None:
            v = vector.astype(np.float64)
            self.vector = v if self.vector is None else self.vector + v


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def cluster(questions: Sequence[Question], similarity: Similarity) -> list[list[Question]]:
    """Questions (oldest first) grouped per unit; groups in order of their first member."""
    vectors = similarity.vectors([q.text for q in questions])
    threshold = LEXICAL_JOIN if vectors is None else SEMANTIC_JOIN
    groups: list[_Group] = []
    by_unit: dict[str, list[_Group]] = {}
    by_text: dict[tuple[str, frozenset[str]], _Group] = {}
    for number, question in enumerate(questions):
        vector = vectors[number] if vectors is not None else None
        tokens = words(question.text)
        programs, figures = frozenset(question.programs), numbers(tokens)
        same = (question.unit, tokens or frozenset([question.text.lower()]))
        best: _Group | None = by_text.get(same)
        if best is None:
            scored = [
                (group.similarity(vector, tokens), -position, group)
                for position, group in enumerate(by_unit.get(question.unit, []))
                if group.fits(programs, figures)
            ]
            top = max(scored, key=lambda s: (s[0], s[1]), default=None)
            if top is not None and top[0] >= threshold:
                best = top[2]
        if best is None:
            best = _Group(question.unit, programs, figures)
            groups.append(best)
            by_unit.setdefault(question.unit, []).append(best)
        best.add(question, vector, tokens)
        by_text.setdefault(same, best)
    return [g.members for g in groups]


def group_id(first: Question) -> str:
    """The stable id of a group: a hash of its first member's key."""
    return "g" + hashlib.sha256(first.key.encode()).hexdigest()[:12]


def _ranked(values: Iterable[str | None]) -> tuple[str, ...]:
    counts = Counter(v for v in values if v)
    return tuple(v for v, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summarise(ident: str, members: Sequence[Question], resolved_by: int | None) -> QuestionGroup:
    """One group's record from its members."""
    kinds = {m.kind for m in members}
    kind: Kind = "mixed" if len(kinds) > 1 else ("miss" if "miss" in kinds else "unhelpful")
    texts = Counter(" ".join(m.text.split()) for m in members)
    first_at = {t: min(m.at for m in members if " ".join(m.text.split()) == t) for t in texts}
    ordered = tuple(sorted(texts, key=lambda t: (-texts[t], first_at[t], t)))
    best = _ranked(m.best_id for m in members)
    best_id = best[0] if best else None
    best_score = max((m.best_score for m in members if m.best_id == best_id), default=0.0)
    programs = _ranked(m.program for m in members)
    return QuestionGroup(
        id=ident,
        unit=members[0].unit,
        kind=kind,
        texts=ordered,
        count=len(members),
        channels=_ranked(m.channel for m in members),
        first_seen=min(m.at for m in members),
        last_seen=max(m.at for m in members),
        best_id=best_id,
        best_score=best_score,
        program=programs[0] if programs else None,
        resolved_by=resolved_by,
    )


def question_groups(
    engine: Engine,
    kb: KnowledgeBase,
    *,
    unit: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    include_resolved: bool = False,
) -> list[QuestionGroup]:
    """The groups of questions routed to `unit` (all units: None), largest first.

    `since`/`until` keep the questions asked in [since, until) (a group with none is left out);
    with `until`, only the changes made before it resolve groups (the state at that moment).
    Resolved groups are left out unless `include_resolved`.
    """
    similarity = Similarity(kb.encoder, kb.cache)
    resolved = resolutions(engine, until)
    found = []
    for members in cluster(routed(engine, kb), similarity):
        if unit is not None and members[0].unit != unit:
            continue
        ident = group_id(members[0])
        by, kept = None, list(members)
        if ident in resolved:
            change_id, at = resolved[ident]
            newer = [m for m in members if m.at > at]
            by, kept = (None, newer) if newer else (change_id, kept)
        if by is not None and not include_resolved:
            continue
        if since is not None:
            kept = [m for m in kept if m.at >= as_utc(since)]
        if until is not None:
            kept = [m for m in kept if m.at < as_utc(until)]
        if kept:
            found.append(summarise(ident, kept, by))
    return sorted(found, key=lambda g: (-g.count, -g.last_seen.timestamp(), g.id))
