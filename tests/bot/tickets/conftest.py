"""Ticket store fixtures, run on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.db import make_engine, upgrade
from bot.tickets.store import SqlConversationState, SqlTicketStore

TABLES = (
    "conversation_labels, user_profiles, handoffs, ticket_counters, ticket_messages, "
    "ticket_events, tickets"
)


@pytest.fixture(scope="session")
def postgres_engine(postgres_session_url: str) -> Iterator[Engine]:
    """One migrated PostgreSQL database for the ticket tests (tables emptied per test)."""
    engine = make_engine(postgres_session_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A migrated, empty database of each kind."""
    if request.param == "postgresql":
        engine = request.getfixturevalue("postgres_engine")
        with engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        yield engine
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'tickets.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> SqlTicketStore:
    return SqlTicketStore(engine)


@pytest.fixture
def state(engine: Engine) -> SqlConversationState:
    """Pause, profiles and labels on the same database as `store`."""
    return SqlConversationState(engine)


@pytest.fixture
def now() -> datetime:
    """Monday 30 November 2026, 10.00 WIB."""
    return datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)
