"""Parsing of Meta's webhook deliveries into inbound messages and status updates."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Kind(str, Enum):
    """What an inbound message carries, as far as the bot is concerned."""

    TEXT = "text"
    CHOICE = "choice"
    DOCUMENT = "document"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    STICKER = "sticker"
    LOCATION = "location"
    CONTACTS = "contacts"
    REACTION = "reaction"
    UNSUPPORTED = "unsupported"
    IGNORED = "ignored"


_SIMPLE = {
    "audio": Kind.AUDIO,
    "voice": Kind.AUDIO,
    "video": Kind.VIDEO,
    "sticker": Kind.STICKER,
    "location": Kind.LOCATION,
    "contacts": Kind.CONTACTS,
}
_SILENT = {"system", "ephemeral", "request_welcome"}


@dataclass(frozen=True)
class Inbound:
    """One message a user sent, reduced to what the channel needs."""

    wamid: str
    sender: str
    kind: Kind
    text: str = ""
    choice_id: str = ""
    media_id: str = ""
    mime_type: str = ""
    filename: str = ""
    profile_name: str = ""
    timestamp: str = ""
    phone_number_id: str = ""


@dataclass(frozen=True)
class Status:
    """A delivery status of a message the bot sent (sent, delivered, read, failed)."""

    wamid: str
    recipient: str
    status: str
    timestamp: str = ""
    error_code: int | None = None
    error_title: str = ""


@dataclass(frozen=True)
class Delivery:
    """Everything in one webhook POST, in the order Meta listed it."""

    messages: tuple[Inbound, ...] = ()
    statuses: tuple[Status, ...] = field(default_factory=tuple)


def _profile_names(value: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for contact in value.get("contacts") or []:
        name = str((contact.get("profile") or {}).get("name", ""))
        names.setdefault(str(contact.get("wa_id", "")), name)
        names.setdefault("", name)
    return names


def _content(message: dict[str, Any]) -> dict[str, Any]:
    kind = str(message.get("type", ""))
    if kind == "text":
        return {"kind": Kind.TEXT, "text": str((message.get("text") or {}).get("body", ""))}
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply")
        if not reply:
            return {"kind": Kind.UNSUPPORTED}
        return {
            "kind": Kind.CHOICE,
            "choice_id": str(reply.get("id", "")),
            "text": str(reply.get("title", "")),
        }
    if kind == "button":
        button = message.get("button") or {}
        return {
            "kind": Kind.CHOICE,
            "choice_id": str(button.get("payload", "")),
            "text": str(button.get("text", "")),
        }
    if kind in ("document", "image"):
        media = message.get(kind) or {}
        return {
            "kind": Kind.DOCUMENT if kind == "document" else Kind.IMAGE,
            "media_id": str(media.get("id", "")),
            "mime_type": str(media.get("mime_type", "")),
            "filename": str(media.get("filename", "")),
            "text": str(media.get("caption", "")),
        }
    if kind == "reaction":
        emoji = str((message.get("reaction") or {}).get("emoji", ""))
        return {"kind": Kind.REACTION if emoji else Kind.IGNORED, "text": emoji}
    if kind in _SILENT:
        return {"kind": Kind.IGNORED}
    return {"kind": _SIMPLE.get(kind, Kind.UNSUPPORTED)}


def _status(item: dict[str, Any]) -> Status:
    errors = item.get("errors") or [{}]
    code = errors[0].get("code")
    return Status(
        wamid=str(item.get("id", "")),
        recipient=str(item.get("recipient_id", "")),
        status=str(item.get("status", "")),
        timestamp=str(item.get("timestamp", "")),
        error_code=code if isinstance(code, int) else None,
        error_title=str(errors[0].get("title", "")),
    )


def parse_delivery(body: Any) -> Delivery:
    """Walk entry[].changes[].value; unknown shapes are skipped, never raised."""
    messages: list[Inbound] = []
    statuses: list[Status] = []
    entries = body.get("entry") if isinstance(body, dict) else None
    for entry in entries or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            names = _profile_names(value)
            phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
            for message in value.get("messages") or []:
                sender = str(message.get("from", ""))
                if not message.get("id") or not sender:
                    continue
                messages.append(
                    Inbound(
                        wamid=str(message["id"]),
                        sender=sender,
                        profile_name=names.get(sender, names.get("", "")),
                        timestamp=str(message.get("timestamp", "")),
                        phone_number_id=phone_number_id,
                        **_content(message),
                    )
                )
            statuses.extend(_status(item) for item in value.get("statuses") or [] if item)
    return Delivery(tuple(messages), tuple(statuses))
