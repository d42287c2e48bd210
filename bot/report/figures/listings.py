"""Lists of the month: complaints, policy complaints, video conferences and face-to-face visits."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from bot.report.figures.columns import between, context_text, created_in, flag
from bot.report.period import Month
from bot.report.vocabulary import (
    AGREED_DATE,
    AGREED_MODE,
    BOOKING,
    COMPLAINT,
    DECLINED,
    FACE_TO_FACE,
    POLICY,
    RESERVATION,
    SCHEDULE,
    SUBJECT,
    VIDEO,
)
from bot.tickets.tables import TicketRow
from bot.tickets.taxonomy import Category, Topic

BOOKED_AHEAD = timedelta(days=183)  # reservations made up to six months before the meeting
_SPLIT = re.compile(r"\s*(?:&|,|/|\bdan\b)\s*")


@dataclass(frozen=True)
class Complaint:
    """One complaint (Pengaduan tickets with the same summary), with who sent it."""

    text: str
    tickets: int
    pemda: int  # distinct pemda among the senders
    akademisi: int
    kementerian_lembaga: int
    lainnya: int
    place: str | None  # the pemda or instansi when a single ticket carries it


@dataclass(frozen=True)
class Meeting:
    """A video conference or face-to-face consultation held this month."""

    day: date
    kind: str
    place: str
    subject: str
    ticket: str
    agreed: bool = False  # the date an agent agreed in the console, not the one requested


def complaints(connection: Connection, month: Month) -> tuple[Complaint, ...]:
    """Pengaduan tickets grouped by their summary, the most reported first."""
    text = func.trim(TicketRow.summary)
    count = func.count().label("n")

    def per(category: Category) -> ColumnElement:
        return func.sum(flag(TicketRow.category == category.value))

    query = (
        select(
            text,
            count,
            func.count(func.distinct(TicketRow.pemda)),
            per(Category.AKADEMISI),
            per(Category.KL),
            func.sum(flag(func.coalesce(TicketRow.category, "") == Category.LAINNYA.value)),
            func.min(func.coalesce(TicketRow.pemda, TicketRow.instansi)),
            func.min(TicketRow.created_at),
        )
        .where(created_in(month), TicketRow.topic == Topic.PENGADUAN.value)
        .group_by(text)
        .order_by(count.desc(), func.min(TicketRow.created_at))
    )
    return tuple(
        Complaint(
            summary or "(tanpa ringkasan)",
            int(n),
            int(p),
            int(a),
            int(k),
            int(o),
            place if int(n) == 1 else None,
        )
        for summary, n, p, a, k, o, place, _ in connection.execute(query)
    )


def policy_complaints(connection: Connection, month: Month) -> tuple[Complaint, ...]:
    """Tickets marked as Keluhan Kebijakan (context keluhan = kebijakan)."""
    query = (
        select(TicketRow.summary, func.coalesce(TicketRow.pemda, TicketRow.instansi))
        .where(created_in(month), context_text(COMPLAINT) == POLICY)
        .order_by(TicketRow.created_at, TicketRow.id)
    )
    return tuple(
        Complaint(summary.strip(), 1, 0, 0, 0, 0, place)
        for summary, place in connection.execute(query)
    )


def meetings(connection: Connection, month: Month) -> tuple[Meeting, ...]:
    """Reservations held in the month, by date: the date and mode an agent agreed in the console
    when there is one, the requested ones (context jadwal, reservasi) otherwise; declined ones
    are not held."""
    agreed = context_text(AGREED_DATE)
    kind = func.coalesce(context_text(AGREED_MODE), context_text(RESERVATION))
    day = func.coalesce(agreed, context_text(SCHEDULE))
    query = (
        select(
            day,
            kind,
            func.coalesce(TicketRow.instansi, TicketRow.pemda, "-"),
            func.coalesce(context_text(SUBJECT), "-"),
            TicketRow.number,
            agreed.is_not(None),
        )
        .where(
            between(TicketRow.created_at, month.start - BOOKED_AHEAD, month.end),
            TicketRow.topic == Topic.RESERVASI.value,
            func.coalesce(context_text(BOOKING), "") != DECLINED,
            kind.in_([VIDEO, FACE_TO_FACE]),
            day >= month.first_day.isoformat(),
            day < month.shift(1).first_day.isoformat(),
        )
        .order_by(day, TicketRow.number)
    )
    return tuple(
        Meeting(date.fromisoformat(when[:10]), what, place, subject, number, bool(is_agreed))
        for when, what, place, subject, number, is_agreed in connection.execute(query)
    )


def main_subject(items: tuple[Meeting, ...]) -> str | None:
    """The subject named most often ('DBH & DAU' counts for both), ties by name."""
    counts = Counter(
        part for item in items for part in _SPLIT.split(item.subject) if part and part != "-"
    )
    if not counts:
        return None
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[0][0]
