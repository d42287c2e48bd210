"""`python -m bot.report`: write the monthly report, load demo data, import CSV tickets."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from bot.clock import utcnow
from bot.report.period import Month
from bot.settings import Settings

COMMANDS = ("demo-data", "import-csv")


def _previous_month() -> str:
    return Month.containing(utcnow()).shift(-1).key


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db-url", help="SQLAlchemy URL (default DJPK_DB_URL)")
    parser.add_argument("--kb-dir", help="knowledge-base folder (default DJPK_KB_DIR)")


def report(args: argparse.Namespace, settings: Settings) -> int:
    """Write the report for one month into a folder."""
    from bot.db import engine_for
    from bot.report.figures.summary import build
    from bot.report.writer import write

    month = Month.parse(args.month)
    started = time.perf_counter()
    summary = build(engine_for(args.db_url or settings.db_url), month, _kb(args, settings))
    written = write(summary, Path(args.out))
    seconds = time.perf_counter() - started
    print(
        f"{month.label}: {summary.volume.total} tiket; {len(written.files)} berkas di "
        f"{written.folder} ({seconds:.1f} s)"
    )
    return 0


def demo_data(args: argparse.Namespace, settings: Settings) -> int:
    """Load the seed-matching demo dataset."""
    from bot.report.demo.loader import load

    loaded = load(
        args.db_url or settings.db_url,
        Month.parse(args.month),
        _kb(args, settings),
        scale=args.scale,
        months=args.months,
        flat=args.flat,
    )
    print(loaded.describe())
    return 0


def import_csv(args: argparse.Namespace, settings: Settings) -> int:
    """Import tickets of telephone, e-mail and HAI Kemenkeu from a CSV file."""
    from bot.tickets.imports.importer import ImportFailed, import_file

    try:
        result = import_file(Path(args.file), args.db_url or settings.db_url, _kb(args, settings))
    except ImportFailed as failure:
        print(*failure.messages, sep="\n", file=sys.stderr)
        return 1
    print(result.describe())
    return 0


def _kb(args: argparse.Namespace, settings: Settings) -> Path:
    return Path(args.kb_dir) if args.kb_dir else settings.kb_dir


def parsers() -> dict[str, argparse.ArgumentParser]:
    """One parser for the report and one per subcommand."""
    main = argparse.ArgumentParser(
        prog="python -m bot.report",
        description="Laporan Layanan Informasi DJPK. Subcommands: demo-data, import-csv.",
    )
    main.add_argument("--month", default=None, help="YYYY-MM (default: last month)")
    main.add_argument("--out", required=True, help="folder for the report files")
    _common(main)
    main.set_defaults(run=report)
    demo = argparse.ArgumentParser(prog="python -m bot.report demo-data")
    demo.add_argument("--month", default="2023-02", help="the seed month (default 2023-02)")
    demo.add_argument("--scale", type=int, default=1, help="volume multiplier (default 1)")
    demo.add_argument(
        "--months", type=int, default=13, help="months ending at --month (default 13)"
    )
    demo.add_argument(
        "--flat", action="store_true", help="every month at the seed month's volume (benchmarks)"
    )
    _common(demo)
    demo.set_defaults(run=demo_data)
    imports = argparse.ArgumentParser(prog="python -m bot.report import-csv")
    imports.add_argument("file", help="CSV file (layout: bot/report/README.md)")
    _common(imports)
    imports.set_defaults(run=import_csv)
    return {"report": main, "demo-data": demo, "import-csv": imports}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the report or a subcommand; return the exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    argv = list(sys.argv[1:] if argv is None else argv)
    name = argv.pop(0) if argv and argv[0] in COMMANDS else "report"
    args = parsers()[name].parse_args(argv)
    if name == "report" and args.month is None:
        args.month = _previous_month()
    try:
        code: int = args.run(args, Settings.from_env())
        return code
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
