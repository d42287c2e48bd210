"""Every contact of a period as one table: each ticket, and each conversation day the assistant
handled alone (a `conversation_labels` row with `bot_only`).

The seed report counts tickets because every contact was one. Once the assistant answers on its
own, spam, other institutions' questions, FAQ answers and letter checks open no ticket: they are
counted here from their labels so the volume, topic, user and zone figures keep counting every
conversation. A conversation day with a hand-off has `bot_only` false and is counted by its
ticket(s) instead, never twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, false, func, literal, or_, select, union_all
from sqlalchemy.sql import Subquery

from bot.report.figures.columns import between, report_topic
from bot.tickets.tables import ConversationLabelRow, TicketRow
from bot.tickets.taxonomy import Topic

TICKET = "ticket"
BOT_ONLY = "bot"


def contacts(*windows: tuple[datetime, datetime]) -> Subquery:
    """Columns created_at, channel, topic (as the report names it), category, pemda, zone,
    in_service_hours, escalated, source (TICKET | BOT_ONLY), for contacts in any of `windows`."""
    tickets = select(
        TicketRow.created_at.label("created_at"),
        TicketRow.channel.label("channel"),
        report_topic().label("topic"),
        TicketRow.category.label("category"),
        TicketRow.pemda.label("pemda"),
        TicketRow.zone.label("zone"),
        TicketRow.in_service_hours.label("in_service_hours"),
        TicketRow.escalated_at.isnot(None).label("escalated"),
        literal(TICKET, String).label("source"),
    ).where(or_(*(between(TicketRow.created_at, start, end) for start, end in windows)))
    labels = ConversationLabelRow
    alone = select(
        labels.created_at.label("created_at"),
        labels.channel.label("channel"),
        func.coalesce(labels.topic, Topic.LAINNYA.value).label("topic"),
        labels.category.label("category"),
        labels.pemda.label("pemda"),
        labels.zone.label("zone"),
        # labels from before migration label_hours carry no hours: counted inside them
        func.coalesce(labels.in_service_hours, literal(True, Boolean)).label("in_service_hours"),
        false().label("escalated"),
        literal(BOT_ONLY, String).label("source"),
    ).where(
        labels.bot_only.is_(True),
        or_(*(between(labels.created_at, start, end) for start, end in windows)),
    )
    return union_all(tickets, alone).subquery("contacts")
