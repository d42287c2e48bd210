"""Who asked (every contact, tickets and bot-only conversations): users by category, and the pemda
that contacted DJPK most with their topics."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bot.report.figures.contacts import contacts
from bot.report.formatting import share
from bot.report.period import Month
from bot.report.vocabulary import CATEGORIES, UNKNOWN_CATEGORY

TOP_PEMDA = 3
MAX_TOPICS = 5
MIN_TOPIC_CONTACTS = 2
MIN_TOPIC_SHARE = 0.1


@dataclass(frozen=True)
class CategoryCount:
    """Contacts from one user category."""

    category: str
    label: str
    note: str
    count: int
    share: Decimal | None


@dataclass(frozen=True)
class PemdaContacts:
    """A pemda among those that contacted DJPK most, and what it asked about most."""

    rank: int
    pemda: str
    count: int
    topics: tuple[str, ...]
    topic_counts: dict[str, int]


def categories(connection: Connection, month: Month, total: int) -> tuple[CategoryCount, ...]:
    """Contacts per user category (no category: Lainnya, 'Pengguna Tanpa Identitas')."""
    rows = contacts((month.start, month.end))
    category = func.coalesce(rows.c.category, UNKNOWN_CATEGORY)
    query = select(category, func.count()).group_by(category)
    counts = Counter({value: int(count) for value, count in connection.execute(query)})
    return tuple(
        CategoryCount(c.value, c.label, c.note, counts[c.value], share(counts[c.value], total))
        for c in CATEGORIES
    )


def main_topics(counts: Counter[str]) -> tuple[str, ...]:
    """Topics with at least two contacts and a tenth of the pemda's contacts, most first.

    Ties go by name, five topics at most; when no topic qualifies, the three most frequent.
    """
    floor = max(MIN_TOPIC_CONTACTS, sum(counts.values()) * MIN_TOPIC_SHARE)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    chosen = [topic for topic, count in ordered if count >= floor][:MAX_TOPICS]
    return tuple(chosen or [topic for topic, _ in ordered[:3]])


def top_pemda(connection: Connection, month: Month) -> tuple[PemdaContacts, ...]:
    """The three pemda with the most contacts this month (ties by name)."""
    rows = contacts((month.start, month.end))
    count = func.count().label("n")
    query = (
        select(rows.c.pemda, count)
        .where(rows.c.pemda.isnot(None))
        .group_by(rows.c.pemda)
        .order_by(count.desc(), rows.c.pemda)
        .limit(TOP_PEMDA)
    )
    leaders = [(pemda, int(n)) for pemda, n in connection.execute(query)]
    if not leaders:
        return ()
    grouped = (
        select(rows.c.pemda, rows.c.topic, func.count())
        .where(rows.c.pemda.in_([p for p, _ in leaders]))
        .group_by(rows.c.pemda, rows.c.topic)
    )
    topics: dict[str, Counter[str]] = defaultdict(Counter)
    for pemda, topic, n in connection.execute(grouped):
        topics[pemda][topic] += int(n)
    return tuple(
        PemdaContacts(rank, pemda, n, main_topics(topics[pemda]), dict(topics[pemda]))
        for rank, (pemda, n) in enumerate(leaders, start=1)
    )
