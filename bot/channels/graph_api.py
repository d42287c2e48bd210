"""WhatsApp Cloud API client over a swappable transport, with bounded retries and typed errors."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.channels.outbound import read_receipt

logger = logging.getLogger(__name__)

OUTSIDE_WINDOW = 131047
# Meta's WhatsApp Cloud API error codes
# (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes); Meta asks
# clients to act on `code`, not on the HTTP status, and answers most throttling with HTTP 400.
# Throttling: 4 API Too Many Calls (app rate limit), 80007 WABA rate limit, 130429 Cloud API
# throughput reached, 131056 (business, consumer) pair rate limit: retried with backoff.
RATE_LIMIT_CODES = frozenset({4, 80007, 130429, 131056})
# Transient: 2 API Service (temporary downtime or overload), 131000 Something went wrong,
# 131016 Service unavailable: retried with backoff whatever the HTTP status.
TRANSIENT_CODES = frozenset({2, 131000, 131016})
RETRY_CODES = RATE_LIMIT_CODES | TRANSIENT_CODES
# Permanent: never retried, even when Meta wraps them in a 5xx: 100 invalid parameter,
# 190 access token expired, 131026 message undeliverable, 131047 outside the 24-hour window.
PERMANENT_CODES = frozenset({100, 190, 131026, OUTSIDE_WINDOW})
_TITLE_PREFIX = re.compile(r"^\(#\d+\)\s*")


@dataclass(frozen=True)
class Response:
    """What a transport hands back: status, lower-cased headers and the raw body."""

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


class Transport(Protocol):
    """Sends one HTTP request; may raise ConnectionError when the server cannot be reached."""

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        json_body: Any = None,
        max_bytes: int | None = None,
    ) -> Response: ...

    async def close(self) -> None: ...


class TooLarge(Exception):
    """The response body is bigger than the caller allowed."""


class GraphError(Exception):
    """An error answered by the Graph API (or the network), with Meta's code and title."""

    def __init__(self, status: int, code: int | None, title: str, details: str = "") -> None:
        super().__init__(f"Graph API error {code} ({title}), HTTP {status}: {details}")
        self.status = status
        self.code = code
        self.title = title
        self.details = details

    @property
    def outside_window(self) -> bool:
        """True for 131047: the 24-hour customer service window is closed."""
        return self.code == OUTSIDE_WINDOW

    @property
    def retryable(self) -> bool:
        """Retry by Meta's code first (throttling/transient yes, permanent no), else by status.

        Without a known code: network failures, HTTP 429 and 5xx are retried, other 4xx never.
        """
        if self.code in PERMANENT_CODES:
            return False
        if self.code in RETRY_CODES:
            return True
        return self.status == 0 or self.status == 429 or self.status >= 500

    @classmethod
    def from_response(cls, response: Response) -> GraphError:
        """Read Meta's error envelope ({"error": {"code", "message", "error_data"...}})."""
        payload = response.json()
        error = payload.get("error", {}) if isinstance(payload, dict) else {}
        message = str(error.get("message", "")) or response.body[:200].decode("utf-8", "replace")
        title = error.get("error_user_title") or _TITLE_PREFIX.sub("", message)
        data = error.get("error_data")
        details = data.get("details", "") if isinstance(data, dict) else str(data or "")
        code = error.get("code")
        return cls(response.status, code if isinstance(code, int) else None, title, details)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: `attempts` tries in all, delays base*factor**n capped at max_delay."""

    attempts: int = 4
    base_delay: float = 0.5
    factor: float = 2.0
    max_delay: float = 8.0

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number `attempt` (1-based); honours Retry-After."""
        if retry_after and retry_after.strip().isdigit():
            return min(float(retry_after), self.max_delay)
        backoff = min(self.base_delay * self.factor ** (attempt - 1), self.max_delay)
        return backoff * random.uniform(0.8, 1.0)


@dataclass(frozen=True)
class MediaInfo:
    """Answer of GET /{media-id}: a short-lived download URL and what Meta knows of the file."""

    url: str
    mime_type: str = ""
    file_size: int | None = None
    sha256: str = ""


class GraphClient:
    """Calls the Cloud API endpoints the channel needs."""

    def __init__(
        self,
        transport: Transport,
        access_token: str,
        phone_number_id: str,
        graph_url: str = "https://graph.facebook.com/v19.0",
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.transport = transport
        self.phone_number_id = phone_number_id
        self.graph_url = graph_url.rstrip("/")
        self.retry = retry or RetryPolicy()
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._sleep = sleep

    async def _call(
        self, method: str, url: str, body: Any = None, max_bytes: int | None = None
    ) -> Response:
        for attempt in range(1, self.retry.attempts + 1):
            try:
                response = await self.transport.request(
                    method, url, headers=self._headers, json_body=body, max_bytes=max_bytes
                )
            except ConnectionError as exc:
                error, retry_after = GraphError(0, None, "network error", str(exc)), None
            else:
                if response.status < 400:
                    return response
                error = GraphError.from_response(response)
                retry_after = response.headers.get("retry-after")
            logger.warning(
                "WhatsApp Graph API %s %s failed (attempt %d/%d): code=%s title=%r HTTP %s %s",
                method,
                url.split("?", 1)[0],  # a media URL's query is its signature: never logged
                attempt,
                self.retry.attempts,
                error.code,
                error.title,
                error.status,
                error.details,
            )
            if not error.retryable or attempt == self.retry.attempts:
                raise error
            await self._sleep(self.retry.delay(attempt, retry_after))
        raise AssertionError("unreachable")

    async def send(self, message: dict[str, Any]) -> str:
        """POST a message body to /{phone-number-id}/messages; returns the new wamid."""
        url = f"{self.graph_url}/{self.phone_number_id}/messages"
        payload = (await self._call("POST", url, message)).json() or {}
        messages = payload.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    async def mark_read(self, wamid: str) -> None:
        """Mark an inbound message as read (blue ticks)."""
        url = f"{self.graph_url}/{self.phone_number_id}/messages"
        await self._call("POST", url, read_receipt(wamid))

    async def media_info(self, media_id: str) -> MediaInfo:
        """GET /{media-id}: the download URL (valid for minutes), type and size."""
        payload = (await self._call("GET", f"{self.graph_url}/{media_id}")).json() or {}
        size = payload.get("file_size", "")
        return MediaInfo(
            url=str(payload.get("url", "")),
            mime_type=str(payload.get("mime_type", "")),
            file_size=int(size) if str(size or "").isdigit() else None,
            sha256=str(payload.get("sha256", "")),
        )

    async def download(self, url: str, max_bytes: int) -> bytes:
        """Download media bytes with the bearer token; raises TooLarge past `max_bytes`."""
        return (await self._call("GET", url, max_bytes=max_bytes)).body

    async def close(self) -> None:
        """Release the transport's connections."""
        await self.transport.close()
