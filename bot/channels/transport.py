"""The production HTTP transport of the Graph API client, on aiohttp."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import aiohttp

from bot.channels.graph_api import Response, TooLarge

CHUNK = 64 * 1024


class AiohttpTransport:
    """One aiohttp session per event loop, created on first use."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _current_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
            self._loop = loop
        return self._session

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        json_body: Any = None,
        max_bytes: int | None = None,
    ) -> Response:
        """Send one request; network failures and timeouts become ConnectionError (retried).

        A send cut off after Meta received it may be retried and arrive twice; that is
        preferred to losing a reply (the stale keep-alive case, the common one, is safe).
        """
        session = self._current_session()
        try:
            async with session.request(method, url, headers=dict(headers), json=json_body) as resp:
                declared = resp.content_length
                if max_bytes is not None and declared is not None and declared > max_bytes:
                    raise TooLarge(f"{declared} bytes declared, limit {max_bytes}")
                body = bytearray()
                async for chunk in resp.content.iter_chunked(CHUNK):
                    body.extend(chunk)
                    if max_bytes is not None and len(body) > max_bytes:
                        raise TooLarge(f"more than {max_bytes} bytes")
                lowered = {key.lower(): value for key, value in resp.headers.items()}
                return Response(resp.status, bytes(body), lowered)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            raise ConnectionError(f"{type(exc).__name__}: {exc}") from exc

    async def close(self) -> None:
        """Close the session if one is open."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
