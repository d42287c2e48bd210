"""CSAT per agent: shown only with at least 5 ratings from at least 5 different users."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.db import make_engine, upgrade
from bot.report.figures.satisfaction import satisfaction
from bot.report.period import Month
from bot.tickets.records import NewTicket
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel, Topic

START = datetime(2023, 2, 6, 3, 0, tzinfo=timezone.utc)  # Monday 6 February 2023, 10.00 WIB


def _rate(store: SqlTicketStore, agent: str, user: str, n: int, service: int, answer: int):
    at = START + timedelta(hours=n)
    ticket, _ = store.create_for_conversation(
        NewTicket(user, Channel.WHATSAPP, Topic.DAU, "Penyaluran DAU"), at
    )
    store.claim(ticket.id, agent, at)
    store.resolve(ticket.id, agent, at + timedelta(minutes=5))
    store.set_csat(ticket.id, at + timedelta(minutes=6), service=service, answer=answer)


def test_only_agents_meeting_the_rule_are_shown(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'csat.db'}")
    upgrade(engine)
    store = SqlTicketStore(engine)
    n = 0
    for user in range(5):  # 5 ratings from 5 users: shown
        _rate(store, "Nuryani", f"62811{user}", n := n + 1, 5, 4)
    for user in (0, 0, 1, 1, 2, 3):  # 6 ratings, only 4 users: hidden
        _rate(store, "Rahmat", f"62822{user}", n := n + 1, 1, 1)
    for user in range(4):  # 4 ratings from 4 users: hidden
        _rate(store, "Baru", f"62833{user}", n := n + 1, 2, 2)
    with engine.connect() as connection:
        result = satisfaction(connection, Month(2023, 2))
    assert [(a.agent, a.ratings, a.users) for a in result.agents] == [("Nuryani", 5, 5)]
    agent = result.agents[0]
    assert (float(agent.service), float(agent.answer), float(agent.overall)) == (5.0, 4.0, 4.5)
    assert (result.hidden_agents, result.hidden_ratings) == (2, 10)
    assert float(result.overall) == 4.5
    with engine.connect() as connection:
        assert satisfaction(connection, Month(2023, 3)).agents == ()
