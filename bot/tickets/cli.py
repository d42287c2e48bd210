"""Command line: `python -m bot.tickets list [--json]` and `show NUMBER [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.hours import Zone
from bot.tickets.records import Ticket, TicketQuery
from bot.tickets.taxonomy import Channel, Status, Topic

if TYPE_CHECKING:
    from bot.tickets.store import SqlTicketStore

_COLUMNS = (
    "number",
    "status",
    "channel",
    "topic",
    "zone",
    "in_service_hours",
    "pemda",
    "created_at",
)


def _store() -> SqlTicketStore:
    from bot.settings import Settings
    from bot.tickets.store import SqlTicketStore

    return SqlTicketStore.from_url(Settings.from_env().db_url)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.tickets", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="tickets, newest first")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.add_argument("--status", action="append", choices=[s.value for s in Status])
    listing.add_argument("--channel", choices=[c.value for c in Channel])
    listing.add_argument("--topic", choices=[t.value for t in Topic])
    listing.add_argument("--zone", choices=[z.value for z in Zone])
    hours = listing.add_mutually_exclusive_group()
    hours.add_argument("--in-hours", dest="in_hours", action="store_const", const=True)
    hours.add_argument("--out-of-hours", dest="in_hours", action="store_const", const=False)
    listing.add_argument("--unit", help="escalation unit")
    listing.add_argument("--oldest", action="store_true", help="oldest (longest waiting) first")
    listing.add_argument("--limit", type=int, default=None, help="at most N tickets (default all)")
    show = commands.add_parser("show", help="one ticket with its transcript and history")
    show.add_argument("number", help="DJPK-YYYYMMDD-NNNN")
    show.add_argument("--json", action="store_true")
    return parser


def _query(args: argparse.Namespace) -> TicketQuery:
    return TicketQuery(
        status=tuple(Status(s) for s in args.status) if args.status else None,
        channel=Channel(args.channel) if args.channel else None,
        topic=Topic(args.topic) if args.topic else None,
        zone=Zone(args.zone) if args.zone else None,
        in_hours=args.in_hours,
        escalation_unit=args.unit,
        order="oldest" if args.oldest else "newest",
        limit=args.limit,
    )


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def _table(tickets: Sequence[Ticket]) -> str:
    rows = [[_cell(ticket.to_dict()[name]) for name in _COLUMNS] for ticket in tickets]
    rows.insert(0, list(_COLUMNS))
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    store = _store()
    if args.command == "list":
        tickets = store.find(_query(args))
        text = json.dumps([t.to_dict() for t in tickets], ensure_ascii=False)
        print(text if args.json else _table(tickets))
        return 0
    ticket = store.by_number(args.number)
    if ticket is None:
        print(f"no ticket {args.number}", file=sys.stderr)
        return 1
    data = ticket.to_dict()
    data["messages"] = [
        {"at": m.at.isoformat(), "sender": m.sender.value, "text": m.text}
        for m in store.messages(ticket.id)
    ]
    data["events"] = [
        {"at": e.at.isoformat(), "kind": e.kind.value, "actor": e.actor, "detail": e.detail}
        for e in store.events(ticket.id)
    ]
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for name, value in data.items():
        if name not in ("messages", "events"):
            print(f"{name:18} {value}")
    for line in data["messages"]:
        print(f"[{line['at']}] {line['sender']}: {line['text']}")
    for event in data["events"]:
        print(f"[{event['at']}] {event['kind']} by {event['actor']} {event['detail']}".rstrip())
    return 0
