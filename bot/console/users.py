"""Console accounts: roles, bcrypt password hashes, and the store that checks logins."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cached_property

import bcrypt
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.clock import Clock, utcnow
from bot.console.tables import ConsoleUserRow
from bot.db import session_factory

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL = re.compile(r"^[^@\s,;<>\"]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$")
MIN_PASSWORD = 10


class Role(str, Enum):
    """What a console user may do."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    UNIT_PIC = "unit_pic"


class UserError(ValueError):
    """A username, password, role or unit that cannot be accepted."""


@dataclass(frozen=True)
class ConsoleUser:
    """A console account as the API sees it (never its hash)."""

    id: int
    username: str
    role: Role
    unit: str | None
    active: bool = True
    email: str | None = None  # the monthly knowledge-base review is sent here (unit PICs)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {"username": self.username, "role": self.role.value, "unit": self.unit}


def _prehash(password: str) -> bytes:
    """SHA-256 first, so passwords longer than bcrypt's 72 bytes still count in full."""
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def _record(row: ConsoleUserRow) -> ConsoleUser:
    return ConsoleUser(
        row.id, row.username, Role(row.role), row.unit, bool(row.active), row.email or None
    )


def checked_email(email: str | None) -> str | None:
    """An e-mail address lowercased, or None for none; UserError when it is not one."""
    if email is None or not email.strip():
        return None
    address = email.strip().lower()
    if not EMAIL.match(address):
        raise UserError(f"email: {email!r} is not an e-mail address")
    return address


class UserStore:
    """Console users in the shared database."""

    def __init__(self, engine: Engine, rounds: int = 12, clock: Clock = utcnow) -> None:
        self._sessions = session_factory(engine)
        self.rounds, self.clock = rounds, clock

    @cached_property
    def _dummy_hash(self) -> bytes:
        """Checked against for unknown users, so a login takes as long either way."""
        return bcrypt.hashpw(b"no such user", bcrypt.gensalt(self.rounds))

    def hash(self, password: str) -> str:
        """A bcrypt hash of the password."""
        return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(self.rounds)).decode("ascii")

    def add(
        self,
        username: str,
        password: str,
        role: Role | str,
        unit: str | None = None,
        units: Iterable[str] = (),
        email: str | None = None,
    ) -> ConsoleUser:
        """Create an account; UserError on a bad name, short password, taken name, bad unit or
        bad e-mail address."""
        role, username = Role(role), username.strip().lower()
        address = checked_email(email)
        if not USERNAME.match(username):
            raise UserError("username: 2-64 of a-z 0-9 . _ -, starting with a letter or digit")
        if len(password) < MIN_PASSWORD:
            raise UserError(f"password: at least {MIN_PASSWORD} characters")
        known = set(units)
        if role is Role.UNIT_PIC and (not unit or (known and unit not in known)):
            raise UserError(f"a unit PIC needs --unit, one of: {', '.join(sorted(known))}")
        if role is not Role.UNIT_PIC and unit:
            raise UserError("only a unit_pic has a unit")
        now = self.clock()
        row = ConsoleUserRow(
            username=username,
            password_hash=self.hash(password),
            role=role.value,
            unit=unit or None,
            email=address,
            active=True,
            created_at=now,
            updated_at=now,
        )
        try:
            with self._sessions() as session, session.begin():
                session.add(row)
                session.flush()
                return _record(row)
        except IntegrityError as error:
            raise UserError(f"user {username!r} already exists") from error

    def set_password(self, username: str, password: str) -> ConsoleUser:
        """Replace a user's password."""
        if len(password) < MIN_PASSWORD:
            raise UserError(f"password: at least {MIN_PASSWORD} characters")
        with self._sessions() as session, session.begin():
            row = session.execute(
                select(ConsoleUserRow).where(ConsoleUserRow.username == username.lower())
            ).scalar_one_or_none()
            if row is None:
                raise UserError(f"no user {username!r}")
            row.password_hash, row.updated_at = self.hash(password), self.clock()
            return _record(row)

    def set_email(self, username: str, email: str | None) -> ConsoleUser:
        """Set (or, with None or "", clear) a user's e-mail address."""
        address = checked_email(email)
        with self._sessions() as session, session.begin():
            row = session.execute(
                select(ConsoleUserRow).where(ConsoleUserRow.username == username.lower())
            ).scalar_one_or_none()
            if row is None:
                raise UserError(f"no user {username!r}")
            row.email, row.updated_at = address, self.clock()
            return _record(row)

    def pic_emails(self) -> dict[str, list[str]]:
        """Unit -> the e-mail addresses of its active unit PICs (those that have one)."""
        query = select(ConsoleUserRow.unit, ConsoleUserRow.email).where(
            ConsoleUserRow.role == Role.UNIT_PIC.value,
            ConsoleUserRow.active.is_(True),
            ConsoleUserRow.email.isnot(None),
        )
        found: dict[str, list[str]] = {}
        with self._sessions() as session:
            for unit, email in session.execute(query.order_by(ConsoleUserRow.username)):
                if unit and email:
                    found.setdefault(unit, []).append(email)
        return found

    def get(self, user_id: int) -> ConsoleUser | None:
        """The account with this id."""
        with self._sessions() as session:
            row = session.get(ConsoleUserRow, user_id)
            return _record(row) if row else None

    def list(self) -> list[ConsoleUser]:
        """Every account, by username."""
        with self._sessions() as session:
            rows = session.execute(select(ConsoleUserRow).order_by(ConsoleUserRow.username))
            return [_record(row) for row in rows.scalars()]

    def authenticate(self, username: str, password: str) -> ConsoleUser | None:
        """The active user when the password matches, else None (same work either way)."""
        with self._sessions() as session, session.begin():
            row = session.execute(
                select(ConsoleUserRow).where(ConsoleUserRow.username == username.strip().lower())
            ).scalar_one_or_none()
            stored = row.password_hash.encode("ascii") if row else self._dummy_hash
            matches = bcrypt.checkpw(_prehash(password), stored)
            if row is None or not matches or not row.active:
                return None
            row.last_login_at = self.clock()
            return _record(row)
