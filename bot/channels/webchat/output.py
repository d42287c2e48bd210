"""Output side of the web chat: every text and button sanitised, every offered payload recorded."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from typing import Any, Protocol

from rasa.core.channels.socketio import SocketIOOutput
from socketio import AsyncServer

from bot.channels.webchat.links import IMAGE_SCHEMES, is_safe_url, sanitize_text, sanitize_value


class OfferLog(Protocol):
    """Where offered button payloads go (bot.channels.payloads.PayloadGuard in production)."""

    def offer(self, conversation_id: str, payloads: list[str]) -> Any:
        """Record the payloads offered to a conversation."""


def quick_reply(button: dict[str, Any]) -> dict[str, Any] | None:
    """One rasa-webchat quick reply from a Rasa button; None when its link is unsafe."""
    title = sanitize_text(str(button.get("title", "")))
    url = button.get("url")
    if url is not None or button.get("type") == "web_url":
        url = str(url or "")
        return {"type": "web_url", "title": title, "url": url} if is_safe_url(url) else None
    payload = sanitize_text(str(button.get("payload", button.get("title", ""))))
    return {"content_type": "text", "title": title, "payload": payload}


def offered_payloads(value: Any) -> list[str]:
    """Payloads of every postback button inside a message structure."""
    found: list[str] = []
    if isinstance(value, dict):
        payload = value.get("payload")
        if isinstance(payload, str) and "title" in value and value.get("type") != "web_url":
            found.append(payload)
        for item in value.values():
            found.extend(offered_payloads(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(offered_payloads(item))
    return found


def bubbles(text: str) -> list[str]:
    """Sanitised paragraphs, one chat bubble each; single newlines become markdown hard breaks."""
    parts = [part.strip("\n") for part in sanitize_text(text).strip().split("\n\n")]
    return [re.sub(r" *\n", "  \n", part) for part in parts if part.strip()] or [""]


class SafeSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output with link sanitising and payload recording."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str, offers: OfferLog) -> None:
        super().__init__(sio, bot_message_evt)
        self.offers = offers

    async def _offer(self, recipient_id: str, payloads: list[str]) -> None:
        if payloads:
            await asyncio.to_thread(self.offers.offer, recipient_id, payloads)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send text, each paragraph as one bubble, links sanitised."""
        for part in bubbles(text):
            await self._send_message(recipient_id, {"text": part})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send text with quick replies on its last bubble; the payloads are recorded first."""
        replies = [reply for reply in map(quick_reply, buttons) if reply is not None]
        await self._offer(recipient_id, [r["payload"] for r in replies if "payload" in r])
        messages: list[dict[str, Any]] = [{"text": part} for part in bubbles(text)]
        messages[-1]["quick_replies"] = replies
        for message in messages:
            await self._send_message(recipient_id, message)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Quick replies are buttons here."""
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Send an image, only from an http(s) or relative URL."""
        if is_safe_url(image, IMAGE_SCHEMES):
            await super().send_image_url(recipient_id, image, **kwargs)

    async def send_elements(
        self, recipient_id: str, elements: Iterable[dict[str, Any]], **kwargs: Any
    ) -> None:
        """Send carousel cards with their URLs checked and their buttons recorded."""
        safe = [sanitize_value(element) for element in elements]
        await self._offer(recipient_id, offered_payloads(safe))
        await super().send_elements(recipient_id, safe, **kwargs)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Send custom JSON to this conversation's room only, sanitised like everything else."""
        safe = sanitize_value(dict(json_message))
        body = safe.get("data", safe) if "data" in safe else safe  # Rasa's form: emit kwargs
        if isinstance(body, dict):
            for key in ("room", "to", "namespace", "skip_sid", "callback"):
                body.pop(key, None)
        await self._offer(recipient_id, offered_payloads(body))
        await self._send_message(recipient_id, body)

    async def send_attachment(
        self, recipient_id: str, attachment: dict[str, Any], **kwargs: Any
    ) -> None:
        """Send an attachment with its URLs checked."""
        safe = sanitize_value(attachment)
        await self._offer(recipient_id, offered_payloads(safe))
        await self._send_message(recipient_id, {"attachment": safe})
