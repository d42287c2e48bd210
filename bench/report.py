"""Report benchmark: 12 months at 10x the seed's volume in SQLite, then one month's report.

Every month gets the seed month's volume times 10 (12 x 14.550 = 174.600 tickets); --history
uses the seed's own history instead (fewer tickets in earlier months).
Run: .venv/bin/python -m bench.report [--scale 10] [--months 12] [--history] [--keep DIR]
Target: the report for one month (queries, charts, HTML/Markdown/JSON/CSV) in under 10 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.db import engine_for  # noqa: E402
from bot.report.demo.loader import load  # noqa: E402
from bot.report.figures.summary import build  # noqa: E402
from bot.report.period import Month  # noqa: E402
from bot.report.writer import write  # noqa: E402

TARGET_SECONDS = 10.0
KB = ROOT / "knowledge_base"


def main(argv: list[str] | None = None) -> int:
    """Generate, report, print the figures and the timings."""
    parser = argparse.ArgumentParser(prog="python -m bench.report")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--month", default="2023-02")
    parser.add_argument("--history", action="store_true", help="earlier months as in the seed")
    parser.add_argument("--keep", help="write the database and the report into this folder")
    args = parser.parse_args(argv)
    month = Month.parse(args.month)
    with tempfile.TemporaryDirectory(prefix="djpk-report-bench-") as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{folder / 'bench.db'}"
        loaded = load(url, month, KB, scale=args.scale, months=args.months, flat=not args.history)
        print(loaded.describe())
        engine = engine_for(url)
        timings = []
        for run in (1, 2):
            started = time.perf_counter()
            summary = build(engine, month, KB)
            queried = time.perf_counter()
            written = write(summary, folder / f"report-{run}")
            done = time.perf_counter()
            timings.append((queried - started, done - queried, done - started))
            print(
                f"run {run}: queries {queried - started:.2f} s, charts and files "
                f"{done - queried:.2f} s, total {done - started:.2f} s ({len(written.files)} files)"
            )
        v, h = summary.volume, summary.hours
        print(f"{month.label}: {v.total:,} tickets".replace(",", "."))
        print("  " + ", ".join(f"{c.label} {c.count} ({c.share}%)" for c in v.channels))
        print(f"  previous month {v.previous_total} ({v.previous_change}%)")
        print(
            f"  identified {h.identified}, out of hours {h.out_of_hours} "
            f"({', '.join(f'{r.region} {r.out_of_hours}' for r in h.regions)}), "
            f"escalated out of hours {h.out_of_hours_escalated} ({h.out_of_hours_escalated_share}%)"
        )
        print("  top pemda: " + ", ".join(f"{p.pemda} {p.count}" for p in summary.top_pemda))
        print(
            f"  bot-only conversations {summary.assistant.bot_only_share}% of "
            f"{summary.assistant.conversations}, FAQ hit {summary.assistant.faq_hit_share}%"
        )
        worst = max(total for _, _, total in timings)
        verdict = "OK" if worst < TARGET_SECONDS else "SLOWER THAN TARGET"
        print(
            f"report time (worst of 2 runs): {worst:.2f} s, "
            f"target < {TARGET_SECONDS:.0f} s: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
