"""Intent benchmark: the served model vs the same pipeline without the normaliser, on two sets."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from bot.text import normalise  # noqa: E402

BENCH = ROOT / "tests" / "benchmark" / "intents.yml"
# Written before issue 12's tuning and frozen: the figure to trust (BENCH is partly copied from
# training data, so it measures memory as much as understanding).
FRESH = ROOT / "tests" / "benchmark" / "intents-fresh.yml"
SETS = (FRESH, BENCH)
MODEL = ROOT / "models" / "djpk.tar.gz"
WORK = ROOT / "var" / "bench"
SNAPSHOT = WORK / "djpk-snapshot.tar.gz"
BASELINE_DIR = WORK / "baseline"
BASELINE_CONFIG = BASELINE_DIR / "config.yml"
BASELINE_MODEL = BASELINE_DIR / "baseline.tar.gz"
BASELINE_STAMP = BASELINE_DIR / "baseline.fingerprint"
BASELINE_INPUTS = ["data/nlu", "domain.yml", "requirements.lock"]
NORMALISING = "components.normalising_tokenizer.NormalisingTokenizer"
FALLBACK = "nlu_fallback"
TARGET = 0.92
TOP_CONFUSIONS = 12
BIN = Path(sys.executable).parent


@dataclass
class Run:
    """Predictions and per-message parse latency of one model over the benchmark."""

    name: str
    predicted: list[str]
    latencies_ms: list[float]


def load_items(path: Path = BENCH) -> list[dict[str, str]]:
    """The messages of one benchmark set, each {text, intent}."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]


