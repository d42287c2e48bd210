"""`python -m bot.report demo-data`: replace the demo rows in DJPK_DB_URL, in bulk, in one go."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection

from bot.db import engine_for
from bot.hours import ServiceHours
from bot.kb.misses import FaqMiss
from bot.letters.reports import LetterReport, LetterVerification
from bot.regions import RegionIndex
from bot.report.demo import extras, profile
from bot.report.demo.plan import plan
from bot.report.demo.rows import PREFIX, Batch, add_contact
from bot.report.demo.targets import targets
from bot.report.formatting import number
from bot.report.period import Month
from bot.tickets.numbering import parse_number
from bot.tickets.tables import (
    ConversationLabelRow,
    TicketCounterRow,
    TicketEventRow,
    TicketMessageRow,
    TicketRow,
)

CHUNK = 5000


@dataclass(frozen=True)
class Loaded:
    """What demo-data wrote."""

    first: Month
    last: Month
    tickets: int
    seed_month_contacts: int  # tickets and bot-only conversations of the last month
    labels: int
    misses: int
    verifications: int
    reports: int
    seconds: float

    def describe(self) -> str:
        """One line for the console."""
        return (
            f"Data demo {self.first.label} - {self.last.label}: {number(self.tickets)} tiket, "
            f"{number(self.seed_month_contacts)} kontak pada {self.last.label}, "
            f"{number(self.labels)} label percakapan, {number(self.misses)} pertanyaan tak "
            f"terjawab, {number(self.verifications)} verifikasi dan {number(self.reports)} "
            f"laporan surat ({self.seconds:.1f} s)."
        )


def clear(connection: Connection) -> None:
    """Delete earlier demo rows (conversation ids starting with 'demo-'), nothing else.

    The day counters of the days demo tickets used go back to the highest number left, so a
    re-run numbers its tickets the same way.
    """
    demo = TicketRow.conversation_id.like(f"{PREFIX}%")
    numbers = connection.execute(select(TicketRow.number).where(demo)).scalars()
    days = {parsed[0] for parsed in map(parse_number, numbers) if parsed}
    ids = select(TicketRow.id).where(demo).scalar_subquery()
    for table in (TicketEventRow, TicketMessageRow):
        connection.execute(table.__table__.delete().where(table.ticket_id.in_(ids)))
    for table in (TicketRow, ConversationLabelRow, FaqMiss, LetterVerification, LetterReport):
        connection.execute(table.__table__.delete().where(table.conversation_id.like(f"{PREFIX}%")))
    counters = TicketCounterRow.__table__
    for day in days:
        key = f"{day:%Y%m%d}"
        left = connection.execute(
            select(TicketRow.number).where(TicketRow.number.like(f"DJPK-{key}-%"))
        ).scalars()
        last = max((parsed[1] for parsed in map(parse_number, left) if parsed), default=0)
        connection.execute(counters.update().where(counters.c.day == key).values(last=last))


def _insert(connection: Connection, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(table.__table__.insert(), rows[start : start + CHUNK])


def _save_counters(connection: Connection, before: dict[str, int], after: dict[str, int]) -> None:
    table = TicketCounterRow.__table__
    for day, last in after.items():
        if day not in before:
            connection.execute(table.insert().values(day=day, last=last))
        elif last != before[day]:
            connection.execute(table.update().where(table.c.day == day).values(last=last))


def load(
    url: str, month: Month, kb_dir: Path, scale: int = 1, months: int = 13, flat: bool = False
) -> Loaded:
    """Generate `months` months ending at `month` (the seed's counts, times `scale`).

    Earlier months follow the seed's history (January 2023: 1.218, February 2022: 655); with
    `flat` they all have the seed month's volume.
    """
    if scale < 1 or months < 1:
        raise ValueError("--scale and --months must be at least 1")
    started = time.perf_counter()
    regions, hours = RegionIndex.load(kb_dir), ServiceHours.load(kb_dir)
    owners = extras.faq_owners(kb_dir)
    engine = engine_for(url)
    with engine.begin() as connection:
        clear(connection)
        next_id = connection.execute(select(func.max(TicketRow.id))).scalar() or 0
        before = dict(connection.execute(select(TicketCounterRow.day, TicketCounterRow.last)).all())
        batch = Batch(next_id + 1, dict(before))
        verifications: list[dict[str, Any]]
        reports: list[dict[str, Any]]
        misses, verifications, reports, seed_contacts = [], [], [], 0
        for offset in range(1 - months, 1):
            current = month.shift(offset)
            rng = random.Random(f"{profile.SEED}:{current.key}:{scale}:{offset}")
            drafts = plan(targets(offset, scale, flat), offset == 0, scale, regions, rng)
            first_label = len(batch.labels)
            for n, draft in enumerate(drafts, start=1):
                add_contact(batch, draft, current, n, hours, rng)
            labels = batch.labels[first_label:]
            misses += extras.misses(labels, owners, rng)
            factor = scale * profile.month_factor(0 if flat else offset)
            checks, reported = extras.letters(current, factor, offset == 0, labels, hours, rng)
            verifications, reports = verifications + checks, reports + reported
            seed_contacts = len(drafts)
        _insert(connection, TicketRow, batch.tickets)
        _insert(connection, TicketEventRow, batch.events)
        _insert(connection, ConversationLabelRow, batch.labels)
        _insert(connection, FaqMiss, misses)
        _insert(connection, LetterVerification, verifications)
        _insert(connection, LetterReport, reports)
        _save_counters(connection, before, batch.counters)
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('tickets', 'id'), MAX(id)) FROM tickets")
            )
    return Loaded(
        month.shift(1 - months),
        month,
        len(batch.tickets),
        seed_contacts,
        len(batch.labels),
        len(misses),
        len(verifications),
        len(reports),
        time.perf_counter() - started,
    )
