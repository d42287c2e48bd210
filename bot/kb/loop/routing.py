"""Which unit owns a question: the unit of the best candidate entry, else of the program the
question names (knowledge_base/programs.yml), else the Secretariat."""

from __future__ import annotations

from bot.kb.loop.records import SECRETARIAT
from bot.kb.retriever import FaqRetriever

# A miss's closest entry counts as a candidate from this calibrated confidence on. A miss is by
# definition below the offer threshold; on the out-of-domain development set
# (tests/benchmark/faq_ood_dev.tsv) all 27 misses score at most 0.16, and "harga emas antam
# sekarang berapa" scores 0.33 on insentif-fiskal (no rival: a high margin): below this, the
# closest entry is noise and the program named says more.
CANDIDATE_SCORE = 0.35


def owner_unit(
    retriever: FaqRetriever,
    text: str,
    best_id: str | None,
    best_unit: str | None,
    best_score: float,
) -> str:
    """The unit most likely to own `text`.

    The best candidate's unit when its score reaches CANDIDATE_SCORE and it is about the program
    the question names (if it names one); else the named program's unit; else the Secretariat.
    """
    asked = retriever.programs.named_in(text)
    entry = next((e for e in retriever.entries if e.id == best_id), None) if best_id else None
    unit = entry.unit if entry else best_unit
    if unit and best_score >= CANDIDATE_SCORE:
        about = retriever.entry_programs(entry) if entry else ()
        if not asked or not about or retriever.programs.fits(asked, about):
            return unit
    for program_id in asked:
        program = retriever.programs.get(program_id)
        if program is not None:
            return program.unit
    return SECRETARIAT


def named_program(retriever: FaqRetriever, text: str) -> str | None:
    """The first program a text names (programs.yml id), or None."""
    return next(iter(retriever.programs.named_in(text)), None)
