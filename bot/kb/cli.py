"""PIC tools: `python -m bot.kb validate|stale|search|misses|history` (DESIGN.md section 3;
the knowledge loop: knowledge_base/README.md)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from bot.db import engine_for
from bot.kb.live import KnowledgeBase
from bot.kb.loader import faq_dir, faq_files, load_dir
from bot.kb.loop.grouping import question_groups
from bot.kb.loop.records import QuestionGroup
from bot.kb.loop.review import WIB
from bot.kb.loop.sql import changes
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


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    day = date.fromisoformat(value)  # ValueError: exit 2 with the message
    return datetime(day.year, day.month, day.day, tzinfo=WIB)


def misses(args: argparse.Namespace) -> int:
    """Print the open question groups (misses and "Tidak membantu" votes) by unit."""
    settings = Settings.from_env()
    since = _since(args.since)
    encoder = None if args.lexical or not settings.faq_encoder else E5Encoder()
    kb = KnowledgeBase(_kb_dir(args.dir), encoder, settings.vector_cache)
    kb.refresh()
    if kb.errors:
        print(*kb.errors, sep="\n", file=sys.stderr)
        return 1
    engine = engine_for(settings.db_url)
    groups = question_groups(engine, kb, unit=args.unit, since=since, include_resolved=args.all)
    if args.json:
        print(json.dumps([_group_json(g) for g in groups], ensure_ascii=False))
        return 0
    if not groups:
        print("No open question groups.")
    for unit in sorted({g.unit for g in groups}):
        mine = [g for g in groups if g.unit == unit]
        print(f"{unit} ({len(mine)} groups, {sum(g.count for g in mine)} questions):")
        for g in mine:
            state = f", resolved by change {g.resolved_by}" if g.resolved_by else ""
            print(f"  {g.id}  {g.count}x {g.kind}  {g.texts[0]!r}  (closest: {g.best_id}{state})")
            for text in g.texts[1:4]:
                print(f"      also: {text!r}")
    return 0


def _group_json(group: QuestionGroup) -> dict[str, object]:
    fields = asdict(group)
    fields["first_seen"] = group.first_seen.isoformat()
    fields["last_seen"] = group.last_seen.isoformat()
    return fields


def history(args: argparse.Namespace) -> int:
    """Print the recorded changes of the FAQ files, newest first."""
    engine = engine_for(Settings.from_env().db_url)
    found = changes(engine, unit=args.unit, limit=args.limit)
    if args.json:
        rows = [{**asdict(c), "at": c.at.isoformat()} for c in found]
        if not args.diff:
            for row in rows:
                row.pop("diff")
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not found:
        print("No recorded changes.")
    for c in found:
        notes = [f"resolves {c.group_id}"] if c.group_id else []
        notes += [f"reverts #{c.reverts}"] if c.reverts else []
        notes += [f"reverted by #{c.reverted_by}"] if c.reverted_by else []
        when = c.at.astimezone(WIB).strftime("%Y-%m-%d %H:%M WIB")
        extra = f" ({'; '.join(notes)})" if notes else ""
        print(f"#{c.id} {when} {c.author}: {c.action} {c.entry_id} in {c.file}{extra}")
        if args.diff:
            print(c.diff)
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
    asked = commands.add_parser("misses", help="open question groups (misses, unhelpful votes)")
    asked.add_argument("--unit", help="one unit (default all)")
    asked.add_argument("--since", help="YYYY-MM-DD (WIB): questions asked from that day on")
    asked.add_argument("--all", action="store_true", help="resolved groups too")
    asked.add_argument("--json", action="store_true", help="print a JSON list of groups")
    asked.add_argument("--lexical", action="store_true", help="group by words (no encoder)")
    asked.add_argument("--dir", help="knowledge-base folder (default DJPK_KB_DIR)")
    asked.set_defaults(run=misses)
    past = commands.add_parser("history", help="recorded changes of the FAQ files")
    past.add_argument("--unit", help="one unit (default all)")
    past.add_argument("--limit", type=int, default=None, help="at most this many (newest)")
    past.add_argument("--diff", action="store_true", help="print each change's diff")
    past.add_argument("--json", action="store_true", help="print a JSON list of changes")
    past.set_defaults(run=history)
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
