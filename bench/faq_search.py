"""FAQ search benchmark: hybrid search vs a rapidfuzz baseline, and latency at 1,000 entries."""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.kb.loader import load_dir  # noqa: E402
from bot.kb.models import FaqEntry  # noqa: E402
from bot.kb.search import THRESHOLD, FaqIndex  # noqa: E402

BENCH = ROOT / "tests" / "benchmark" / "faq_paraphrases.yml"
PADDED_SIZE = 1000
Ranker = Callable[[str], list[str]]


def baseline(entries: tuple[FaqEntry, ...]) -> Ranker:
    """rapidfuzz WRatio against every stored question; best question per entry."""
    choices = [(q, e.id) for e in entries for q in e.questions]
    texts = [q for q, _ in choices]

    def rank(query: str) -> list[str]:
        found = process.extract(
            query, texts, scorer=fuzz.WRatio, processor=utils.default_process, limit=30
        )
        return list(dict.fromkeys(choices[index][1] for _, _, index in found))

    return rank


def hybrid(index: FaqIndex) -> Ranker:
    """The production search, without a threshold (accuracy is measured on the ranking)."""
    return lambda query: [hit.id for hit in index.search(query, k=3, threshold=0.0)]


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


def accuracy(rank: Ranker, items: list[dict]) -> tuple[float, float, list[str]]:
    """Top-1 and top-3 accuracy, and the misses at top-1."""
    top1 = top3 = 0
    misses = []
    for item in items:
        ranked = rank(item["text"])
        top1 += bool(ranked[:1] == [item["id"]])
        top3 += item["id"] in ranked[:3]
        if ranked[:1] != [item["id"]]:
            misses.append(f"  {item['text']!r}: want {item['id']}, got {ranked[:3]}")
    return top1 / len(items), top3 / len(items), misses


def latency(rank: Ranker, queries: list[str], rounds: int = 3) -> tuple[float, float]:
    """p50 and p95 of one query, in milliseconds (after one warm-up round)."""
    for query in queries:
        rank(query)
    times = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            rank(query)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    """Print the comparison table."""
    data = yaml.safe_load(BENCH.read_text(encoding="utf-8"))
    items, outside = data["items"], data["out_of_domain"]
    queries = [i["text"] for i in items] + outside
    entries = load_dir(ROOT / "knowledge_base")
    index = FaqIndex(entries)
    start = time.perf_counter()
    big = FaqIndex(padded(entries, PADDED_SIZE))
    build_ms = (time.perf_counter() - start) * 1000
    bare = tuple(replace(e, keywords=()) for e in entries)
    rows = [
        ("hybrid", hybrid(index), hybrid(big)),
        ("hybrid, no kw", hybrid(FaqIndex(bare)), hybrid(FaqIndex(padded(bare, PADDED_SIZE)))),
        ("baseline WRatio", baseline(entries), baseline(padded(entries, PADDED_SIZE))),
    ]
    print(f"{len(items)} phrasings, {len(entries)} entries, {len(outside)} out-of-domain")
    print(
        f"{'method':<16} {'top-1':>6} {'top-3':>6} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'p50@1000':>9} {'p95@1000':>9} {'top-1@1000':>10}"
    )
    misses: list[str] = []
    for name, rank, rank_big in rows:
        top1, top3, missed = accuracy(rank, items)
        big1, _, _ = accuracy(rank_big, items)
        p50, p95 = latency(rank, queries)
        b50, b95 = latency(rank_big, queries)
        print(
            f"{name:<16} {top1:6.3f} {top3:6.3f} {p50:7.3f} {p95:7.3f} {b50:9.3f} {b95:9.3f}"
            f" {big1:10.3f}"
        )
        misses = misses or missed
    answered = [index.search(i["text"], k=1) for i in items]
    right = sum(bool(h) and h[0].id == i["id"] for h, i in zip(answered, items, strict=True))
    rejected = sum(not index.search(q, k=1) for q in outside)
    print(
        f"threshold {THRESHOLD}: answered {sum(map(bool, answered))}/{len(items)}"
        f" (correct {right}), out-of-domain rejected {rejected}/{len(outside)};"
        f" index of {PADDED_SIZE} built in {build_ms:.0f} ms"
    )
    if "-v" in sys.argv:
        print("hybrid top-1 misses:", *misses, sep="\n")


if __name__ == "__main__":
    main()
