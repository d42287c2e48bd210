"""Console sessions on a real SQLite database: a login deletes the sessions that have ended."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select

from bot.console.sessions import SessionStore
from bot.console.tables import ConsoleSessionRow
from bot.console.users import UserStore
from bot.db import engine_for

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_a_login_deletes_sessions_expired_or_idle_and_keeps_live_ones(tmp_path: Path) -> None:
    engine = engine_for(f"sqlite:///{tmp_path / 'djpk.db'}")
    users = UserStore(engine, rounds=4)
    user = users.add("rina", "panjang-sekali-1", "agent")
    clock = [NOW - timedelta(hours=13)]
    store = SessionStore(engine, b"0123456789abcdef0123", users, clock=lambda: clock[0])
    store.open(user)  # past its 12 h lifetime at NOW
    clock[0] = NOW - timedelta(hours=9)
    store.open(user)  # idle for 9 h > 8 h at NOW
    clock[0] = NOW - timedelta(hours=1)
    live, _ = store.open(user)
    clock[0] = NOW
    fresh, _ = store.open(user)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(ConsoleSessionRow)).scalar() == 2
    assert store.resolve(live) is not None and store.resolve(fresh) is not None
