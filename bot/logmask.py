"""Personal data out of the logs: phones masked at every level, message text at INFO or below.

`install()` (called by the console channel in the Rasa server and by `actions/__init__.py` in the
action server; idempotent) wraps the log-record factory, so every record of every logger is masked
when it is made, whatever handlers Rasa or Sanic configure later, and adds `MaskFilter` to the
handlers that exist then (it also masks the `request` line Sanic's access log adds afterwards).
For a `--logging-config-file`, use `bot.logmask.MaskFilter` as a handler filter.

What is masked:
- phone numbers: Indonesian `+62 812-3456-7890`, `6281234567890`, `0812 3456 7890` and WhatsApp ids
  (62...): digits kept at both ends, `6281*******90`, so one user's lines can still be followed;
- message text, at INFO and below (Rasa and rasa_sdk put the user's words in DEBUG lines): the
  value of `text`, `message`, `parse_data_text` and the other keys Rasa's own anonymiser lists, as
  `key="..."`, `key=...`, `'key': '...'`, `"key": "..."` or `UserUttered(text: ...,`; and any
  argument wrapped in `private(...)`, replaced by `<teks N karakter>` at every level.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

TEXT_LEVEL = logging.INFO
_MARK = "_djpk_masked"
_KEYS = (
    "text|user_text|response_text|parse_data_text|message|user_message|json_message|"
    "tracker_latest_message|slot_values|prefilled_slots|token_text"
)
_PHONE = re.compile(
    r"(?<![\w*])(?:\+?62|0)[\s.-]?8\d(?:[\s.-]?\d){6,11}(?![\w*])"  # Indonesian mobile forms
    r"|(?<![\w*])62\d{8,13}(?![\w*])"  # WhatsApp ids (country code 62)
)
_QUOTED = re.compile(
    rf"""(?P<key>(?<![\w])['"]?(?:{_KEYS})['"]?\s*[:=]\s*)(?P<q>['"])(?P<value>(?:\\.|(?!(?P=q)).)*)(?P=q)""",
    re.DOTALL,
)
_BARE = re.compile(
    rf"(?P<key>(?<![\w'\"])(?:{_KEYS})=)(?P<value>[^'\"\s].*?)(?=\s+\w+=|$)", re.DOTALL
)
_UTTERED = re.compile(r"(?P<key>UserUttered\(text: )(?P<value>.*?)(?=, intent: )", re.DOTALL)


class Private(str):
    """A string that logs as its length only (`private(text)`)."""

    def __str__(self) -> str:
        return f"<teks {len(self)} karakter>"

    def __repr__(self) -> str:
        return str(self)

    def __format__(self, _spec: str) -> str:
        return str(self)


def private(text: object) -> Private:
    """Wrap a user's text so a log line shows only how long it was."""
    return Private(str(text))


def mask_phones(text: str) -> str:
    """Every phone number in the text with its middle digits starred."""

    def star(found: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", found.group())
        head = "+" if found.group().startswith("+") else ""
        return head + digits[:4] + "*" * (len(digits) - 6) + digits[-2:]

    return _PHONE.sub(star, text)


def mask_text(text: str) -> str:
    """The values of message-text keys replaced by their length."""

    def hide(found: re.Match[str]) -> str:
        value, quote = found.group("value"), found.groupdict().get("q") or ""
        return f"{found.group('key')}{quote}<teks {len(value)} karakter>{quote}"

    for pattern in (_QUOTED, _UTTERED, _BARE):
        text = pattern.sub(hide, text)
    return text


def mask(text: str, levelno: int) -> str:
    """Phones always; message text too at INFO and below."""
    text = mask_phones(text)
    return mask_text(text) if levelno <= TEXT_LEVEL else text


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask a record in place (once): its message, and the `request` line of access logs."""
    if getattr(record, _MARK, False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it for logging to report
        return record
    masked = mask(message, record.levelno)
    if masked != message or record.args:
        record.msg, record.args = masked, None
    request = getattr(record, "request", None)
    if isinstance(request, str):
        record.request = mask_phones(request)
    setattr(record, _MARK, True)
    return record


class MaskFilter(logging.Filter):
    """A handler or logger filter that masks records and never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        request = getattr(record, "request", None)
        if isinstance(request, str):  # set by Sanic after the record was made
            record.request = mask_phones(request)
        return True


def _masking_factory(inner: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(inner(*args, **kwargs))

    factory.djpk_masking = True  # type: ignore[attr-defined]
    return factory


def install() -> None:
    """Mask every log record of this process from now on (safe to call more than once)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "djpk_masking", False):
        logging.setLogRecordFactory(_masking_factory(current))
    for name in ("", "sanic.access", "sanic.root", "sanic.error"):
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, MaskFilter) for f in handler.filters):
                handler.addFilter(MaskFilter())
