"""Helpers for the FAQ tests: small valid entries and throwaway knowledge-base folders."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
REAL_KB = ROOT / "knowledge_base"


def entry_yaml(
    entry_id: str,
    unit: str,
    answer: str = "Jawaban singkat.",
    questions: tuple[str, ...] = ("Pertanyaan satu?", "Pertanyaan dua?", "Pertanyaan tiga?"),
    extra: str = "",
) -> str:
    """One entry as YAML text, indented for the `entries:` list."""
    lines = [
        f"  - id: {entry_id}",
        f"    topic: Topik {entry_id}",
        f"    unit: {unit}",
        "    questions:",
        *(f"      - {q}" for q in questions),
        f"    answer: {answer}",
        "    references: []",
        "    reviewed_on: 2026-11-28",
        "    review_every_days: 30",
    ]
    return "\n".join(lines) + ("\n" + extra if extra else "") + "\n"


def write_faq(kb_dir: Path, unit: str, *entries: str) -> Path:
    """Write knowledge_base/faq/<unit>.yml with the given entries; return its path."""
    path = kb_dir / "faq" / f"{unit}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("entries:\n" + "".join(entries), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """The 1-based line number of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")
