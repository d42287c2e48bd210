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


def _obj(value: Any) -> dict[str, Any]:
    """The value when it is a JSON object, else an empty one (unknown shapes are skipped)."""
    return value if isinstance(value, dict) else {}


def _objs(value: Any) -> list[dict[str, Any]]:
    """The JSON objects of a list; anything else (texts, numbers, other lists) is skipped."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    """A text or number as text; objects, lists, null and booleans read as empty."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return str(value)


def _profile_names(value: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    for contact in _objs(value.get("contacts")):
        name = _text(_obj(contact.get("profile")).get("name", ""))
        names.setdefault(_text(contact.get("wa_id", "")), name)
        names.setdefault("", name)
    return names


def _content(message: dict[str, Any]) -> dict[str, Any]:
    kind = _text(message.get("type", ""))
    if kind == "text":
        return {"kind": Kind.TEXT, "text": _text(_obj(message.get("text")).get("body", ""))}
    if kind == "interactive":
        interactive = _obj(message.get("interactive"))
        reply = _obj(interactive.get("button_reply")) or _obj(interactive.get("list_reply"))
        if not reply:
            return {"kind": Kind.UNSUPPORTED}
        return {
            "kind": Kind.CHOICE,
            "choice_id": _text(reply.get("id", "")),
            "text": _text(reply.get("title", "")),
        }
    if kind == "button":
        button = _obj(message.get("button"))
        return {
            "kind": Kind.CHOICE,
            "choice_id": _text(button.get("payload", "")),
            "text": _text(button.get("text", "")),
        }
    if kind in ("document", "image"):
        media = _obj(message.get(kind))
        return {
            "kind": Kind.DOCUMENT if kind == "document" else Kind.IMAGE,
            "media_id": _text(media.get("id", "")),
            "mime_type": _text(media.get("mime_type", "")),
            "filename": _text(media.get("filename", "")),
            "text": _text(media.get("caption", "")),
        }
    if kind == "reaction":
        emoji = _text(_obj(message.get("reaction")).get("emoji", ""))
        return {"kind": Kind.REACTION if emoji else Kind.IGNORED, "text": emoji}
    if kind in _SILENT:
        return {"kind": Kind.IGNORED}
    return {"kind": _SIMPLE.get(kind, Kind.UNSUPPORTED)}


def _status(item: dict[str, Any]) -> Status:
    error = (_objs(item.get("errors")) or [{}])[0]
    code = error.get("code")
    return Status(
        wamid=_text(item.get("id", "")),
        recipient=_text(item.get("recipient_id", "")),
        status=_text(item.get("status", "")),
        timestamp=_text(item.get("timestamp", "")),
        error_code=code if isinstance(code, int) and not isinstance(code, bool) else None,
        error_title=_text(error.get("title", "")),
    )


def _inbound(
    message: dict[str, Any], names: dict[str, str], phone_number_id: str
) -> Inbound | None:
    wamid, sender = _text(message.get("id")), _text(message.get("from"))
    if not wamid or not sender:
        return None
    return Inbound(
        wamid=wamid,
        sender=sender,
        profile_name=names.get(sender, names.get("", "")),
        timestamp=_text(message.get("timestamp", "")),
        phone_number_id=phone_number_id,
        **_content(message),
    )


def parse_delivery(body: Any) -> Delivery:
    """Walk entry[].changes[].value of any JSON value; never raises.

    Contract: every JSON value (what `json.loads` can return) gives a Delivery. Shapes the parser
    does not know (a list where an object belongs, an object where a text belongs, a message
    without id or sender) are skipped or read as empty text, never raised, so Meta is not made to
    retry a delivery that can never parse. Only reading the body as JSON can fail (400).
    """
    messages: list[Inbound] = []
    statuses: list[Status] = []
    for entry in _objs(_obj(body).get("entry")):
        for change in _objs(entry.get("changes")):
            value = _obj(change.get("value"))
            names = _profile_names(value)
            phone_number_id = _text(_obj(value.get("metadata")).get("phone_number_id", ""))
            for message in _objs(value.get("messages")):
                inbound = _inbound(message, names, phone_number_id)
                if inbound is not None:
                    messages.append(inbound)
            statuses.extend(_status(item) for item in _objs(value.get("statuses")) if item)
    return Delivery(tuple(messages), tuple(statuses))
