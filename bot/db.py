"""Shared database plumbing: one declarative Base, engines, sessions and migrations."""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import declarative_base, sessionmaker
from sqlalchemy.pool import QueuePool

Base = declarative_base()

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x444A504B  # "DJPK": the advisory lock key of schema upgrades on PostgreSQL


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite files get their folder, WAL mode and a busy timeout."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        # SQLAlchemy 1.4 opens a new SQLite connection per session by default (NullPool);
        # keeping a small pool open halves the cost of every ticket and hand-off query.
        engine = create_engine(
            url,
            future=True,
            poolclass=QueuePool,
            pool_size=5,
            max_overflow=10,
            connect_args={"check_same_thread": False},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def upgrade(engine: Engine) -> None:
    """Bring the schema to every Alembic head (each feature branches from 0001).

    On PostgreSQL a transaction-scoped advisory lock serialises processes that start together
    (several hosts on one database): the second waits, then finds the schema current."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


@cache
def engine_for(url: str) -> Engine:
    """One migrated engine per URL for the life of the process."""
    engine = make_engine(url)
    upgrade(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker:
    """Sessions that do not expire objects on commit (records are read after commit)."""
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)
