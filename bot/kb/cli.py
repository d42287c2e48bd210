"""PIC tools: `python -m bot.kb validate|stale|search` (contracts in DESIGN.md section 3)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.kb.live import KnowledgeBase
from bot.kb.loader import faq_dir, faq_files, load_dir
from bot.kb.semantic import E5Encoder
from bot.kb.yamlfile import KbError
from bot.settings import Settings


def _kb_dir(value: str | None) -> Path:
    return Path(value) if value else Settings.from_env().kb_dir


def validate(args: argparse.Namespace) -> int:
    """Exit 0 when every FAQ file is valid, else 1 after printing `file:line: message` lines."""
    kb_dir = _kb_dir(args.dir)
    try:
        entries = load_dir(kb_dir)
    except KbError as exc:
        print(*exc.messages, sep="\n")
        return 1
    files = len(faq_files(faq_dir(kb_dir)))
    print(f"OK: {len(entries)} entries in {files} files", file=sys.stderr)
    return 0


def stale(args: argparse.Namespace) -> int:
    """List entries past their review date, expired, or flagged for the unit to confirm, by unit."""
    try:
        entries = load_dir(_kb_dir(args.dir))
    except KbError as exc:
        print(*exc.messages, sep="\n")
        return 1
    as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    by_unit: dict[str, list[dict[str, str | bool]]] = {}
    for entry in sorted(entries, key=lambda e: (e.unit, e.review_due, e.id)):
        if entry.is_stale(as_of) or entry.flagged:
            by_unit.setdefault(entry.unit, []).append(
                {
                    "id": entry.id,
                    "reviewed_on": entry.reviewed_on.isoformat(),
                    "review_due": entry.review_due.isoformat(),
                    "expired": entry.is_expired(as_of),
                    "review_due_passed": as_of > entry.review_due,
                    "confirm": entry.confirm,
                    "source": f"{entry.source}:{entry.line}",
                }
            )
    if args.json:
        print(json.dumps(by_unit, ensure_ascii=False))
        return 0
    if not by_unit:
        print(f"No stale or flagged entries as of {as_of.isoformat()}.")
    for unit, items in by_unit.items():
        print(f"{unit} ({len(items)}):")
        for item in items:
            notes = []
            if item["expired"]:
                notes.append("expired (valid_until passed)")
            if item["review_due_passed"]:
                notes.append(f"review due {item['review_due']}")
            if item["confirm"]:
                notes.append(f"to confirm: {item['confirm']}")
            print(f"  {item['id']}: {'; '.join(notes)} ({item['source']})")
    return 0


def search(args: argparse.Namespace) -> int:
    """Print the best entries for TEXT, or for each line of standard input with `-`."""
    settings = Settings.from_env()
    encoder = None if args.lexical else E5Encoder()
    kb = KnowledgeBase(_kb_dir(args.dir), encoder, settings.vector_cache)
    kb.refresh()
    if kb.errors:
        print(*kb.errors, sep="\n", file=sys.stderr)
        return 1
    queries = sys.stdin if args.text == "-" else [args.text]
    for query in queries:
        hits = kb.search(query.strip(), k=args.k, threshold=args.threshold)
        if args.json:
            print(json.dumps([{"id": h.id, "score": round(h.score, 4)} for h in hits]), flush=True)
            continue
        print(f"{query.strip()}:")
        for hit in hits:
            print(f"  {hit.score:.3f}  {hit.id}  ({hit.entry.unit}) {hit.entry.topic}")
        if not hits:
            print("  no entry is close enough to answer or offer")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    root = argparse.ArgumentParser(prog="python -m bot.kb", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every FAQ file")
    check.add_argument("dir", nargs="?", help="knowledge-base folder (default DJPK_KB_DIR)")
    check.set_defaults(run=validate)
    old = commands.add_parser("stale", help="entries past their review date, by unit")
    old.add_argument("--as-of", help="YYYY-MM-DD (default today)")
    old.add_argument("--dir", help="knowledge-base folder (default DJPK_KB_DIR)")
    old.add_argument("--json", action="store_true", help="print JSON {unit: [entries]}")
    old.set_defaults(run=stale)
    find = commands.add_parser("search", help="rank entries for a question")
    find.add_argument("text", help="the question, or - to read one question a line from stdin")
    find.add_argument("--json", action="store_true", help='print [{"id": ..., "score": ...}]')
    find.add_argument("-k", type=int, default=3, help="how many entries at most (default 3)")
    find.add_argument("--threshold", type=float, default=None, help=argparse.SUPPRESS)
    find.add_argument("--lexical", action="store_true", help="lexical search only (no encoder)")
    find.add_argument("--dir", help="knowledge-base folder (default DJPK_KB_DIR)")
    find.set_defaults(run=search)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = parser().parse_args(argv)
    try:
        code: int = args.run(args)
        return code
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
        return 0