def baseline_config_text() -> str:
    """config.yml with the normalising tokenizer swapped for WhitespaceTokenizer, nothing else."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    swapped = 0
    for component in config["pipeline"]:
        if component["name"] == NORMALISING:
            component["name"] = "WhitespaceTokenizer"
            swapped += 1
    if swapped != 1:
        raise SystemExit(f"expected one {NORMALISING} in config.yml, found {swapped}")
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def fingerprint(config_text: str) -> str:
    """SHA-256 over the baseline config and every NLU training input."""
    digest = hashlib.sha256(config_text.encode())
    for name in BASELINE_INPUTS:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def ensure_baseline() -> Path:
    """Train the baseline NLU model once; reuse it while its inputs are unchanged."""
    config_text = baseline_config_text()
    current = fingerprint(config_text)
    stamp = BASELINE_STAMP.read_text().strip() if BASELINE_STAMP.exists() else ""
    if BASELINE_MODEL.exists() and stamp == current:
        print(f"baseline up to date ({BASELINE_MODEL.relative_to(ROOT)}, {current[:12]})")
        return BASELINE_MODEL
    BASELINE_DIR.mkdir(parents=True, exist_ok=True)
    BASELINE_CONFIG.write_text(config_text, encoding="utf-8")
    command = [
        str(BIN / "rasa"),
        "train",
        "nlu",
        "--config",
        str(BASELINE_CONFIG),
        "--nlu",
        "data/nlu",
        "--domain",
        "domain.yml",
        "--out",
        str(BASELINE_DIR),
        "--fixed-model-name",
        "baseline",
    ]
    print("training baseline:", " ".join(command), flush=True)
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(BASELINE_DIR / "cache")}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode or not BASELINE_MODEL.exists():
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
        raise SystemExit("baseline training failed")
    BASELINE_STAMP.write_text(current + "\n")
    return BASELINE_MODEL


def stable_copy(source: Path, target: Path, settle_s: float = 5.0, tries: int = 60) -> Path:
    """Copy a model file once its size and mtime stop changing (another process may write it)."""
    for _ in range(tries):
        before = source.stat()
        time.sleep(settle_s)
        after = source.stat()
        if (before.st_size, before.st_mtime) == (after.st_size, after.st_mtime):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            if source.stat().st_mtime == after.st_mtime:
                return target
        print(f"{source.relative_to(ROOT)} is being written, waiting", flush=True)
    raise SystemExit(f"{source} kept changing")


def ensure_model() -> Path:
    """The production model, trained only if missing, snapshotted when not mid-write."""
    if not MODEL.exists():
        subprocess.run([sys.executable, "scripts/train_if_changed.py"], cwd=ROOT, check=True)
    return stable_copy(MODEL, SNAPSHOT)


def load_agent(path: Path, tries: int = 5) -> Any:
    """Agent.load with retries (a truncated archive raises; it is re-copied next time)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa.core.agent import Agent
        from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    for attempt in range(1, tries + 1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return Agent.load(str(path))
        except Exception as error:  # noqa: BLE001 - any load failure is retried
            print(f"loading {path.name} failed ({error!r}), retry {attempt}/{tries}", flush=True)
            time.sleep(20)
            if path == SNAPSHOT:
                stable_copy(MODEL, SNAPSHOT)
    raise SystemExit(f"could not load {path}")


async def parse_all(name: str, agent: Any, texts: list[str]) -> Run:
    """Top intent (nlu_fallback included) and parse latency for every message."""
    await agent.parse_message("halo")  # warm-up, not timed
    predicted, latencies = [], []
    for text in texts:
        start = time.perf_counter()
        parsed = await agent.parse_message(text)
        latencies.append((time.perf_counter() - start) * 1000)
        predicted.append((parsed.get("intent") or {}).get("name") or FALLBACK)
    return Run(name, predicted, latencies)


def per_intent(truth: list[str], run: Run, labels: list[str]) -> dict[str, tuple[float, ...]]:
    """Precision, recall, F1 and support per intent of the benchmark."""
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(
        truth, run.predicted, labels=labels, zero_division=0
    )
    return {label: (p[i], r[i], f[i], s[i]) for i, label in enumerate(labels)}


def summary(truth: list[str], run: Run, labels: list[str]) -> tuple[float, float, float]:
    """Macro F1 over the benchmark's intents, accuracy, and p50 latency in ms."""
    from sklearn.metrics import accuracy_score, f1_score

    macro = f1_score(truth, run.predicted, labels=labels, average="macro", zero_division=0)
    return macro, accuracy_score(truth, run.predicted), statistics.median(run.latencies_ms)


def print_table(truth: list[str], runs: list[Run], labels: list[str]) -> None:
    """Per-intent P/R/F1 of every model side by side, worst F1 (first model) first."""
    scores = [per_intent(truth, run, labels) for run in runs]
    head = "".join(f" | {run.name:^20}" for run in runs)
    print(f"\n{'intent':<22}{'n':>4}{head}")
    print(f"{'':<22}{'':>4}" + " | {:>6}{:>7}{:>7}".format("P", "R", "F1") * len(runs))
    for label in sorted(labels, key=lambda name: (scores[0][name][2], name)):
        cells = "".join(" | {:>6.2f}{:>7.2f}{:>7.2f}".format(*s[label][:3]) for s in scores)
        print(f"{label:<22}{int(scores[0][label][3]):>4}{cells}")


def print_summary(truth: list[str], runs: list[Run], labels: list[str], set_name: str) -> float:
    """Macro F1, accuracy, fallback count, p50 latency and the target line; the served F1."""
    print()
    for run in runs:
        macro, accuracy, p50 = summary(truth, run, labels)
        fallbacks = run.predicted.count(FALLBACK)
        print(
            f"{run.name:<20} macro F1 {macro:.3f}  accuracy {accuracy:.3f} "
            f"({sum(map(str.__eq__, truth, run.predicted))}/{len(truth)})  "
            f"nlu_fallback {fallbacks}  p50 parse {p50:.1f} ms"
        )
    macro = summary(truth, runs[0], labels)[0]
    verdict = "met" if macro >= TARGET else "NOT met"
    print(f"\nmacro F1 {macro:.3f} on {set_name} (target >= {TARGET}): {verdict}")
    return macro


def print_confusions(truth: list[str], texts: list[str], run: Run) -> None:
    """The most frequent true -> predicted pairs, with one example message each."""
    pairs = Counter((t, p) for t, p in zip(truth, run.predicted, strict=True) if t != p)
    examples: dict[tuple[str, str], str] = {}
    for t, p, text in zip(truth, run.predicted, texts, strict=True):
        examples.setdefault((t, p), text)
    print(f"\ntop confusions, {run.name} ({sum(pairs.values())} misses):")
    for (t, p), count in pairs.most_common(TOP_CONFUSIONS):
        print(f"  {count:>2}  {t} -> {p}   e.g. {examples[(t, p)]!r}")


def print_misses(truth: list[str], texts: list[str], run: Run) -> None:
    """Every miss of one model (with --misses), grouped by true intent."""
    print(f"\nall misses, {run.name}:")
    rows = sorted(zip(truth, run.predicted, texts, strict=True))
    for t, p, text in (row for row in rows if row[0] != row[1]):
        print(f"  {t} -> {p}: {text!r}")


def training_overlap(texts: list[str]) -> int:
    """How many messages normalise to exactly a training example (informal spellings only)."""
    examples = set()
    for file in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(file.read_text(encoding="utf-8")).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip().removeprefix("- "))
                examples.add(normalise(plain))
    return sum(normalise(text) in examples for text in texts)


def score_set(path: Path, agents: list[tuple[str, Any]]) -> float:
    """Print the comparison on one set; the served model's macro F1 on it."""
    items = load_items(path)
    texts, truth = [i["text"] for i in items], [i["intent"] for i in items]
    labels = sorted(set(truth))
    runs = [asyncio.run(parse_all(name, agent, texts)) for name, agent in agents]
    name = str(path.relative_to(ROOT))
    print(f"\n=== {name}: {len(items)} messages, {len(labels)} intents; ", end="")
    print(f"{training_overlap(texts)} normalise to a training example verbatim")
    print_table(truth, runs, labels)
    macro = print_summary(truth, runs, labels, name)
    for run in runs:
        print_confusions(truth, texts, run)
    for run in runs if "--misses" in sys.argv else []:
        print_misses(truth, texts, run)
    return macro


def main() -> int:
    """Score both models on both sets and print the comparison, then one line per set."""
    logging.disable(logging.WARNING)
    baseline_path = ensure_baseline()
    model_path = ensure_model()
    agents = [
        ("ours (normaliser)", load_agent(model_path)),
        ("baseline (whitespace)", load_agent(baseline_path)),
    ]
    figures = [(path, score_set(path, agents)) for path in SETS]
    print("\nserved model (models/djpk.tar.gz, full `rasa train`), intent macro F1:")
    for path, macro in figures:
        print(f"  {macro:.3f}  {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
