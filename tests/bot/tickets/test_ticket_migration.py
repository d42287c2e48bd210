"""Migration 0003 from an empty database, and the models matching it (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import Base, make_engine, upgrade
from bot.tickets import tables  # noqa: F401  (registers the tables on Base)

TABLES = {
    "tickets",
    "ticket_events",
    "ticket_messages",
    "ticket_counters",
    "handoffs",
    "user_profiles",
    "conversation_labels",
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def migrated(empty_url: str) -> Iterator:
    engine = make_engine(empty_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_upgrade_creates_the_ticket_tables(migrated) -> None:
    inspector = inspect(migrated)
    assert set(inspector.get_table_names()) >= TABLES
    with migrated.connect() as connection:
        heads = set(MigrationContext.configure(connection).get_current_heads())
    assert "reply_faq" in heads  # 0003, then the FAQ entry of agent replies on top
    columns = {c["name"]: c for c in inspector.get_columns("ticket_messages")}
    assert columns["faq_id"]["nullable"]
    indexes = {index["name"] for index in inspector.get_indexes("tickets")}
    assert {"ix_tickets_created", "ix_tickets_status_created", "ix_tickets_zone_created"} <= indexes
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("tickets")}
    uniques |= {
        tuple(i["column_names"]) for i in inspector.get_indexes("tickets") if i.get("unique")
    }
    assert ("open_key",) in uniques and ("number",) in uniques


def test_models_match_the_migration(migrated) -> None:
    with migrated.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)

    def table_of(diff) -> str | None:
        item = diff[0] if isinstance(diff, list) else diff
        for part in item[1:]:
            name = getattr(part, "name", None)
            table = getattr(part, "table", None)
            if table is not None and getattr(table, "name", None):
                return table.name
            if isinstance(part, str) and part in TABLES:
                return part
            if name in TABLES:
                return name
        return None

    ours = [diff for diff in diffs if table_of(diff) in TABLES]
    assert ours == []


def test_upgrade_twice_is_a_no_op(migrated) -> None:
    upgrade(migrated)
    assert set(inspect(migrated).get_table_names()) >= TABLES
