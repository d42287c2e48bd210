"""Contacts inside and outside service hours by region (Barat/Tengah/Timur), and escalations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bot.hours import Zone
from bot.report.figures.columns import created_in, flag
from bot.report.figures.contacts import contacts
from bot.report.formatting import share
from bot.report.period import Month
from bot.tickets.tables import TicketRow


@dataclass(frozen=True)
class RegionHours:
    """One region: contacts inside and outside service hours."""

    zone: str
    region: str
    in_hours: int
    out_of_hours: int
    out_of_hours_share: Decimal | None  # of all identified out-of-hours contacts


@dataclass(frozen=True)
class UnitEscalations:
    """Tickets passed to one DJPK unit this month."""

    unit: str
    count: int


@dataclass(frozen=True)
class ServiceHoursFigures:
    """The 'Rincian Tiket Pemda' figures."""

    total: int
    identified: int
    unidentified: int
    in_hours: int  # identified zone, inside service hours
    out_of_hours: int  # identified zone, outside service hours
    unidentified_out_of_hours: int
    regions: tuple[RegionHours, ...]
    out_of_hours_escalated: int
    out_of_hours_escalated_share: Decimal | None  # of out_of_hours
    out_of_hours_escalated_share_of_total: Decimal | None  # of all tickets
    escalated: int
    escalated_share: Decimal | None
    escalations_by_unit: tuple[UnitEscalations, ...]


def service_hours(connection: Connection, month: Month) -> ServiceHoursFigures:
    """Counts by zone and hours, with escalations, from one grouped query."""
    rows = contacts((month.start, month.end))
    escalated = func.sum(flag(rows.c.escalated.is_(True)))
    query = select(rows.c.zone, rows.c.in_service_hours, func.count(), escalated).group_by(
        rows.c.zone, rows.c.in_service_hours
    )
    inside: Counter[str | None] = Counter()
    outside: Counter[str | None] = Counter()
    night_escalated = all_escalated = 0
    for zone, in_hours, count, up in connection.execute(query):
        (inside if in_hours else outside)[zone] += int(count)
        all_escalated += int(up or 0)
        if not in_hours and zone is not None:
            night_escalated += int(up or 0)
    total = sum(inside.values()) + sum(outside.values())
    unidentified = inside[None] + outside[None]
    out_total = sum(n for zone, n in outside.items() if zone is not None)
    in_total = sum(n for zone, n in inside.items() if zone is not None)
    regions = tuple(
        RegionHours(
            zone.value,
            zone.region,
            inside[zone.value],
            outside[zone.value],
            share(outside[zone.value], out_total),
        )
        for zone in Zone
    )
    return ServiceHoursFigures(
        total,
        total - unidentified,
        unidentified,
        in_total,
        out_total,
        outside[None],
        regions,
        night_escalated,
        share(night_escalated, out_total),
        share(night_escalated, total),
        all_escalated,
        share(all_escalated, total),
        _by_unit(connection, month),
    )


def _by_unit(connection: Connection, month: Month) -> tuple[UnitEscalations, ...]:
    count = func.count().label("n")
    query = (
        select(func.coalesce(TicketRow.escalation_unit, "(tanpa unit)"), count)
        .where(created_in(month), TicketRow.escalated_at.isnot(None))
        .group_by(TicketRow.escalation_unit)
        .order_by(count.desc(), TicketRow.escalation_unit)
    )
    return tuple(UnitEscalations(unit, int(n)) for unit, n in connection.execute(query))
