"""Ticket numbers DJPK-YYYYMMDD-NNNN, with a per-day sequence that is safe under concurrency."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.hours import Zone
from bot.tickets.tables import TicketCounterRow

PREFIX = "DJPK"
_NUMBER = re.compile(r"^DJPK-(\d{8})-(\d{4,})$")


def service_day(at: datetime) -> date:
    """The calendar day in WIB (the contact center's clock) that numbers a ticket."""
    return at.astimezone(Zone.WIB.tzinfo).date()


def format_number(day: date, sequence: int) -> str:
    """'DJPK-20230228-0042'."""
    return f"{PREFIX}-{day:%Y%m%d}-{sequence:04d}"


def parse_number(text: str) -> tuple[date, int] | None:
    """The day and sequence of a well-formed ticket number, or None."""
    found = _NUMBER.match(text.strip().upper())
    if not found:
        return None
    try:
        return datetime.strptime(found.group(1), "%Y%m%d").date(), int(found.group(2))
    except ValueError:
        return None


def next_sequence(session: Session, day: date) -> int:
    """Take the day's next number inside the caller's transaction (rolled back with it).

    One upsert statement: PostgreSQL locks the counter row until commit, SQLite takes the write
    lock, so concurrent creators queue instead of reading the same value.
    """
    table = TicketCounterRow.__table__
    key = f"{day:%Y%m%d}"
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(table).values(day=key, last=1)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.day], set_={"last": table.c.last + 1}
        )
        session.execute(statement)
    elif (
        session.execute(
            update(table).where(table.c.day == key).values(last=table.c.last + 1)
        ).rowcount
        == 0
    ):
        session.execute(table.insert().values(day=key, last=1))
    last: int = session.execute(select(table.c.last).where(table.c.day == key)).scalar_one()
    return last
