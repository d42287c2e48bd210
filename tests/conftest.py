"""Shared fixtures: throwaway PostgreSQL databases on 127.0.0.1:5432 (skipped if it is down),
and the end-to-end stacks the whole session shares (see tests/stacks.py for how to use them)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from harness.fakes.fake_graph import FakeGraph
from harness.stack import Stack
from tests.stacks import (
    CONSOLE_AGENTS,
    MODEL,
    SUPERVISOR,
    SUPERVISOR_PASSWORD,
    WEDNESDAY_10_WIB,
    WHATSAPP_SECRET,
    WHATSAPP_TOKEN,
    WHATSAPP_VERIFY,
    add_console_user,
    faketime_env,
    kb_copy,
    stack_env,
    start_stack,
    without_otsus,
)

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


# ---- shared end-to-end stacks ---------------------------------------------------------------
# One Rasa + action server stack per kind of configuration for the whole session: started by the
# first test that asks for it, stopped after the last test that does (pytest_runtest_teardown
# below), so that no more than a few stacks run at once. Tests keep apart by their own
# conversation ids; the console accounts below exist on every stack that has the console on.

SHARED_STACKS = {"open_stack", "wednesday_stack"}
_SHARED: dict[str, Stack] = {}  # fixture name -> its running stack


def _shared(name: str, start: Callable[[], Stack]) -> Iterator[Stack]:
    """Run the stack `start` returns for the session, known under the fixture's `name`."""
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    running = _SHARED[name] = start()
    try:
        yield running
    finally:
        _SHARED.pop(name, None)
        running.stop()


@pytest.hookimpl(trylast=True)  # after the test's own fixtures are torn down
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Stop a shared stack as soon as no test left in the session asks for it."""
    if not _SHARED:
        return
    last = _last_users(item.session)
    for name in list(_SHARED):
        if last.get(name) is item or nextitem is None:
            _SHARED.pop(name).stop()


def _last_users(session: pytest.Session) -> dict[str, pytest.Item]:
    """The last test of the session that asks for each shared stack (computed once)."""
    found = getattr(session, "_djpk_last_users", None)
    if found is None:
        found = {}
        for each in session.items:
            for name in SHARED_STACKS.intersection(getattr(each, "fixturenames", ())):
                found[name] = each
        session._djpk_last_users = found  # type: ignore[attr-defined]
    return found


@pytest.fixture(scope="session")
def open_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The knowledge base of `open_stack`, open every day around the clock. A test that edits
    it puts the file back when it is done."""
    return kb_copy(tmp_path_factory.mktemp("open-kb"))


@pytest.fixture(scope="session")
def fake_graph() -> Iterator[FakeGraph]:
    """The fake WhatsApp Graph API `open_stack` sends to (filter its messages by recipient)."""
    graph = FakeGraph(token=WHATSAPP_TOKEN).start()
    yield graph
    graph.stop()


@pytest.fixture(scope="session")
def open_stack(
    open_kb: Path, fake_graph: FakeGraph, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The assistant open around the clock with every channel (REST, socket.io, WhatsApp signed
    with WHATSAPP_SECRET and answering to `fake_graph`) and the console, agents rina and sari;
    its own databases under `stack.env["DJPK_VAR_DIR"]`."""
    var = tmp_path_factory.mktemp("open-var")
    env = stack_env(
        open_kb,
        var,
        {
            "DJPK_CONSOLE_SECRET": "open-stack-secret-0123456789abcdef",
            "WHATSAPP_APP_SECRET": WHATSAPP_SECRET,
            "WHATSAPP_ACCESS_TOKEN": WHATSAPP_TOKEN,
            "WHATSAPP_GRAPH_URL": fake_graph.url,
            "WHATSAPP_VERIFY_TOKEN": WHATSAPP_VERIFY,
        },
    )

    def start() -> Stack:
        for name, password in CONSOLE_AGENTS.items():
            add_console_user(env, name, "agent", password)
        return start_stack(open_kb, var, env=env)

    yield from _shared("open_stack", start)


@pytest.fixture(scope="session")
def wednesday_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The knowledge base of `wednesday_stack`: the real service hours, without the Otsus
    entry (the FAQ tests ask for it)."""
    return without_otsus(kb_copy(tmp_path_factory.mktemp("wednesday-kb"), open_all_day=False))


@pytest.fixture(scope="session")
def wednesday_stack(
    wednesday_kb: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The assistant on a Wednesday morning, agents on duty: the action server's clock starts at
    10.00 WIB (libfaketime) whatever today is; the Rasa server keeps the real clock. The release
    at closing time runs only when a test asks (supervisor spv, POST /api/release)."""
    fake = faketime_env(WEDNESDAY_10_WIB)
    var = tmp_path_factory.mktemp("wednesday-var")
    env = {
        "DJPK_RELEASE_INTERVAL_S": "0",
        "DJPK_CONSOLE_SECRET": "wednesday-stack-secret-0123456789ab",
    }

    def start() -> Stack:
        add_console_user(
            stack_env(wednesday_kb, var, env), SUPERVISOR, "supervisor", SUPERVISOR_PASSWORD
        )
        return start_stack(wednesday_kb, var, env=env, action_env=fake)

    yield from _shared("wednesday_stack", start)
