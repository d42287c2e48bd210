"""The FAQ search the assistant serves: lexical and semantic scores fused, the program guard, one
calibrated confidence, and the decision to answer, offer choices or admit there is no answer."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.kb.calibration import FITTED, LEXICAL_ONLY_ANSWER, LEXICAL_ONLY_RELEVANT, Calibration
from bot.kb.programs import Programs
from bot.kb.records import FaqEntry, FaqMatch, SearchHit
from bot.kb.refusals import Refusals
from bot.kb.search import FaqIndex
from bot.kb.semantic import SemanticIndex

log = logging.getLogger(__name__)
# Cascade: a lexical result this strong and this far ahead is answered without the encoder.
# On the development sets (bench/calibrate.py's) it decided 117 of 211 questions, every one as
# the full search did, and none of 51 out-of-domain ones; it saves the ~15 ms of an encoder call.
CASCADE_LEXICAL = 0.8
CASCADE_MARGIN = 0.15


@dataclass(frozen=True)
class Candidate:
    """One entry's signals for one query."""

    number: int
    lexical: float
    cosine: float
    fused: float


class FaqRetriever:
    """Ranks the entries of one knowledge-base load; `search` and `match` are pure."""

    def __init__(
        self,
        entries: Sequence[FaqEntry],
        programs: Programs | None = None,
        refusals: Refusals | None = None,
        semantic: SemanticIndex | None = None,
        calibration: Calibration = FITTED,
    ) -> None:
        self.entries = tuple(entries)
        self.programs = programs or Programs()
        self.refusals = refusals or Refusals()
        self.semantic = semantic
        self.calibration = calibration
        self.lexical = FaqIndex(self.entries)
        self.about = tuple(self.entry_programs(e) for e in self.entries)

    @property
    def answer_threshold(self) -> float:
        """The confidence at which the best entry is answered."""
        return self.calibration.answer if self.semantic else LEXICAL_ONLY_ANSWER

    @property
    def relevant_threshold(self) -> float:
        """The relevance at which the best entries are offered (below it: no answer at all)."""
        return self.calibration.relevant if self.semantic else LEXICAL_ONLY_RELEVANT

    def entry_programs(self, entry: FaqEntry) -> tuple[str, ...]:
        """The programs an entry is about: named in its id or topic, or listed in `programs:`."""
        named = self.programs.named_in(f"{entry.id.replace('-', ' ')} {entry.topic}")
        return tuple(dict.fromkeys((*named, *entry.programs)))

    def refused_kind(self, query: str) -> str | None:
        """The refusal kind of a question naming a program ("berapa alokasi DAK kami"), or None."""
        if not self.programs.named_in(query):
            return None
        kind = self.refusals.kind_of(self.programs.without_names(query))
        return kind.id if kind else None

    def _candidates(self, query: str, today: date) -> list[Candidate]:
        asked = self.programs.named_in(query)
        lexical = {
            hit.id: hit.score
            for hit in self.lexical.search(query, k=len(self.entries), threshold=0.0, today=today)
        }
        cosines = self.semantic.scores(query) if self.semantic else None
        out = []
        for number, entry in enumerate(self.entries):
            if entry.is_expired(today) or not self.programs.fits(asked, self.about[number]):
                continue
            lex = lexical.get(entry.id, 0.0)
            cosine = float(cosines[number]) if cosines is not None else -1.0
            fused = self.calibration.fused(lex, cosine) if cosines is not None else lex
            if fused > 0:
                out.append(Candidate(number, lex, cosine, fused))
        out.sort(key=lambda c: (-c.fused, c.number))
        return out

    def _confidence(self, candidate: Candidate, others: list[Candidate]) -> float:
        if self.semantic is None:
            return candidate.lexical
        rival = max((c.fused for c in others if c is not candidate), default=0.0)
        margin = candidate.fused - rival
        return self.calibration.confidence(candidate.lexical, candidate.cosine, margin)

    def relevance(self, candidate: Candidate) -> float:
        """How likely the knowledge base answers the question this candidate leads for."""
        if self.semantic is None:
            return candidate.lexical
        return self.calibration.relevance(candidate.lexical, candidate.cosine)

    def _hit(self, candidate: Candidate, top: list[Candidate]) -> SearchHit:
        entry = self.entries[candidate.number]
        return SearchHit(entry.id, round(self._confidence(candidate, top), 4), entry)

    def _lexically_sure(self, query: str, k: int, today: date) -> list[SearchHit]:
        """The lexical hits when the best one is strong and clearly ahead, else []."""
        if self.semantic is None:
            return []
        asked = self.programs.named_in(query)
        hits = [
            hit
            for hit in self.lexical.search(query, k=k + 3, threshold=0.0, today=today)
            if self.programs.fits(asked, self.entry_programs(hit.entry))
        ]
        rival = hits[1].score if len(hits) > 1 else 0.0
        sure = (
            bool(hits)
            and hits[0].score >= CASCADE_LEXICAL
            and hits[0].score - rival >= CASCADE_MARGIN
        )
        return hits[:k] if sure else []

    def _ranked(
        self, query: str, k: int, today: date | None
    ) -> tuple[list[SearchHit], float, bool]:
        """The best k hits, the relevance of the best, and whether the lexical search alone
        already decided (the cascade); ([], 0, False) when refused or nothing matches."""
        query = query.strip()
        if not query or self.refused_kind(query):
            return [], 0.0, False
        today = today or date.today()
        sure = self._lexically_sure(query, k, today)
        if sure:
            return sure, 1.0, True
        candidates = self._candidates(query, today)
        if not candidates:
            return [], 0.0, False
        top = candidates[: k + 1]
        return [self._hit(c, top) for c in top[:k]], self.relevance(candidates[0]), False

    def search(
        self, query: str, k: int = 3, threshold: float | None = None, today: date | None = None
    ) -> list[SearchHit]:
        """The best k entries, best first, scored by confidence; [] when the best one's relevance
        is below `threshold` (default: the offering threshold) or the FAQ must not answer."""
        hits, relevance, _sure = self._ranked(query, k, today)
        threshold = self.relevant_threshold if threshold is None else threshold
        return hits if hits and relevance >= threshold else []

    def match(self, query: str, k: int = 3, today: date | None = None) -> FaqMatch:
        """Search and decide: a confident answer, a choice among close entries, or no answer."""
        asked = self.programs.named_in(query)
        ranked, relevance, sure = self._ranked(query, k, today)
        best = ranked[0] if ranked else None
        offered = best is not None and relevance >= self.relevant_threshold
        rival = ranked[1].score if len(ranked) > 1 else 0.0
        # two entries that both look right: ask which one rather than pick
        confident = sure or (
            offered and best is not None and best.score >= self.answer_threshold > rival
        )
        owner = self.programs.get(asked[0]) if asked else None
        return FaqMatch(
            query=query,
            hits=tuple(ranked) if offered else (),
            confident=confident,
            ambiguous=offered and not confident,
            best_id=best.id if best else None,
            best_unit=owner.unit if owner else (best.entry.unit if best else None),
            best_score=best.score if best else 0.0,
            programs=asked,
        )
