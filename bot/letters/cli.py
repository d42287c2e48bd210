"""Command line: `python -m bot.letters verify|add|validate` (contract in DESIGN.md section 3)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.contacts import load_contacts
from bot.letters.entry import EntryError, append_letter, letter_entry
from bot.letters.loader import load_dir
from bot.letters.messages import render
from bot.letters.registry import LETTERS_DIR, RegistryError
from bot.letters.verdict import Verdict
from bot.letters.verifier import Verifier

_FILE_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"}


def _kb_dir(value: str | None) -> Path:
    if value:
        return Path(value)
    from bot.settings import Settings

    return Settings.from_env().kb_dir


def _show(verdict: Verdict, as_json: bool, verifier: Verifier) -> None:
    if as_json:
        print(json.dumps(verdict.to_json(), ensure_ascii=False), flush=True)
    else:
        print(render(verdict, verifier.contacts), end="\n\n", flush=True)


def _verify(args: argparse.Namespace) -> int:
    verifier = Verifier.from_kb(_kb_dir(args.kb), include_examples=args.examples)
    if args.target == "-":
        for line in sys.stdin:
            _show(verifier.verify_text(line.rstrip("\n")), args.json, verifier)
        return 0
    path = Path(args.target)
    is_file = len(args.target) < 4096 and "\n" not in args.target and path.is_file()
    if not is_file and " " not in args.target and path.suffix.lower() in _FILE_SUFFIXES:
        print(f"error: no such file: {path}", file=sys.stderr)
        return 2
    verdict = verifier.verify_file(path) if is_file else verifier.verify_text(args.target)
    _show(verdict, args.json, verifier)
    return 0


def _add(args: argparse.Namespace) -> int:
    event = None
    if args.event_date or args.event_place or args.event_mode:
        event = {"date": args.event_date, "place": args.event_place, "mode": args.event_mode}
    try:
        entry = letter_entry(
            Path(args.file),
            args.number,
            args.date,
            args.subject,
            unit=args.unit,
            signer=args.signer,
            addressees=args.addressees,
            status=args.status,
            event=event,
            notes=args.notes,
        )
        path = append_letter(_kb_dir(args.kb), entry)
    except (EntryError, RegistryError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"added {entry['number']} (sha256 {entry['sha256'][0]}) to {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    base = _kb_dir(args.dir)
    letters_dir = base / LETTERS_DIR if (base / LETTERS_DIR).is_dir() else base
    problems = [str(p) for p in load_dir(letters_dir).problems]
    contacts_dir = letters_dir.parent
    if (contacts_dir / "contacts.yml").exists():
        try:
            load_contacts(contacts_dir)
        except (ValueError, OSError) as exc:
            problems.append(str(exc))
    for problem in problems:
        print(problem)
    if not problems:
        print(f"{letters_dir}: ok")
    return 1 if problems else 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m bot.letters`."""
    main = argparse.ArgumentParser(prog="python -m bot.letters", description=__doc__)
    sub = main.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="verify a text, a PDF/photo file, or '-' (stdin lines)")
    verify.add_argument("target", help="text, path of a PDF/JPEG/PNG, or - for one text a line")
    verify.add_argument("--json", action="store_true", help="print JSON instead of the reply")
    verify.add_argument("--kb", help="knowledge base folder (default: DJPK_KB_DIR)")
    verify.add_argument("--examples", action="store_true", help="include the demo letters")
    verify.set_defaults(run=_verify)
    add = sub.add_parser("add", help="register an official PDF in letters/official.yml")
    add.add_argument("file")
    add.add_argument("--number", required=True)
    add.add_argument("--date", required=True, help="YYYY-MM-DD")
    add.add_argument("--subject", required=True, help="perihal")
    for name in ("unit", "signer", "addressees", "notes", "event-date", "event-place"):
        add.add_argument(f"--{name}")
    add.add_argument("--event-mode", choices=["daring", "luring", "hybrid"])
    add.add_argument("--status", default="valid", choices=["valid", "revoked"])
    add.add_argument("--kb", help="knowledge base folder (default: DJPK_KB_DIR)")
    add.set_defaults(run=_add)
    validate = sub.add_parser("validate", help="check the registry files (exit 1 on problems)")
    validate.add_argument("dir", nargs="?", help="knowledge base or letters folder")
    validate.set_defaults(run=_validate)
    return main


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = parser().parse_args(argv)
    code: int = args.run(args)
    return code
