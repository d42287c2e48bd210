"""SQL building blocks shared by the report's queries: period filters and derived columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case
from sqlalchemy.sql.elements import ColumnElement

from bot.report.period import Month
from bot.report.vocabulary import RESERVATION, VIDEO
from bot.tickets.tables import TicketRow
from bot.tickets.taxonomy import VIDEO_CONFERENCE, Topic


def between(column: Any, start: datetime, end: datetime) -> ColumnElement:
    """start <= column < end."""
    return and_(column >= start, column < end)


def created_in(month: Month) -> ColumnElement:
    """Tickets created in the month (WIB)."""
    return between(TicketRow.created_at, month.start, month.end)


def context_text(key: str) -> ColumnElement:
    """A string field of the ticket's JSON context (NULL when absent)."""
    return TicketRow.context[key].as_string()


def report_topic() -> ColumnElement:
    """The topic as the report counts it: a video-conference Reservasi is 'Video Conference'."""
    is_video = and_(TicketRow.topic == Topic.RESERVASI.value, context_text(RESERVATION) == VIDEO)
    return case((is_video, VIDEO_CONFERENCE), else_=TicketRow.topic)


def flag(condition: ColumnElement) -> ColumnElement:
    """1 when the condition holds, else 0 (to SUM)."""
    return case((condition, 1), else_=0)
