"""Keep-alive HTTP for Rasa's endpoints (custom actions, callback replies, model server).

Rasa 3.6 opens a new aiohttp session for every `EndpointConfig.request`: every custom action
call pays a DNS lookup of the action server's host (in a thread), a TCP handshake and a close,
and leaves a socket in TIME_WAIT. py-spy on the Rasa server under `bench.rasa_stack` put that at
about a tenth of the server's work per FAQ turn. `install()` makes `EndpointConfig.session()`
hand out one long-lived session per event loop and endpoint settings instead; the request code
of Rasa is unchanged.

Idle connections are dropped after KEEPALIVE_SECONDS, below the 5 s after which Sanic (the action
server) closes them, so a request never goes out on a connection the server is closing.
"""

from __future__ import annotations

import asyncio
import atexit
from typing import Any

import aiohttp
from rasa.utils import endpoints

KEEPALIVE_SECONDS = 4.0

_sessions: dict[tuple, aiohttp.ClientSession] = {}


class _Borrowed:
    """`async with` yields the shared session and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_exc: Any) -> None:
        return None


def _key(config: endpoints.EndpointConfig, loop: asyncio.AbstractEventLoop) -> tuple:
    auth = config.basic_auth or {}
    return (
        id(loop),
        tuple(sorted((config.headers or {}).items())),
        auth.get("username"),
        auth.get("password"),
    )


def _drop_closed_loops() -> None:
    for key, session in list(_sessions.items()):
        if session.closed or session._loop.is_closed():
            _close(session)
            del _sessions[key]


def pooled_session(config: endpoints.EndpointConfig) -> _Borrowed:
    """Replacement for `EndpointConfig.session`: the shared session of this loop and settings."""
    loop = asyncio.get_running_loop()
    key = _key(config, loop)
    session = _sessions.get(key)
    if session is None or session.closed or session._loop is not loop:
        _drop_closed_loops()
        auth = config.basic_auth
        session = aiohttp.ClientSession(
            headers=config.headers,
            auth=aiohttp.BasicAuth(auth["username"], auth["password"]) if auth else None,
            timeout=aiohttp.ClientTimeout(total=endpoints.DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
        _sessions[key] = session
    return _Borrowed(session)


def _close(session: aiohttp.ClientSession) -> None:
    """Close a session's sockets without awaiting (its loop may be gone)."""
    connector = session.connector
    if connector is not None and not connector.closed:
        connector._close()


@atexit.register
def close_all() -> None:
    """Close every pooled session (at exit: no "Unclosed client session" noise)."""
    for session in _sessions.values():
        _close(session)
    _sessions.clear()


def install() -> None:
    """Route every `EndpointConfig` through the pooled sessions (idempotent)."""
    endpoints.EndpointConfig.session = pooled_session
