"""The length cap on user text: one limit, one polite reply, the copy a conversation keeps.

Rasa-free on purpose (imports no rasa): every text channel applies it before NLU; the rasa glue
that answers an over-long message lives in `bot.channels.overlong`.
"""

from __future__ import annotations

from bot.settings import Settings

MAX_CHARS = Settings.max_message_chars  # characters NLU may see (DIET attention is quadratic)
BODY_LIMIT = 1024 * 1024  # bytes of one REST or socket.io body: 413 beyond, before it is read
WHATSAPP_BODY_LIMIT = 4 * 1024 * 1024  # bytes of one webhook POST; Meta's are at most 3 MB
TOO_LARGE = (
    "Pesan terlalu panjang: badan permintaan melebihi {limit} byte dan tidak diproses. "
    "Mohon diringkas, atau kirim sebagai dokumen/lampiran bila berupa surat."
)


def thousands(number: int) -> str:
    """A number the Indonesian way: 2000 -> '2.000'."""
    return f"{number:,}".replace(",", ".")


def text_length(text: str | None) -> int:
    """Characters of the text as Rasa will see it (UserMessage strips it)."""
    return len(text.strip()) if text else 0


def is_too_long(text: str | None, limit: int = MAX_CHARS) -> bool:
    """True when the text is longer than `limit` characters, whitespace around it aside."""
    return text_length(text) > limit


def reply(limit: int = MAX_CHARS) -> str:
    """The one polite line an over-long message gets instead of an answer."""
    return (
        f"Mohon maaf, pesan Bapak/Ibu terlalu panjang (lebih dari {thousands(limit)} karakter). "
        "Mohon diringkas, atau kirim sebagai dokumen/lampiran bila berupa surat."
    )


def too_large(limit: int) -> str:
    """The body of a 413: the request was refused before it was read."""
    return TOO_LARGE.format(limit=thousands(limit))


def kept_copy(text: str, limit: int = MAX_CHARS) -> str:
    """What the conversation record keeps: the first `limit` characters and a marker."""
    stripped = text.strip()
    if len(stripped) <= limit:
        return stripped
    return f"{stripped[:limit]} […dipotong; pesan asli {thousands(len(stripped))} karakter]"
