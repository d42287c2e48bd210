"""Fit the FAQ confidence (bot/kb/calibration.py) on development sets and print the threshold table.

Usage: .venv/bin/python bench/calibrate.py [--eval DIR]
In-domain: tests/benchmark/faq_paraphrases.yml items and DIR/faq-dev.tsv; out-of-domain: the
paraphrases' out_of_domain list, tests/benchmark/faq_ood_dev.tsv and the `-` lines of
DIR/faq-refuse-dev.tsv (DIR defaults to ../shared/eval when it exists). The frozen sets
faq_unseen.tsv and faq_refuse.tsv are never used here.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.faq_sets import read_tsv  # noqa: E402
from bot.kb.calibration import FITTED  # noqa: E402
from bot.kb.live import KnowledgeBase  # noqa: E402
from bot.kb.retriever import FaqRetriever  # noqa: E402
from bot.kb.semantic import E5Encoder  # noqa: E402
from bot.settings import Settings  # noqa: E402

TODAY = date(2026, 12, 1)


def development(eval_dir: Path | None) -> tuple[list[tuple[str, str]], list[str]]:
    """(question, entry id) in-domain pairs and out-of-domain questions."""
    data = yaml.safe_load((ROOT / "tests" / "benchmark" / "faq_paraphrases.yml").read_text())
    inside = [(item["text"], item["id"]) for item in data["items"]]
    outside = list(data.get("out_of_domain", []))
    outside += [row[0] for row in read_tsv(ROOT / "tests" / "benchmark" / "faq_ood_dev.tsv")]
    if eval_dir and (eval_dir / "faq-dev.tsv").exists():
        inside += [(row[0], row[1]) for row in read_tsv(eval_dir / "faq-dev.tsv")]
        outside += [row[0] for row in read_tsv(eval_dir / "faq-refuse-dev.tsv") if row[1] == "-"]
    return inside, outside


def features(retriever: FaqRetriever, query: str) -> list[tuple[str, float, float, float]]:
    """(entry id, lexical, cosine, margin) of the two best candidates, or [] when refused."""
    if retriever.refused_kind(query):
        return []
    found = retriever._candidates(query, TODAY)[:3]
    rows = []
    for candidate in found[:2]:
        rival = max((c.fused for c in found if c is not candidate), default=0.0)
        entry = retriever.entries[candidate.number]
        rows.append((entry.id, candidate.lexical, candidate.cosine, candidate.fused - rival))
    return rows


def fit(x: np.ndarray, y: np.ndarray) -> list[float]:
    """Logistic regression weights, one per column, then the bias."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=10.0, max_iter=1000).fit(x, y)
    return [round(float(w), 2) for w in model.coef_[0]] + [round(float(model.intercept_[0]), 2)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    args = parser.parse_args()
    settings = Settings.from_env()
    kb = KnowledgeBase(settings.kb_dir, E5Encoder(), settings.vector_cache)
    retriever = kb.retriever
    inside, outside = development(args.eval if args.eval.exists() else None)
    samples, labels, tops, inside_top = [], [], [], []
    for query, want in inside:
        rows = features(retriever, query)
        for entry_id, lex, cos, margin in rows:
            samples.append((lex, FITTED.semantic(cos), margin))
            labels.append(int(entry_id == want))
        if rows:
            tops.append((rows[0][1], FITTED.semantic(rows[0][2])))
            inside_top.append(1)
    for query in outside:
        rows = features(retriever, query)
        for _, lex, cos, margin in rows:
            samples.append((lex, FITTED.semantic(cos), margin))
            labels.append(0)
        if rows:
            tops.append((rows[0][1], FITTED.semantic(rows[0][2])))
            inside_top.append(0)
    wl, ws, wm, bias = fit(np.array(samples), np.array(labels))
    rl, rs, rb = fit(np.array(tops), np.array(inside_top))
    print(f"fitted on {len(inside)} in-domain and {len(outside)} out-of-domain questions:")
    print(f"  w_lexical={wl}, w_semantic={ws}, w_margin={wm}, bias={bias},")
    print(f"  r_lexical={rl}, r_semantic={rs}, r_bias={rb},")
    fitted = replace(
        FITTED,
        w_lexical=wl,
        w_semantic=ws,
        w_margin=wm,
        bias=bias,
        r_lexical=rl,
        r_semantic=rs,
        r_bias=rb,
    )
    report(
        FaqRetriever(
            retriever.entries, retriever.programs, retriever.refusals, retriever.semantic, fitted
        ),
        inside,
        outside,
    )
    return 0


def report(retriever: FaqRetriever, inside: list[tuple[str, str]], outside: list[str]) -> None:
    """Per threshold: right, wrong and out-of-domain answers (confidence) and offers (relevance)."""
    matches = [(retriever.match(q, today=TODAY), want) for q, want in inside]
    away = [retriever.match(q, today=TODAY) for q in outside]
    print("answer at  right  wrong  out-of-domain  precision   |  offer at  in-domain  outside")
    for threshold in np.arange(0.2, 0.95, 0.05):
        answered = [(m, w) for m, w in matches if m.hits and m.hits[0].score >= threshold]
        right = sum(m.hits[0].id == w for m, w in answered)
        wrong = len(answered) - right
        ood = sum(bool(m.hits) and m.hits[0].score >= threshold for m in away)
        precision = right / (right + wrong + ood) if right + wrong + ood else 1.0
        rel = replace(retriever.calibration, relevant=threshold)
        probe = FaqRetriever(
            retriever.entries, retriever.programs, retriever.refusals, retriever.semantic, rel
        )
        offered_in = sum(bool(probe.search(q, today=TODAY)) for q, _ in inside)
        offered_out = sum(bool(probe.search(q, today=TODAY)) for q in outside)
        print(
            f"  {threshold:.2f}     {right:4d}  {wrong:4d}   {ood:4d}/{len(outside)}"
            f"        {precision:.3f}     |  {threshold:.2f}      {offered_in:4d}/{len(inside)}"
            f"     {offered_out:4d}/{len(outside)}"
        )


if __name__ == "__main__":
    sys.exit(main())
