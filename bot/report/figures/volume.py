"""Tickets by channel: this month with shares, the previous month, a year earlier, six months."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.engine import Connection

from bot.report.figures.columns import between
from bot.report.formatting import change, share
from bot.report.period import Month
from bot.report.vocabulary import CHANNELS, channel_group
from bot.tickets.tables import TicketRow

TREND_MONTHS = 6


@dataclass(frozen=True)
class ChannelCount:
    """One channel this month, with the months it is compared with."""

    key: str
    label: str
    count: int
    share: Decimal | None
    previous: int
    previous_change: Decimal | None
    year_ago: int
    year_ago_change: Decimal | None


@dataclass(frozen=True)
class TrendMonth:
    """Tickets per channel in one month of the six-month trend."""

    month: str
    label: str
    total: int
    by_channel: dict[str, int]


@dataclass(frozen=True)
class Volume:
    """How many tickets came in, where from, and how that compares."""

    total: int
    previous_month: str
    previous_total: int
    previous_change: Decimal | None
    year_ago_month: str
    year_ago_total: int
    year_ago_change: Decimal | None
    channels: tuple[ChannelCount, ...]
    trend: tuple[TrendMonth, ...]


def _counts(connection: Connection, month: Month) -> dict[int, dict[str, int]]:
    """{offset: {channel key: tickets}} for offsets -12 and -5..0, in one grouped query."""
    offsets = [-12, *range(1 - TREND_MONTHS, 1)]
    months = {offset: month.shift(offset) for offset in offsets}
    created = TicketRow.created_at
    bucket = case(
        *[(created < months[offset].end, offset) for offset in offsets], else_=None
    ).label("bucket")
    windows = or_(
        between(created, months[-12].start, months[-12].end),
        between(created, months[1 - TREND_MONTHS].start, month.end),
    )
    rows = select(bucket, TicketRow.channel.label("channel")).where(windows).subquery()
    query = select(rows.c.bucket, rows.c.channel, func.count()).group_by(
        rows.c.bucket, rows.c.channel
    )
    counts: dict[int, dict[str, int]] = {offset: defaultdict(int) for offset in offsets}
    for offset, channel, count in connection.execute(query):
        counts[int(offset)][channel_group(channel).key] += int(count)
    return counts


def volume(connection: Connection, month: Month) -> Volume:
    """Channel counts and comparisons for the month."""
    counts = _counts(connection, month)
    now, before, year = counts[0], counts[-1], counts[-12]
    total, previous, year_ago = sum(now.values()), sum(before.values()), sum(year.values())
    channels = tuple(
        ChannelCount(
            group.key,
            group.label,
            now[group.key],
            share(now[group.key], total),
            before[group.key],
            change(now[group.key], before[group.key]),
            year[group.key],
            change(now[group.key], year[group.key]),
        )
        for group in CHANNELS
    )
    trend = tuple(
        TrendMonth(
            month.shift(offset).key,
            month.shift(offset).short_label,
            sum(counts[offset].values()),
            {group.key: counts[offset][group.key] for group in CHANNELS},
        )
        for offset in range(1 - TREND_MONTHS, 1)
    )
    return Volume(
        total,
        month.shift(-1).key,
        previous,
        change(total, previous),
        month.shift(-12).key,
        year_ago,
        change(total, year_ago),
        channels,
        trend,
    )
