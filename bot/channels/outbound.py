"""Pure builders of WhatsApp Cloud API message bodies, within Meta's documented limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEXT_LIMIT = 4096
BODY_LIMIT = 1024
BUTTON_TITLE_LIMIT = 20
BUTTON_ID_LIMIT = 256
MAX_BUTTONS = 3
MAX_ROWS = 10
ROW_TITLE_LIMIT = 24
ROW_DESCRIPTION_LIMIT = 72
ROW_ID_LIMIT = 200
LIST_LABEL = "Lihat pilihan"
NUMBERED_HINT = "Balas dengan nomor pilihan Anda (misalnya: 1)."


@dataclass(frozen=True)
class Option:
    """One choice offered to the user: the id sent on the wire and its visible title."""

    id: str
    title: str


def shorten(text: str, limit: int) -> str:
    """Cut text to `limit` characters, ending with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _pack(pieces: list[str], separator: str, limit: int, finer: tuple[str, ...]) -> list[str]:
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        parts = [piece] if len(piece) <= limit else _split(piece, limit, finer)
        for part in parts:
            candidate = f"{current}{separator}{part}" if current else part
            if len(candidate) <= limit:
                current = candidate
            else:
                if current:
                    chunks.append(current)
                current = part
    if current:
        chunks.append(current)
    return chunks


def _split(text: str, limit: int, separators: tuple[str, ...]) -> list[str]:
    if not separators:
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    head, *rest = separators
    return _pack(text.split(head), head, limit, tuple(rest))


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split text into chunks of at most `limit` characters: paragraphs, then lines, then words."""
    text = text.strip()
    if not text:
        return []
    if len(text) <= limit:
        return [text]
    chunks = _split(text, limit, ("\n\n", "\n", " "))
    return [chunk.strip() for chunk in chunks if chunk.strip()]


def _envelope(to: str, kind: str, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": kind,
        kind: content,
    }


def text_message(to: str, text: str, preview_url: bool = True) -> dict[str, Any]:
    """A plain text message (text must already fit in 4,096 characters)."""
    return _envelope(to, "text", {"body": text, "preview_url": preview_url})


def buttons_message(to: str, text: str, options: list[Option]) -> dict[str, Any]:
    """Interactive reply buttons: 1-3 options, titles cut to 20 characters."""
    if not 1 <= len(options) <= MAX_BUTTONS:
        raise ValueError(f"reply buttons take 1-{MAX_BUTTONS} options, got {len(options)}")
    buttons = [
        {
            "type": "reply",
            "reply": {"id": o.id[:BUTTON_ID_LIMIT], "title": shorten(o.title, BUTTON_TITLE_LIMIT)},
        }
        for o in options
    ]
    interactive = {
        "type": "button",
        "body": {"text": shorten(text, BODY_LIMIT) or "Silakan pilih:"},
        "action": {"buttons": buttons},
    }
    return _envelope(to, "interactive", interactive)


def list_message(to: str, text: str, options: list[Option]) -> dict[str, Any]:
    """Interactive list: up to 10 rows; a long title goes whole into the row description."""
    if not 1 <= len(options) <= MAX_ROWS:
        raise ValueError(f"a list takes 1-{MAX_ROWS} options, got {len(options)}")
    rows = []
    for option in options:
        row = {"id": option.id[:ROW_ID_LIMIT], "title": shorten(option.title, ROW_TITLE_LIMIT)}
        if len(" ".join(option.title.split())) > ROW_TITLE_LIMIT:
            row["description"] = shorten(option.title, ROW_DESCRIPTION_LIMIT)
        rows.append(row)
    interactive = {
        "type": "list",
        "body": {"text": shorten(text, BODY_LIMIT) or "Silakan pilih:"},
        "action": {
            "button": shorten(LIST_LABEL, BUTTON_TITLE_LIMIT),
            "sections": [{"title": shorten("Pilihan", ROW_TITLE_LIMIT), "rows": rows}],
        },
    }
    return _envelope(to, "interactive", interactive)


def numbered_text(text: str, titles: list[str]) -> str:
    """The text followed by a numbered list of titles the user can answer by number."""
    lines = [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
    return "\n\n".join(part for part in (text.strip(), "\n".join(lines), NUMBERED_HINT) if part)


def image_message(to: str, link: str, caption: str = "") -> dict[str, Any]:
    """An image sent by link."""
    content = {"link": link, **({"caption": shorten(caption, BODY_LIMIT)} if caption else {})}
    return _envelope(to, "image", content)


def document_message(to: str, link: str, filename: str = "", caption: str = "") -> dict[str, Any]:
    """A document sent by link."""
    content: dict[str, Any] = {"link": link}
    if filename:
        content["filename"] = filename
    if caption:
        content["caption"] = shorten(caption, BODY_LIMIT)
    return _envelope(to, "document", content)


def template_message(to: str, spec: str, default_language: str = "id") -> dict[str, Any]:
    """An approved template without parameters; `spec` is "name" or "name:language"."""
    name, _, language = spec.partition(":")
    content = {"name": name.strip(), "language": {"code": language.strip() or default_language}}
    return _envelope(to, "template", content)


def template_with_body(to: str, name: str, language: str, params: list[str]) -> dict[str, Any]:
    """An approved template whose body takes `params` as its {{1}}, {{2}}... text parameters."""
    content: dict[str, Any] = {"name": name, "language": {"code": language}}
    if params:
        parameters = [{"type": "text", "text": str(p)[:200] or "-"} for p in params]
        content["components"] = [{"type": "body", "parameters": parameters}]
    return _envelope(to, "template", content)


def read_receipt(wamid: str) -> dict[str, Any]:
    """Mark an inbound message as read."""
    return {"messaging_product": "whatsapp", "status": "read", "message_id": wamid}
