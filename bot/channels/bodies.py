"""Request bodies read with a limit, for streaming routes: a 413 before a big body is read."""

from __future__ import annotations

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import length


class BodyTooLarge(Exception):
    """The body is longer than the route accepts."""


async def read_limited(request: Request, limit: int) -> bytes:
    """The whole body, refused by its Content-Length or as soon as `limit` bytes are passed."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    if request.stream is not None:
        async for chunk in request.stream:
            body += chunk
            if len(body) > limit:
                raise BodyTooLarge
    return bytes(body)


def too_large(request: Request, limit: int) -> HTTPResponse:
    """A clear 413, then the connection closes.

    Sanic discards the unread rest (chunk by chunk, up to its REQUEST_MAX_SIZE) so that the
    client, still sending, can read the 413; nothing of it is kept or parsed.
    """
    if request.stream is not None:
        request.stream.keep_alive = False
    message = length.too_large(limit)
    return response.json({"error": "payload_too_large", "message": message}, status=413)
