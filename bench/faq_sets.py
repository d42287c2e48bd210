"""The FAQ benchmark sets: TSV files of `question <TAB> expected id [<TAB> why]`, # comments."""

from __future__ import annotations

from pathlib import Path

BENCHMARK = Path(__file__).resolve().parent.parent / "tests" / "benchmark"
UNSEEN = BENCHMARK / "faq_unseen.tsv"  # frozen: in-domain questions in words the KB avoids
REFUSE = BENCHMARK / "faq_refuse.tsv"  # frozen: no entry, or only the named program's


def read_tsv(path: Path) -> list[list[str]]:
    """The rows of one set, comments and blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
