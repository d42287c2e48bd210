"""Shared fixtures: throwaway PostgreSQL databases on 127.0.0.1:5432 (skipped if it is down)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

PG_HOST = os.environ.get("DJPK_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("DJPK_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("DJPK_TEST_PG_USER", "postgres")


def _temporary_database() -> Iterator[str]:
    try:
        import psycopg2
    except ImportError:
        pytest.skip("psycopg2 is not installed")
    try:
        admin = psycopg2.connect(
            host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", connect_timeout=3
        )
    except psycopg2.OperationalError as error:
        pytest.skip(f"PostgreSQL does not answer at {PG_HOST}:{PG_PORT}: {error}".strip())
    admin.autocommit = True
    name = f"djpk_test_{uuid.uuid4().hex[:16]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg2://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a new, empty database, dropped (connections and all) after the test."""
    yield from _temporary_database()


@pytest.fixture(scope="session")
def postgres_session_url() -> Iterator[str]:
    """Like postgres_url, but one database for the whole run: suites must clean their tables."""
    yield from _temporary_database()


@pytest.fixture(scope="module")
def postgres_module_url() -> Iterator[str]:
    """Like postgres_url, for a module-scoped fixture (a stack started once per module)."""
    yield from _temporary_database()
