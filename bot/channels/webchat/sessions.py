"""Web chat session ids: random, issued by the server and signed, so they cannot be guessed.

A session id has two parts, `<conversation id>.<signature>`: 192 random bits from `secrets`
and an HMAC-SHA256 tag over them. The browser keeps the whole id (rasa-webchat stores it in
localStorage) and offers it again after a reload; the server resumes the conversation only when
the tag is its own. The conversation id alone (what agents, logs and the tracker store see) is
not enough to resume or to upload into a conversation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets

logger = logging.getLogger(__name__)

_CONTEXT = b"djpk-webchat-session-v1"
_TAG_BYTES = 18


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class SessionSigner:
    """Issues and checks signed session ids with one server secret."""

    def __init__(self, secret: bytes | str) -> None:
        raw = secret.encode("utf-8") if isinstance(secret, str) else secret
        if len(raw) < 16:
            raise ValueError("DJPK_CONSOLE_SECRET needs 16+ characters (signs web chat sessions)")
        self._key = hmac.new(raw, _CONTEXT, hashlib.sha256).digest()

    def _tag(self, conversation_id: str) -> str:
        digest = hmac.new(self._key, conversation_id.encode("ascii"), hashlib.sha256).digest()
        return _b64(digest[:_TAG_BYTES])

    def issue(self) -> str:
        """A new session id (its conversation id is fresh randomness, 192 bits)."""
        conversation_id = secrets.token_urlsafe(24)
        return f"{conversation_id}.{self._tag(conversation_id)}"

    def conversation_of(self, session_id: object) -> str | None:
        """The conversation id behind a session id this server issued, else None."""
        if not isinstance(session_id, str) or len(session_id) > 128:
            return None
        conversation_id, dot, tag = session_id.partition(".")
        if not dot or not conversation_id or not conversation_id.isascii():
            return None
        expected = self._tag(conversation_id).encode("ascii")
        if not hmac.compare_digest(tag.encode("ascii", "replace"), expected):
            return None
        return conversation_id
