"""The X-Hub-Signature-256 check Meta asks webhook receivers to perform."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


def sign(app_secret: str, raw_body: bytes) -> str:
    """The header value Meta sends for this body: "sha256=" + hex HMAC-SHA256."""
    digest = hmac.new(app_secret.encode("utf-8"), raw_body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def is_valid(app_secret: str, raw_body: bytes, header: str | None) -> bool:
    """Constant-time check of the header against the raw body; no secret means no entry."""
    if not app_secret or not header or not header.startswith(PREFIX):
        return False
    expected = sign(app_secret, raw_body).encode("ascii")
    return hmac.compare_digest(expected, header.strip().encode("utf-8"))


def tokens_match(given: str, expected: str) -> bool:
    """Constant-time comparison of a shared token; an unset token never matches."""
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
