"""Queue filters from the query string: ?status=&channel=&topic=&zone=&hours=&order=&limit=."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from bot.console.responses import BadRequest
from bot.hours import Zone
from bot.tickets.records import TicketQuery
from bot.tickets.taxonomy import Channel, Status, Topic

ACTIVE = (Status.OPEN, Status.ASSIGNED, Status.ESCALATED)
MAX_LIMIT = 200
E = TypeVar("E", bound=Enum)


def _one(args: Mapping[str, str], name: str, kind: type[E]) -> E | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return kind(value)
    except ValueError as exc:
        raise BadRequest(f"unknown {name} {value!r}") from exc


def _statuses(value: str) -> tuple[Status, ...] | None:
    value = value.strip() or "active"
    if value == "all":
        return None
    if value == "active":
        return ACTIVE
    try:
        return tuple(Status(part.strip()) for part in value.split(",") if part.strip())
    except ValueError as exc:
        raise BadRequest(f"unknown status in {value!r}") from exc


def _number(args: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = (args.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadRequest(f"{name} must be a number from {low} to {high}")
    return int(value)


def queue_query(args: Mapping[str, str]) -> TicketQuery:
    """The TicketQuery of the queue's filters; active tickets, newest first, 50 by default."""
    hours = (args.get("hours") or "").strip()
    if hours not in ("", "in", "out"):
        raise BadRequest("hours must be 'in' or 'out'")
    order = (args.get("order") or "newest").strip()
    if order not in ("newest", "oldest"):
        raise BadRequest("order must be 'newest' or 'oldest'")
    return TicketQuery(
        status=_statuses(args.get("status") or ""),
        channel=_one(args, "channel", Channel),
        topic=_one(args, "topic", Topic),
        zone=_one(args, "zone", Zone),
        in_hours={"in": True, "out": False}.get(hours),
        order=order,  # type: ignore[arg-type]
        limit=_number(args, "limit", 50, 1, MAX_LIMIT),
        offset=_number(args, "offset", 0, 0, 1_000_000),
    )
