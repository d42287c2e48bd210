"""The action server's door: rasa_sdk's app on loopback by default, behind a Bearer token.

rasa_sdk 3.6's `rasa run actions` listens on 0.0.0.0 with no authentication, so anyone who can
reach :5055 can POST a forged tracker to /webhook and run any action. `python -m actions`
(actions/__main__.py) serves the same rasa_sdk app, but on DJPK_ACTION_HOST (default 127.0.0.1)
and, when DJPK_ACTION_TOKEN is set, refuses every request except GET /health that lacks
`Authorization: Bearer <token>` (Rasa sends it: `action_endpoint.headers` in endpoints.yml).
A host beyond loopback without a token is refused before anything listens. No Action subclass
lives here (rasa_sdk registers every one it can see).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time
import types

from rasa_sdk import endpoint
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

PACKAGE = "actions"
WARM_UP_QUERY = "nomor wa djpk berapa"  # any question: it loads the encoder and the index
OPEN_PATHS = frozenset({"/health"})  # for load balancers and start-up probes; says only "ok"
MIN_TOKEN_CHARS = 16  # off loopback: a guessable token is no door


class DoorError(ValueError):
    """The server would listen beyond this machine with no token."""


def is_loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses (127.0.0.0/8, ::1); False for any other."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve anywhere
        return False


def check_door(host: str, token: str) -> None:
    """Raise DoorError when `host` is not loopback and no token (of MIN_TOKEN_CHARS) guards it."""
    if is_loopback(host):
        return
    if not token:
        raise DoorError(
            f"DJPK_ACTION_HOST={host} would open the action server to other machines without "
            "authentication. Set DJPK_ACTION_TOKEN (the Rasa servers need the same value), or "
            "keep the default host 127.0.0.1."
        )
    if len(token) < MIN_TOKEN_CHARS:
        raise DoorError(
            f"DJPK_ACTION_TOKEN is too short for DJPK_ACTION_HOST={host}: use at least "
            f"{MIN_TOKEN_CHARS} characters (e.g. python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')."
        )


def authorised(header: str, token: str) -> bool:
    """True when an Authorization header value is `Bearer <token>` (constant-time compare)."""
    scheme, _, given = header.strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def require_token(app: Sanic, token: str) -> None:
    """Answer 401 to every request but OPEN_PATHS that does not carry the token."""

    @app.middleware("request")
    async def door(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if authorised(request.headers.get("Authorization", ""), token):
            return None
        return response.json({"error": "unauthorised"}, status=401)


def create_app(token: str, package: str | types.ModuleType = PACKAGE) -> Sanic:
    """rasa_sdk's action server app for `package`, with the token check when `token` is set.

    No CORS origin is allowed (rasa_sdk allows `*`): only the Rasa server calls this app, never a
    browser.
    """
    app = endpoint.create_app(package, cors_origins="")
    if token:
        require_token(app, token)
    return app


def warm_up() -> float:
    """Load the knowledge base, its vectors and the encoder before the server answers, so the
    first user does not wait for them (on a busy machine that took over a minute and Rasa's call
    timed out). A broken knowledge base is logged and served as the store decides; the server
    starts anyway. Returns the seconds it took."""
    from actions import services

    started = time.monotonic()
    try:
        kb = services.knowledge_base()
        kb.search(WARM_UP_QUERY)
        services.ticket_service()
    except Exception:  # the first request will report it to the user; the server must start
        logger.exception("Warming up the action server failed; continuing")
    took = time.monotonic() - started
    logger.info("Action server warmed up in %.1f s", took)
    return took
