"""The one home of the wall clock: `utcnow()`, the `Clock` type of injected clocks, and `as_utc`.

Modules take a `clock: Clock = utcnow` (or a `now` argument) so tests can pass their own moment,
and import these rather than calling `datetime.now` themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC (stored as such on every backend)."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC, aware; a naive value (as SQLite returns it) is taken as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)
