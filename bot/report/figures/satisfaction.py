"""Kepuasan Pengguna: CSAT per agent on both scales, for agents rated often enough."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from bot.report.figures.columns import created_in
from bot.report.formatting import rounded
from bot.report.period import Month
from bot.tickets.tables import TicketRow

MIN_RATINGS = 5
MIN_USERS = 5
RULE = (
    f"Setiap agen minimal memiliki {MIN_RATINGS} penilaian dari minimal {MIN_USERS} pengguna "
    "yang berbeda setiap bulannya."
)


@dataclass(frozen=True)
class AgentScore:
    """One agent's ratings this month (Kepuasan Layanan, Substansi Jawaban: 1-5)."""

    agent: str
    ratings: int
    users: int
    service: Decimal | None
    answer: Decimal | None
    overall: Decimal | None


@dataclass(frozen=True)
class Satisfaction:
    """Agents meeting the rule, with the average over their ratings; others only counted."""

    rule: str
    agents: tuple[AgentScore, ...]
    hidden_agents: int
    hidden_ratings: int
    service: Decimal | None
    answer: Decimal | None
    overall: Decimal | None


def _mean(total: int, count: int) -> Decimal | None:
    return rounded(Decimal(total) / Decimal(count), 2) if count else None


def satisfaction(connection: Connection, month: Month) -> Satisfaction:
    """CSAT of the month's tickets per assigned agent; a user is a distinct conversation."""
    rated = or_(TicketRow.csat_service.isnot(None), TicketRow.csat_answer.isnot(None))
    query = (
        select(
            TicketRow.assigned_agent,
            func.count(),
            func.count(func.distinct(TicketRow.conversation_id)),
            func.coalesce(func.sum(TicketRow.csat_service), 0),
            func.count(TicketRow.csat_service),
            func.coalesce(func.sum(TicketRow.csat_answer), 0),
            func.count(TicketRow.csat_answer),
        )
        .where(created_in(month), TicketRow.assigned_agent.isnot(None), rated)
        .group_by(TicketRow.assigned_agent)
        .order_by(TicketRow.assigned_agent)
    )
    shown: list[AgentScore] = []
    sums = [0, 0, 0, 0]
    hidden = hidden_ratings = 0
    for agent, ratings, users, s_sum, s_n, a_sum, a_n in connection.execute(query):
        s_sum, s_n, a_sum, a_n = int(s_sum), int(s_n), int(a_sum), int(a_n)
        if ratings < MIN_RATINGS or users < MIN_USERS:
            hidden, hidden_ratings = hidden + 1, hidden_ratings + int(ratings)
            continue
        shown.append(
            AgentScore(
                agent,
                int(ratings),
                int(users),
                _mean(s_sum, s_n),
                _mean(a_sum, a_n),
                _mean(s_sum + a_sum, s_n + a_n),
            )
        )
        sums = [sums[0] + s_sum, sums[1] + s_n, sums[2] + a_sum, sums[3] + a_n]
    return Satisfaction(
        RULE,
        tuple(shown),
        hidden,
        hidden_ratings,
        _mean(sums[0], sums[1]),
        _mean(sums[2], sums[3]),
        _mean(sums[0] + sums[2], sums[1] + sums[3]),
    )
