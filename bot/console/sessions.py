"""Console sessions: signed random tokens in an HttpOnly cookie, stored hashed, with CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_
from sqlalchemy.engine import Engine

from bot.clock import Clock, utcnow
from bot.console.tables import ConsoleSessionRow
from bot.console.users import ConsoleUser, UserStore
from bot.db import session_factory

COOKIE = "djpk_console"
IDLE = timedelta(hours=8)
LIFETIME = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)
_CONTEXT = b"djpk-console-session-v1"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class ConsoleSession:
    """A logged-in user and the CSRF token every POST of that session must carry."""

    user: ConsoleUser
    csrf_token: str
    expires_at: datetime

    def csrf_ok(self, token: str | None) -> bool:
        """Constant-time check of a submitted CSRF token."""
        if not token:
            return False
        return hmac.compare_digest(token.encode(), self.csrf_token.encode())


class SessionStore:
    """Opens, resolves and closes sessions; the cookie value is `<token>.<hmac>`. A session ends
    `lifetime` after login (default 12 h) or `idle` after its last request (default 8 h)."""

    def __init__(
        self,
        engine: Engine,
        secret: bytes,
        users: UserStore,
        clock: Clock = utcnow,
        lifetime: timedelta = LIFETIME,
        idle: timedelta = IDLE,
    ) -> None:
        if len(secret) < 16:
            raise ValueError("the console secret needs at least 16 bytes")
        if lifetime <= timedelta(0) or idle <= timedelta(0):
            raise ValueError("session lifetime and idle timeout must be positive")
        self.lifetime, self.idle = lifetime, idle
        self._key = hmac.new(secret, _CONTEXT, hashlib.sha256).digest()
        self._sessions = session_factory(engine)
        self.users, self.clock = users, clock

    def _sign(self, token: str) -> str:
        return hmac.new(self._key, token.encode("ascii"), hashlib.sha256).hexdigest()

    def _token(self, cookie: str | None) -> str | None:
        """The token of a cookie value this server signed, else None."""
        if not cookie or len(cookie) > 200 or not cookie.isascii():
            return None
        token, _, signature = cookie.partition(".")
        if not token or not hmac.compare_digest(signature.encode(), self._sign(token).encode()):
            return None
        return token

    def open(self, user: ConsoleUser) -> tuple[str, ConsoleSession]:
        """Start a session; returns the cookie value and the session. Sessions past their
        lifetime or idle timeout are deleted in the same transaction (the console's own prune)."""
        now, token = self.clock(), secrets.token_urlsafe(32)
        row = ConsoleSessionRow(
            token_hash=_digest(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
            expires_at=now + self.lifetime,
        )
        ended = or_(
            ConsoleSessionRow.expires_at <= now, ConsoleSessionRow.last_seen_at <= now - self.idle
        )
        with self._sessions() as session, session.begin():
            session.execute(delete(ConsoleSessionRow).where(ended))
            session.add(row)
        return f"{token}.{self._sign(token)}", ConsoleSession(user, row.csrf_token, row.expires_at)

    def resolve(self, cookie: str | None) -> ConsoleSession | None:
        """The live session behind a cookie, or None (bad signature, expired, idle, disabled)."""
        token = self._token(cookie)
        if token is None:
            return None
        now = self.clock()
        with self._sessions() as session, session.begin():
            row = session.get(ConsoleSessionRow, _digest(token))
            if row is None:
                return None
            if row.expires_at <= now or row.last_seen_at + self.idle <= now:
                session.delete(row)
                return None
            if now - row.last_seen_at >= TOUCH_EVERY:
                row.last_seen_at = now
            user_id, csrf, expires = row.user_id, row.csrf_token, row.expires_at
        user = self.users.get(user_id)
        if user is None or not user.active:
            return None
        return ConsoleSession(user, csrf, expires)

    def close(self, cookie: str | None) -> None:
        """End the session of this cookie (logout)."""
        token = self._token(cookie)
        if token is not None:
            with self._sessions() as session, session.begin():
                session.execute(
                    delete(ConsoleSessionRow).where(ConsoleSessionRow.token_hash == _digest(token))
                )
