"""Accounts, sessions and the login limiter as units, and the add-user / list-users CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.console.limits import LoginLimiter
from bot.console.sessions import IDLE, LIFETIME, SessionStore
from bot.console.users import Role, UserError, UserStore
from bot.db import make_engine, upgrade

ROOT = Path(__file__).resolve().parents[3]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def engine(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def test_accounts_validate_name_password_role_and_unit(engine) -> None:
    users = UserStore(engine, rounds=4)
    user = users.add("Rina.Agen", "panjang-sekali-1", Role.AGENT)
    assert (user.username, user.role, user.unit) == ("rina.agen", Role.AGENT, None)
    with pytest.raises(UserError, match="already exists"):
        users.add("rina.agen", "panjang-sekali-1", "agent")
    with pytest.raises(UserError, match="at least 10"):
        users.add("budi", "pendek", "agent")
    with pytest.raises(UserError, match="username"):
        users.add("<script>", "panjang-sekali-1", "agent")
    with pytest.raises(UserError, match="needs --unit"):
        users.add("pic", "panjang-sekali-1", "unit_pic", units=["sekretariat"])
    with pytest.raises(UserError, match="needs --unit"):
        users.add("pic", "panjang-sekali-1", "unit_pic", "gudang", units=["sekretariat"])
    with pytest.raises(UserError, match="only a unit_pic"):
        users.add("spv", "panjang-sekali-1", "supervisor", "sekretariat")


def test_long_passwords_count_in_full(engine) -> None:
    users = UserStore(engine, rounds=4)
    long = "a" * 80 + "1"
    users.add("rina", long, "agent")
    assert users.authenticate("rina", long) is not None
    assert users.authenticate("rina", "a" * 80 + "2") is None  # bcrypt alone would cut at 72


def test_sessions_expire_when_idle_or_old(engine) -> None:
    clock = Clock()
    users = UserStore(engine, rounds=4, clock=clock)
    user = users.add("rina", "panjang-sekali-1", "agent")
    sessions = SessionStore(engine, b"0123456789abcdef0123", users, clock)
    cookie, session = sessions.open(user)
    assert sessions.resolve(cookie).csrf_token == session.csrf_token
    clock.now += IDLE - timedelta(minutes=1)
    assert sessions.resolve(cookie) is not None  # used: the idle timer restarts
    clock.now += LIFETIME - IDLE
    assert sessions.resolve(cookie) is not None  # 11 h 59 min old, used 4 h ago
    clock.now += timedelta(minutes=2)
    assert sessions.resolve(cookie) is None  # past the absolute lifetime
    idle_cookie, _ = sessions.open(user)
    clock.now += IDLE
    assert sessions.resolve(idle_cookie) is None
    other = SessionStore(engine, b"another-secret-0123456", users, clock)
    fresh, _ = sessions.open(user)
    assert other.resolve(fresh) is None  # signed with another secret


def test_limiter_counts_failures_per_key_within_the_window() -> None:
    now = [0.0]
    limiter = LoginLimiter(attempts=3, address_attempts=3, window=60, now=lambda: now[0])
    for _ in range(2):
        attempt = limiter.reserve("rina", "1")
        assert attempt.allowed
        limiter.failed(attempt)
    now[0] = 61  # the first two failures are out of the window
    for _ in range(2):
        limiter.failed(limiter.reserve("rina", "1"))
    assert limiter.reserve("rina", "2").allowed
    assert limiter.reserve("budi", "1").allowed


def test_session_lifetime_and_idle_timeout_are_configurable(engine) -> None:
    clock = Clock()
    users = UserStore(engine, rounds=4, clock=clock)
    user = users.add("rina", "panjang-sekali-1", "agent")
    secret = b"0123456789abcdef0123"
    sessions = SessionStore(
        engine, secret, users, clock, lifetime=timedelta(hours=1), idle=timedelta(minutes=30)
    )
    cookie, session = sessions.open(user)
    assert session.expires_at == clock.now + timedelta(hours=1)
    clock.now += timedelta(minutes=29)
    assert sessions.resolve(cookie) is not None
    clock.now += timedelta(minutes=29)
    assert sessions.resolve(cookie) is not None  # used 29 minutes ago
    clock.now += timedelta(minutes=2)
    assert sessions.resolve(cookie) is None  # an hour old
    with pytest.raises(ValueError):
        SessionStore(engine, secret, users, clock, lifetime=timedelta(0))


def _cli(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJPK_DB_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "DJPK_VAR_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.console", *args],
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_adds_and_lists_users(tmp_path: Path) -> None:
    added = _cli(tmp_path, "add-user", "rina", "--role", "agent", stdin="rahasia-rina-2026\n")
    assert added.returncode == 0, added.stderr
    assert "created agent rina" in added.stdout
    pic = _cli(
        tmp_path,
        "add-user",
        "pic",
        "--role",
        "unit_pic",
        "--unit",
        "dana-transfer-umum",
        stdin="rahasia-pic-2026\n",
    )
    assert pic.returncode == 0, pic.stderr
    bad = _cli(
        tmp_path,
        "add-user",
        "pic2",
        "--role",
        "unit_pic",
        "--unit",
        "gudang",
        stdin="rahasia-pic-2026\n",
    )
    assert bad.returncode == 1 and "sekretariat" in bad.stderr
    short = _cli(tmp_path, "add-user", "budi", "--role", "agent", stdin="pendek\n")
    assert short.returncode == 1
    listed = _cli(tmp_path, "list-users", "--json")
    assert json.loads(listed.stdout) == [
        {"username": "pic", "role": "unit_pic", "unit": "dana-transfer-umum", "active": True},
        {"username": "rina", "role": "agent", "unit": None, "active": True},
    ]
    assert "rahasia" not in listed.stdout + _cli(tmp_path, "list-users").stdout
