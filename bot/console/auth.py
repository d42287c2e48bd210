"""Login, logout and the guard in front of every API route: session cookie, CSRF, same origin."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.responses import BadRequest, body, error, read_body, reply, text_field
from bot.console.services import ConsoleServices
from bot.console.sessions import COOKIE, ConsoleSession

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def same_origin(request: Request) -> bool:
    """True without an Origin header (not a browser) or when it names this very host."""
    origin = request.headers.get("origin")
    if not origin:
        return True
    parts = urlsplit(origin.strip().lower())
    return parts.scheme in ("http", "https") and parts.netloc == request.host.lower()


class Guard:
    """Resolves the session of a request and protects handlers with it."""

    def __init__(self, services: ConsoleServices, cookie_path: str, secure: str = "auto") -> None:
        self.services, self.cookie_path, self.secure = services, cookie_path, secure

    async def session(self, request: Request) -> ConsoleSession | None:
        """The request's live session, if its cookie carries one."""
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            return None
        return await asyncio.to_thread(self.services.sessions.resolve, cookie)

    def protect(self, handler: Handler) -> Handler:
        """401 without a session; on POST, 403 without its CSRF token or from another origin."""

        @wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            session = await self.session(request)
            if session is None:
                return error(401, "login required")
            if request.method not in SAFE_METHODS:
                if not same_origin(request):
                    return error(403, "cross-origin request refused")
                if not session.csrf_ok(request.headers.get(CSRF_HEADER)):
                    return error(403, "missing or wrong CSRF token")
            request.ctx.session = session
            try:
                return await handler(request, *args, **kwargs)
            except BadRequest as exc:
                return error(400, str(exc))

        return guarded

    def _secure(self, request: Request) -> bool:
        if self.secure in ("true", "false"):
            return self.secure == "true"
        forwarded = request.headers.get("x-forwarded-proto", "")
        return request.scheme == "https" or forwarded.lower() == "https"

    def set_cookie(self, response: HTTPResponse, request: Request, value: str) -> None:
        """The session cookie: HttpOnly, SameSite=Strict, only for the console's path."""
        response.cookies[COOKIE] = value
        cookie = response.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = self.cookie_path
        cookie["max-age"] = int(self.services.sessions.lifetime.total_seconds())
        if self._secure(request):
            cookie["secure"] = True

    def clear_cookie(self, response: HTTPResponse) -> None:
        """Expire the session cookie."""
        response.cookies[COOKIE] = ""
        cookie = response.cookies[COOKIE]
        cookie["httponly"], cookie["samesite"] = True, "Strict"
        cookie["path"], cookie["max-age"] = self.cookie_path, 0

    def mount(self, blueprint: Blueprint) -> None:
        """POST /login, POST /logout and GET /api/me."""

        async def login(request: Request) -> HTTPResponse:
            return await self.login(request)

        blueprint.add_route(login, "/login", methods=["POST"], stream=True)
        blueprint.add_route(self.protect(self.logout), "/logout", methods=["POST"])
        blueprint.add_route(self.protect(self.me), "/api/me", methods=["GET"])

    async def login(self, request: Request) -> HTTPResponse:
        """Reserve a try (per account and address), check the password, start a session."""
        if not same_origin(request):
            return error(403, "cross-origin request refused")
        if (too_large := await read_body(request)) is not None:
            return too_large
        try:
            data = body(request)
            username = text_field(data, "username", 64).lower()
            password = data.get("password")
        except BadRequest as exc:
            return error(400, str(exc))
        if not isinstance(password, str) or not password or len(password) > 1024:
            return error(400, "password is required")
        limiter = self.services.limiter
        attempt = limiter.reserve(username, request.remote_addr or request.ip)
        if not attempt.allowed:  # refused before bcrypt runs
            retry = str(int(attempt.retry_after) + 1)
            response = error(429, "too many failed logins, try again later", retry_after=retry)
            response.headers["Retry-After"] = retry
            return response
        try:
            user = await asyncio.to_thread(self.services.users.authenticate, username, password)
        except Exception:  # a database error: the try is not counted
            limiter.release(attempt)
            raise
        except BaseException:  # a dropped request (cancelled): counted, so drops buy no bcrypt
            limiter.failed(attempt)
            raise
        if user is None:
            limiter.failed(attempt)
            return error(401, "wrong username or password")
        limiter.succeeded(attempt)
        cookie, session = await asyncio.to_thread(self.services.sessions.open, user)
        response = reply({"user": user.to_dict(), "csrf_token": session.csrf_token})
        self.set_cookie(response, request, cookie)
        return response

    async def logout(self, request: Request) -> HTTPResponse:
        """End the session and expire the cookie."""
        await asyncio.to_thread(self.services.sessions.close, request.cookies.get(COOKIE))
        response = reply({"status": "logged out"})
        self.clear_cookie(response)
        return response

    async def me(self, request: Request) -> HTTPResponse:
        """Who is logged in, and the CSRF token the page sends with every POST."""
        session: ConsoleSession = request.ctx.session
        return reply({"user": session.user.to_dict(), "csrf_token": session.csrf_token})
