"""Webhook deliveries shaped like Meta's documented examples, and their signatures."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from bot.channels.signature import sign

PHONE_NUMBER_ID = "106540352242922"
DISPLAY_NUMBER = "628111504207"
USER = "6281234567890"


def wamid() -> str:
    """A fresh message id in Meta's style, unique across processes."""
    return f"wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIY{uuid.uuid4().hex.upper()}AA=="


def message(
    kind: str,
    content: dict[str, Any] | None = None,
    sender: str = USER,
    message_id: str | None = None,
    at: float | None = None,
) -> dict[str, Any]:
    """One entry of value.messages[], sent at `at` (Unix seconds; Meta stamps it when the user
    sends it: now by default)."""
    item: dict[str, Any] = {
        "from": sender,
        "id": message_id or wamid(),
        "timestamp": str(int(time.time() if at is None else at)),
        "type": kind,
    }
    if content is not None:
        item[kind] = content
    return item


def text(body: str, **kwargs: Any) -> dict[str, Any]:
    """A text message."""
    return message("text", {"body": body}, **kwargs)


def button_reply(reply_id: str, title: str, **kwargs: Any) -> dict[str, Any]:
    """A tap on an interactive reply button."""
    content = {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}
    item = message("interactive", content, **kwargs)
    item["context"] = {"from": DISPLAY_NUMBER, "id": "wamid.previous"}
    return item


def list_reply(reply_id: str, title: str, **kwargs: Any) -> dict[str, Any]:
    """A choice in an interactive list."""
    reply = {"id": reply_id, "title": title, "description": ""}
    return message("interactive", {"type": "list_reply", "list_reply": reply}, **kwargs)


def document(
    media_id: str,
    filename: str = "surat.pdf",
    mime: str = "application/pdf",
    caption: str = "",
    **kwargs: Any,
) -> dict[str, Any]:
    """A document message."""
    content = {"filename": filename, "mime_type": mime, "sha256": "x", "id": media_id}
    if caption:
        content["caption"] = caption
    return message("document", content, **kwargs)


def image(media_id: str, mime: str = "image/jpeg", **kwargs: Any) -> dict[str, Any]:
    """A photo."""
    return message("image", {"mime_type": mime, "sha256": "x", "id": media_id}, **kwargs)


OTHERS: dict[str, dict[str, Any] | None] = {
    "audio": {"mime_type": "audio/ogg; codecs=opus", "sha256": "x", "id": "a1", "voice": True},
    "video": {"mime_type": "video/mp4", "sha256": "x", "id": "v1"},
    "sticker": {"mime_type": "image/webp", "sha256": "x", "id": "s1", "animated": False},
    "location": {"latitude": -6.1702, "longitude": 106.8229, "name": "Kemenkeu"},
    "contacts": None,
    "reaction": {"message_id": "wamid.previous", "emoji": "\U0001f44d"},
    "unsupported": None,
}


def other(kind: str, **kwargs: Any) -> dict[str, Any]:
    """Audio, video, sticker, location, contacts, reaction or an unsupported message."""
    item = message(kind, OTHERS[kind], **kwargs)
    if kind == "contacts":
        item["contacts"] = [
            {
                "name": {"formatted_name": "Budi", "first_name": "Budi"},
                "phones": [{"phone": "+62 811", "type": "CELL"}],
            }
        ]
    if kind == "unsupported":
        item["errors"] = [
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }
        ]
    return item


DETAILS = {
    131047: "Message failed to send because more than 24 hours have passed since the customer "
    "last replied to this number."
}


def status(
    message_id: str,
    state: str = "delivered",
    recipient: str = USER,
    error_code: int | None = None,
    at: float | None = None,
) -> dict[str, Any]:
    """One entry of value.statuses[] (at `at`, Unix seconds, now by default)."""
    item: dict[str, Any] = {
        "id": message_id,
        "status": state,
        "timestamp": str(int(time.time() if at is None else at)),
        "recipient_id": recipient,
    }
    if state != "failed":
        item["conversation"] = {"id": "c1", "origin": {"type": "service"}}
        item["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
    if error_code is not None:
        title = {131047: "Re-engagement message"}.get(error_code, "Error")
        details = DETAILS.get(error_code, "fake")
        item["errors"] = [
            {
                "code": error_code,
                "title": title,
                "message": title,
                "error_data": {"details": details},
            }
        ]
    return item


def delivery(
    messages: list[dict[str, Any]] = (),
    statuses: list[dict[str, Any]] = (),
    name: str = "Budi Santoso",
    sender: str = USER,
) -> dict[str, Any]:
    """A whole webhook body: one entry, one change."""
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": DISPLAY_NUMBER, "phone_number_id": PHONE_NUMBER_ID},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": sender}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    change = {"value": value, "field": "messages"}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA_ID", "changes": [change]}],
    }


def encode(body: dict[str, Any], secret: str) -> tuple[bytes, dict[str, str]]:
    """Raw bytes as Meta sends them and the headers, signed with the app secret."""
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return raw, {"Content-Type": "application/json", "X-Hub-Signature-256": sign(secret, raw)}
