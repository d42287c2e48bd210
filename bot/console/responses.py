"""JSON responses of the console API: never cached or sniffed, HTML-significant bytes escaped."""

from __future__ import annotations

import json
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import bodies

API_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
MAX_BODY = 64 * 1024


def dumps(data: Any) -> str:
    """JSON in which user text can never close a tag or open an entity, even if mis-served."""
    text = json.dumps(data, ensure_ascii=False)
    for raw, escaped in _ESCAPES.items():
        text = text.replace(raw, escaped)
    return text


def reply(data: Any, status: int = 200) -> HTTPResponse:
    """A JSON response with the API's headers."""
    return response.text(
        dumps(data), status=status, headers=API_HEADERS, content_type="application/json"
    )


def error(status: int, message: str, **extra: Any) -> HTTPResponse:
    """A JSON error: {"error": message, ...}."""
    return reply({"error": message, **extra}, status=status)


class BadRequest(Exception):
    """The request body is not the JSON object the endpoint expects."""


async def read_body(request: Request, limit: int = MAX_BODY) -> HTTPResponse | None:
    """Read a streamed route's body into request.body; a JSON 413 past `limit` bytes, before
    the rest is read (the connection then closes). A body Sanic already read is kept."""
    if request.body:
        return None
    try:
        request.body = await bodies.read_limited(request, limit)
    except bodies.BodyTooLarge:
        if request.stream is not None:
            request.stream.keep_alive = False
        return error(413, f"Permintaan terlalu besar (lebih dari {limit // 1024} KB).")
    return None


def body(request: Request) -> dict[str, Any]:
    """The request's JSON object (at most 64 KB), or BadRequest."""
    if len(request.body or b"") > MAX_BODY:
        raise BadRequest("request too large")
    try:
        data = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise BadRequest("body must be JSON") from exc
    if not isinstance(data, dict):
        raise BadRequest("body must be a JSON object")
    return data


def text_field(data: dict[str, Any], name: str, limit: int, required: bool = True) -> str:
    """A trimmed string field of at most `limit` characters."""
    value = data.get(name, "")
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a string")
    value = value.strip()
    if required and not value:
        raise BadRequest(f"{name} is required")
    if len(value) > limit:
        raise BadRequest(f"{name} is longer than {limit} characters")
    return value
