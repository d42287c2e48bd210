"""FAQ ranking: a coverage-weighted lexical score blended with fuzzy similarity to the questions."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from bot.kb.records import FaqEntry, FaqMatch, SearchHit
from bot.kb.terms import stem, surface_tokens

THRESHOLD = 0.45  # a hit scoring below this is not an answer
SUGGEST_THRESHOLD = 0.3  # below THRESHOLD but at least this: offered as a choice, never answered
AMBIGUITY_MARGIN = 0.05  # top two closer than this: ask the user which one
FIELD_WEIGHTS = {"questions": 1.0, "keywords": 1.0, "topic": 0.9, "references": 0.5, "answer": 0.35}
PRIMARY_WEIGHT = 0.9  # fields at least this heavy say what an entry is about (they set the idf)
LEXICAL_SHARE = 0.7  # the rest of the score is fuzzy similarity to the closest stored question
CANDIDATES = 15  # entries re-ranked with fuzzy similarity, after the lexical pass
TYPO_CUTOFF = 85  # minimum rapidfuzz ratio to read an unknown word as a known one


@dataclass(frozen=True)
class _Doc:
    entry: FaqEntry
    questions: tuple[str, ...]


@dataclass
class FaqIndex:
    """Indexes built once per knowledge-base load; `search` is pure and deterministic."""

    entries: tuple[FaqEntry, ...]
    _docs: list[_Doc] = field(init=False, default_factory=list)
    _postings: dict[str, tuple[NDArray[np.int64], NDArray[np.float64]]] = field(
        init=False, default_factory=dict
    )
    _idf: dict[str, float] = field(init=False, default_factory=dict)
    _surface: dict[str, str] = field(init=False, default_factory=dict)
    _typos: dict[str, str | None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, entry in enumerate(self.entries):
            weights: dict[str, float] = {}
            fields = {
                "questions": entry.questions,
                "keywords": entry.keywords,
                "topic": (entry.topic, entry.id.replace("-", " ")),
                "references": entry.references,
                "answer": (entry.answer,),
            }
            questions = []
            for name, texts in fields.items():
                for text in texts:
                    words = surface_tokens(text)
                    self._surface.update((w, stem(w)) for w in words)
                    stems = [stem(w) for w in words]
                    if name == "questions":
                        questions.append(" ".join(stems))
                    for term in stems:
                        weights[term] = max(weights.get(term, 0.0), FIELD_WEIGHTS[name])
            for term, weight in weights.items():
                postings[term].append((number, weight))
            self._docs.append(_Doc(entry, tuple(questions)))
        total = len(self.entries)
        self._postings = {
            term: (np.array([n for n, _ in rows], dtype=np.int64), np.array([w for _, w in rows]))
            for term, rows in postings.items()
        }
        self._idf = {
            term: _idf(total, max(1, sum(w >= PRIMARY_WEIGHT for _, w in rows)))
            for term, rows in postings.items()
        }
        self._surface_list = list(self._surface)

    def _term(self, word: str) -> str:
        root = stem(word)
        if root in self._postings or len(word) < 5 or not word.isalpha():
            return root
        if word not in self._typos:
            match = process.extractOne(
                word, self._surface_list, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
            )
            self._typos[word] = self._surface[match[0]] if match else None
        return self._typos[word] or root

    def search(
        self, query: str, k: int = 3, threshold: float = THRESHOLD, today: date | None = None
    ) -> list[SearchHit]:
        """The best k entries scoring at least `threshold`, best first."""
        terms = list(dict.fromkeys(self._term(w) for w in surface_tokens(query)))
        if not terms or not self._docs:
            return []
        default_idf = _idf(len(self._docs), 0)
        idfs = [self._idf.get(t, default_idf) for t in terms]
        mass = sum(idfs)
        lexical = np.zeros(len(self._docs))
        for term, idf in zip(terms, idfs, strict=True):
            if term in self._postings:
                numbers, weights = self._postings[term]
                lexical[numbers] += weights * (idf / mass)
        found = np.flatnonzero(lexical)
        if len(found) > CANDIDATES:
            found = found[np.argpartition(-lexical[found], CANDIDATES)[:CANDIDATES]]
        today = today or date.today()
        text = " ".join(terms)
        hits = []
        for number, lex in zip(found.tolist(), lexical[found].tolist(), strict=True):
            doc = self._docs[number]
            if doc.entry.is_expired(today):
                continue
            fuzzy = max((fuzz.token_set_ratio(text, q) for q in doc.questions), default=0) / 100
            score = round(LEXICAL_SHARE * lex + (1 - LEXICAL_SHARE) * fuzzy * lex**0.5, 4)
            if score >= threshold:
                hits.append((score, number))
        hits.sort(key=lambda item: (-item[0], item[1]))
        return [SearchHit(self.entries[n].id, s, self.entries[n]) for s, n in hits[:k]]

    def match(self, query: str, k: int = 3, today: date | None = None) -> FaqMatch:
        """Search and decide: confident answer, ambiguous choice, or nothing to offer."""
        ranked = self.search(query, k=max(k, 2), threshold=0.0, today=today)
        hits = tuple(hit for hit in ranked[:k] if hit.score >= SUGGEST_THRESHOLD)
        confident = bool(hits) and hits[0].score >= THRESHOLD and not is_ambiguous(ranked)
        best = ranked[0] if ranked else None
        return FaqMatch(
            query=query,
            hits=hits,
            confident=confident,
            ambiguous=bool(hits) and not confident,
            best_id=best.id if best else None,
            best_unit=best.entry.unit if best else None,
            best_score=best.score if best else 0.0,
        )


def _idf(total: int, df: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def is_ambiguous(hits: Sequence[SearchHit], margin: float = AMBIGUITY_MARGIN) -> bool:
    """True when the two best hits are too close to pick one without asking."""
    return len(hits) >= 2 and hits[0].score - hits[1].score < margin
