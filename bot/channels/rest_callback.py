"""Agent replies to REST users, POSTed to the caller's callback URL (DJPK_REST_CALLBACK_URL).

A REST caller gets the bot's answers in the HTTP response; an agent answers later, so the reply
is POSTed as `{"recipient_id": ..., "text": ...}` (Rasa's callback channel shape) to the
configured URL, signed with HMAC-SHA256 of the body keyed with the REST token in
`X-DJPK-Signature: sha256=<hex>`. Anything but a 2xx answer raises `CallbackRefused`, so the
console marks the reply failed instead of sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import aiohttp
from rasa.core.channels.channel import OutputChannel

SIGNATURE_HEADER = "X-DJPK-Signature"


class CallbackRefused(Exception):
    """The callback URL could not be reached or did not answer 2xx."""


def sign(body: bytes, token: str) -> str:
    """The signature header value of a callback body."""
    return "sha256=" + hmac.new(token.encode("utf-8"), body, hashlib.sha256).hexdigest()


class RestCallbackOutput(OutputChannel):
    """POSTs each message to the callback URL; a refusal raises."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        self.url = url
        self.token = token
        self.timeout = timeout

    async def post(self, message: dict[str, Any]) -> None:
        """POST one message; CallbackRefused unless the answer is 2xx."""
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, self.token)}
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session,
                session.post(self.url, data=body, headers=headers) as response,
            ):
                if not 200 <= response.status < 300:
                    raise CallbackRefused(f"callback answered HTTP {response.status}")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise CallbackRefused(f"callback unreachable: {type(error).__name__}") from error

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send the text."""
        await self.post({"recipient_id": recipient_id, "text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send the text with its buttons, as the REST answer carries them."""
        await self.post({"recipient_id": recipient_id, "text": text, "buttons": buttons})
