"""Agent replies: how many were sent, and how many began as a suggested knowledge-base answer.

A reply keeps the id of the FAQ entry an agent inserted from the console's suggestions (and may
have edited) in `ticket_messages.faq_id`; the month is the moment the reply was sent (WIB).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bot.report.figures.columns import between, flag
from bot.report.formatting import share
from bot.report.period import Month
from bot.tickets.tables import TicketMessageRow, TicketRow
from bot.tickets.taxonomy import Sender

TOP_ENTRIES = 10
NO_AGENT = "(tanpa agen)"


@dataclass(frozen=True)
class AgentReplies:
    """One agent's replies this month (the agent the ticket is assigned to)."""

    agent: str
    replies: int
    suggested: int


@dataclass(frozen=True)
class EntryReuse:
    """How often one FAQ entry was sent by agents as (the start of) a reply."""

    entry: str
    replies: int


@dataclass(frozen=True)
class ReplyFigures:
    """Agent replies of the month and the suggested answers they reused."""

    replies: int
    suggested: int
    suggested_share: Decimal | None
    agents: tuple[AgentReplies, ...]
    entries: tuple[EntryReuse, ...]


def replies(connection: Connection, month: Month) -> ReplyFigures:
    """Replies sent in the month, of which from a suggested answer, per agent and per entry."""
    sent = (
        TicketMessageRow.sender == Sender.AGENT.value,
        between(TicketMessageRow.at, month.start, month.end),
    )
    reused = TicketMessageRow.faq_id.isnot(None)
    agent = func.coalesce(TicketRow.assigned_agent, NO_AGENT)
    per_agent = (
        select(agent, func.count(), func.coalesce(func.sum(flag(reused)), 0))
        .select_from(TicketMessageRow)
        .join(TicketRow, TicketRow.id == TicketMessageRow.ticket_id)
        .where(*sent)
        .group_by(agent)
        .order_by(agent)
    )
    agents = tuple(
        AgentReplies(str(name), int(count), int(suggested))
        for name, count, suggested in connection.execute(per_agent)
    )
    per_entry = (
        select(TicketMessageRow.faq_id, func.count())
        .where(*sent, reused)
        .group_by(TicketMessageRow.faq_id)
        .order_by(func.count().desc(), TicketMessageRow.faq_id)
        .limit(TOP_ENTRIES)
    )
    entries = tuple(EntryReuse(str(e), int(n)) for e, n in connection.execute(per_entry))
    total = sum(a.replies for a in agents)
    suggested = sum(a.suggested for a in agents)
    return ReplyFigures(total, suggested, share(suggested, total), agents, entries)
