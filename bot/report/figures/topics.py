"""What the contacts were about (tickets and bot-only conversations): technical subjects, other
categories, per channel, out of hours; the recurring questions come from the ticket summaries."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Subquery

from bot.report.figures.columns import created_in
from bot.report.figures.contacts import contacts
from bot.report.formatting import share
from bot.report.period import Month
from bot.report.vocabulary import OTHER_TOPICS, TECHNICAL, channel_group, topic_group
from bot.tickets.tables import TicketRow

TOP_QUESTIONS = 3
SUMMARY_CHARS = 240


@dataclass(frozen=True)
class TopicCount:
    """Tickets of one topic, with its share of all tickets."""

    topic: str
    name: str
    count: int
    share: Decimal | None


@dataclass(frozen=True)
class FrequentQuestion:
    """A ticket summary that came back several times under one technical subject."""

    topic: str
    text: str
    count: int


@dataclass(frozen=True)
class Topics:
    """Konsultasi Teknis by subject, the other categories, and where they came from."""

    technical_total: int
    technical: tuple[TopicCount, ...]
    other: tuple[TopicCount, ...]
    by_channel: dict[str, tuple[TopicCount, ...]]  # top technical subjects per channel
    leading: dict[str, str]  # the most frequent topic (any kind) per channel
    frequent: tuple[FrequentQuestion, ...]
    out_of_hours: tuple[TopicCount, ...]  # topic groups of tickets outside service hours


def _grouped(
    connection: Connection, rows: Subquery, *conditions: Any, by_channel: bool = False
) -> list[tuple[Any, ...]]:
    """(topic[, channel], count) of the month's contacts, grouped in the database."""
    keys = [rows.c.topic, *([rows.c.channel] if by_channel else [])]
    query = select(*keys, func.count()).where(*conditions).group_by(*keys)
    return [tuple(row) for row in connection.execute(query)]


def _ranked(
    counts: Counter[str], total: int, names: dict[str, str] | None = None
) -> tuple[TopicCount, ...]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(
        TopicCount(topic, (names or {}).get(topic, topic), count, share(count, total))
        for topic, count in ordered
    )


def topics(connection: Connection, month: Month, total: int) -> Topics:
    """Every topic figure of the month."""
    rows = contacts((month.start, month.end))
    counts = Counter({topic: count for topic, count in _grouped(connection, rows)})
    technical = Counter({t: counts.get(t, 0) for t in TECHNICAL if counts.get(t)})
    other = Counter({t: counts.get(t, 0) for t in OTHER_TOPICS})
    other.update({t: c for t, c in counts.items() if t not in TECHNICAL and t not in other})
    per_channel: dict[str, Counter[str]] = defaultdict(Counter)
    everything: dict[str, Counter[str]] = defaultdict(Counter)
    for topic, channel, count in _grouped(connection, rows, by_channel=True):
        everything[channel_group(channel).key][topic] += count
        if topic in TECHNICAL:
            per_channel[channel_group(channel).key][topic] += count
    by_channel = {
        key: _ranked(found, sum(found.values()), TECHNICAL)[:3]
        for key, found in per_channel.items()
    }
    night = (rows.c.in_service_hours.is_(False), rows.c.zone.isnot(None))
    groups: Counter[str] = Counter()
    for topic, count in _grouped(connection, rows, *night):
        groups[topic_group(topic)] += count
    technical_total = sum(technical.values())
    return Topics(
        technical_total,
        _ranked(technical, total, TECHNICAL),
        _ranked(other, total),
        by_channel,
        {key: _ranked(found, 0)[0].topic for key, found in everything.items() if found},
        _frequent(connection, month, [t for t, _ in technical.most_common(3)]),
        _ranked(groups, sum(groups.values())),
    )


def _frequent(
    connection: Connection, month: Month, subjects: list[str]
) -> tuple[FrequentQuestion, ...]:
    """The summaries asked at least twice under the top subjects (the seed's 'terkait' bullets)."""
    if not subjects:
        return ()
    text = func.substr(func.trim(TicketRow.summary), 1, SUMMARY_CHARS)
    rows = select(TicketRow.topic.label("topic"), text.label("text")).where(
        created_in(month), TicketRow.topic.in_(subjects), TicketRow.summary != ""
    )
    sub = rows.subquery()
    query = (
        select(sub.c.topic, sub.c.text, func.count())
        .group_by(sub.c.topic, sub.c.text)
        .having(func.count() >= 2)
    )
    found: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for topic, summary, count in connection.execute(query):
        found[topic].append((summary, int(count)))
    result: list[FrequentQuestion] = []
    for topic in subjects:
        ranked = sorted(found[topic], key=lambda item: (-item[1], item[0]))[:TOP_QUESTIONS]
        result.extend(FrequentQuestion(topic, summary, count) for summary, count in ranked)
    return tuple(result)
