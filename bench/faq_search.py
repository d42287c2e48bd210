"""FAQ search benchmark: the served retriever (lexical + e5) vs lexical alone, on sets it was not
tuned on, the answer/offer decision table, and latency at 1,000 entries.

Sets: tests/benchmark/faq_unseen.tsv and faq_refuse.tsv (frozen before the retriever was written,
never tuned on); faq_paraphrases.yml (frozen before the lexical search, written next to its
keywords: it measures memory more than understanding); ../shared/eval (development sets the
calibration was fitted on: reported for reference only). `-v` lists the misses.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faq_sets import BENCHMARK, REFUSE, UNSEEN, read_tsv  # noqa: E402
from bot.kb.live import KnowledgeBase  # noqa: E402
from bot.kb.records import FaqEntry  # noqa: E402
from bot.kb.retriever import FaqRetriever  # noqa: E402
from bot.kb.semantic import E5Encoder, EmbeddingCache, SemanticIndex  # noqa: E402
from bot.settings import Settings  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
PADDED_SIZE = 1000
BIG_CACHE = ROOT / "var" / "bench" / "faq-1000-vectors.sqlite"  # the synthetic entries' vectors
TODAY = date(2026, 12, 1)


def ranked(retriever: FaqRetriever, query: str) -> list[str]:
    """Ids as the CLI prints them (`bot.kb search -k 3`): [] when nothing is offered."""
    return [hit.id for hit in retriever.search(query, k=3, today=TODAY)]


def accuracy(
    retriever: FaqRetriever, rows: list[tuple[str, str]]
) -> tuple[float, float, int, list]:
    """Top-1, top-3, empty answers and the top-1 misses."""
    top1 = top3 = empty = 0
    misses = []
    for query, want in rows:
        ids = ranked(retriever, query)
        top1 += ids[:1] == [want]
        top3 += want in ids[:3]
        empty += not ids
        if ids[:1] != [want]:
            misses.append(f"  {query!r}: want {want}, got {ids}")
    return top1 / len(rows), top3 / len(rows), empty, misses


def refusals(retriever: FaqRetriever, rows: list[tuple[str, str]]) -> tuple[int, list[str]]:
    """Lines refused, or answered by an entry of the program they name (prefix); the others."""
    good, wrong = 0, []
    for query, allowed in rows:
        ids = ranked(retriever, query)
        ok = not ids or (allowed != "-" and ids[0].startswith(allowed))
        good += ok
        if not ok:
            wrong.append(f"  {query!r}: answered {ids[:1]}, allowed {allowed}")
    return good, wrong


def decisions(retriever: FaqRetriever, inside: list[tuple[str, str]], outside: list[str]) -> None:
    """What the assistant does: answer (right/wrong), offer choices, or say it has no answer."""
    counts = {
        "answered right": 0,
        "answered wrong": 0,
        "offered (right in choices)": 0,
        "offered (right not in choices)": 0,
        "no answer": 0,
    }
    for query, want in inside:
        match = retriever.match(query, today=TODAY)
        ids = [h.id for h in match.hits]
        if match.confident:
            counts["answered right" if ids[0] == want else "answered wrong"] += 1
        elif match.ambiguous:
            counts[
                "offered (right in choices)" if want in ids else "offered (right not in choices)"
            ] += 1
        else:
            counts["no answer"] += 1
    away = [retriever.match(q, today=TODAY) for q in outside]
    precision = counts["answered right"] / max(
        1, counts["answered right"] + counts["answered wrong"] + sum(m.confident for m in away)
    )
    print(f"  in-domain ({len(inside)}): " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(
        f"  out-of-domain ({len(outside)}): answered {sum(m.confident for m in away)}, offered "
        f"{sum(m.ambiguous for m in away)}; precision of direct answers {precision:.3f}"
    )


def padded(entries: tuple[FaqEntry, ...], size: int) -> tuple[FaqEntry, ...]:
    """The real entries plus synthetic ones built from real and made-up words."""
    rng = random.Random(7)
    real = sorted({w for e in entries for q in e.questions for w in q.lower().split()})
    syllables = ["ka", "ri", "mu", "to", "sa", "pe", "la", "ng", "an", "bu", "di", "ro", "te"]
    fake = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)]

    def sentence() -> str:
        return " ".join(rng.choice(real if rng.random() < 0.3 else fake) for _ in range(8))

    extra = [
        replace(
            entries[0],
            id=f"sintetis-{n}",
            topic=sentence(),
            questions=tuple(sentence() for _ in range(4)),
            keywords=tuple(rng.choice(fake) for _ in range(6)),
            answer=" ".join(sentence() for _ in range(6)),
        )
        for n in range(size - len(entries))
    ]
    return entries + tuple(extra)


def latency(retriever: FaqRetriever, queries: list[str], rounds: int = 3) -> tuple[float, float]:
    """p50 and p95 of one `match`, in milliseconds (after one warm-up round)."""
    for query in queries:
        retriever.match(query, today=TODAY)
    times = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            retriever.match(query, today=TODAY)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    """Print the tables."""
    settings = Settings.from_env()
    encoder = E5Encoder()
    cache_path = settings.vector_cache
    served = KnowledgeBase(settings.kb_dir, encoder, cache_path).retriever
    lexical = KnowledgeBase(settings.kb_dir).retriever
    paraphrases = yaml.safe_load((BENCHMARK / "faq_paraphrases.yml").read_text(encoding="utf-8"))
    sets = [("faq_unseen.tsv (frozen, unseen wording)", [(r[0], r[1]) for r in read_tsv(UNSEEN)])]
    sets.append(
        (
            "faq_paraphrases.yml (frozen, near KB words)",
            [(i["text"], i["id"]) for i in paraphrases["items"]],
        )
    )
    if (EVAL / "faq-dev.tsv").exists():
        sets.append(
            (
                "eval/faq-dev.tsv (development, tuned on)",
                [(r[0], r[1]) for r in read_tsv(EVAL / "faq-dev.tsv")],
            )
        )
    print(f"== FAQ search: {len(served.entries)} entries ==")
    print(f"{'set':<46}{'method':<10}{'top-1':>7}{'top-3':>7}{'empty':>7}   target")
    misses = []
    for name, rows in sets:
        for method, retriever in (("served", served), ("lexical", lexical)):
            top1, top3, empty, missed = accuracy(retriever, rows)
            target = "top-1 >= 0.92, top-3 >= 0.98" if method == "served" else ""
            print(f"{name:<46}{method:<10}{top1:7.3f}{top3:7.3f}{empty:7d}   {target}")
            misses += [f"{name} {method}:", *missed] if method == "served" else []
    refuse_sets = [("faq_refuse.tsv (frozen)", REFUSE)]
    if (EVAL / "faq-refuse-dev.tsv").exists():
        refuse_sets.append(("eval/faq-refuse-dev.tsv (development)", EVAL / "faq-refuse-dev.tsv"))
    for name, path in refuse_sets:
        rows = [(r[0], r[1]) for r in read_tsv(path)]
        for method, retriever in (("served", served), ("lexical", lexical)):
            good, wrong = refusals(retriever, rows)
            print(
                f"{name:<46}{method:<10} refused or rightly answered {good}/{len(rows)}"
                f"{'   target: all' if method == 'served' else ''}"
            )
            misses += [f"{name} {method}:", *wrong] if method == "served" else []
    print("decisions of the served search on the frozen sets (answer / offer / no answer):")
    outside = [r[0] for r in read_tsv(REFUSE) if r[1] == "-"]
    decisions(served, [(r[0], r[1]) for r in read_tsv(UNSEEN)], outside)
    queries = [q for _, rows in sets[:1] for q, _ in rows] + outside
    p50, p95 = latency(served, queries)
    print(f"served search, {len(served.entries)} entries: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    big_entries = padded(served.entries, PADDED_SIZE)
    start = time.perf_counter()
    semantic = SemanticIndex(big_entries, encoder, EmbeddingCache(BIG_CACHE))
    embed_s = time.perf_counter() - start
    big = FaqRetriever(big_entries, served.programs, served.refusals, semantic)
    b50, b95 = latency(big, queries)
    print(
        f"served search, {PADDED_SIZE} entries: p50 {b50:.1f} ms, p95 {b95:.1f} ms "
        f"(target p95 < 40 ms); index built in {embed_s:.1f} s, {semantic.embedded} passages "
        f"embedded (0 when {BIG_CACHE.relative_to(ROOT)} already held them)"
    )
    if "-v" in sys.argv:
        print(*misses, sep="\n")


if __name__ == "__main__":
    main()
