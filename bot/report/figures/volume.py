"""Contacts by channel (tickets and bot-only conversations): this month with shares, the previous
month, a year earlier, six months."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from bot.report.figures.contacts import BOT_ONLY, contacts
from bot.report.formatting import change, share
from bot.report.period import Month
from bot.report.vocabulary import CHANNELS, channel_group

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
    """How many contacts came in, where from, and how that compares."""

    total: int
    bot_only: int  # of total: conversation days the assistant handled without a ticket
    previous_month: str
    previous_total: int
    previous_change: Decimal | None
    year_ago_month: str
    year_ago_total: int
    year_ago_change: Decimal | None
    channels: tuple[ChannelCount, ...]
    trend: tuple[TrendMonth, ...]


def _counts(connection: Connection, month: Month) -> tuple[dict[int, dict[str, int]], int]:
    """({offset: {channel key: contacts}} for offsets -12 and -5..0, the month's bot-only
    contacts), in one grouped query."""
    offsets = [-12, *range(1 - TREND_MONTHS, 1)]
    months = {offset: month.shift(offset) for offset in offsets}
    every = contacts(
        (months[-12].start, months[-12].end), (months[1 - TREND_MONTHS].start, month.end)
    )
    created = every.c.created_at
    bucket = case(
        *[(created < months[offset].end, offset) for offset in offsets], else_=None
    ).label("bucket")
    rows = select(bucket, every.c.channel, every.c.source).subquery()
    keys = (rows.c.bucket, rows.c.channel, rows.c.source)
    query = select(*keys, func.count()).group_by(*keys)
    counts: dict[int, dict[str, int]] = {offset: defaultdict(int) for offset in offsets}
    alone = 0
    for offset, channel, source, count in connection.execute(query):
        counts[int(offset)][channel_group(channel).key] += int(count)
        if int(offset) == 0 and source == BOT_ONLY:
            alone += int(count)
    return counts, alone


def volume(connection: Connection, month: Month) -> Volume:
    """Channel counts and comparisons for the month."""
    counts, alone = _counts(connection, month)
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
        alone,
        month.shift(-1).key,
        previous,
        change(total, previous),
        month.shift(-12).key,
        year_ago,
        change(total, year_ago),
        channels,
        trend,
    )
