"""Log masking: phone numbers at every level, message text at INFO and below, through logging."""

from __future__ import annotations

import io
import logging

import pytest

from bot import logmask
from bot.logmask import MaskFilter, mask, private

PHONES = [
    ("6281234567890", "6281*******90"),
    ("+62 812-3456-7890", "+6281*******90"),
    ("0812 3456 7890", "0812******90"),
    ("081234567890", "0812******90"),
    ("62812345678", "6281*****78"),
]
NOT_PHONES = ["DJPK-20231201-0001", "HTTP 503 code=131047", "1701424800", "wamid.ABGGFlA5Fpa"]


@pytest.mark.parametrize(("raw", "masked"), PHONES)
def test_indonesian_phone_forms_and_wa_ids_are_masked(raw: str, masked: str) -> None:
    assert mask(f"dari {raw} masuk", logging.ERROR) == f"dari {masked} masuk"


@pytest.mark.parametrize("text", NOT_PHONES)
def test_ticket_numbers_codes_and_times_are_left(text: str) -> None:
    assert mask(text, logging.DEBUG) == text


TEXT_LINES = [
    ('{"text": "dau kami belum cair", "e": 1}', '{"text": "<teks 19 karakter>", "e": 1}'),
    ("{'text': 'halo min', 'intent': {}}", "{'text': '<teks 8 karakter>', 'intent': {}}"),
    ("parse_data_text=dau belum cair x={}", "parse_data_text=<teks 14 karakter> x={}"),
    (
        "UserUttered(text: halo min, intent: greet)",
        "UserUttered(text: <teks 8 karakter>, intent: greet)",
    ),
]


@pytest.mark.parametrize(("line", "expected"), TEXT_LINES)
def test_message_text_is_masked_at_info_and_below(line: str, expected: str) -> None:
    assert mask(line, logging.DEBUG) == expected
    assert mask(line, logging.INFO) == expected
    assert mask(line, logging.WARNING) == line


def _capture(logger_name: str) -> tuple[logging.Logger, io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger, stream, handler


def test_a_record_with_a_phone_and_a_message_is_masked_once_installed() -> None:
    logmask.install()
    logmask.install()  # idempotent: one wrapper only
    assert getattr(logging.getLogRecordFactory(), "djpk_masking", False)
    logger, stream, handler = _capture("tests.logmask.installed")
    try:
        logger.info("user 6281234567890 said %s", private("nomor saya 0812 3456 7890, dau?"))
        logger.debug("parse %s", {"text": "dau kami belum cair", "intent": "ask_faq"})
        logger.warning("send to %s failed: %s", "6281234567890", "code=131047")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "6281234567890" not in out and "3456" not in out and "belum cair" not in out
    assert "INFO user 6281*******90 said <teks 31 karakter>" in out
    assert "'text': '<teks 19 karakter>'" in out and "'intent': 'ask_faq'" in out
    assert "WARNING send to 6281*******90 failed: code=131047" in out


def test_the_filter_masks_records_and_sanic_request_lines() -> None:
    record = logging.LogRecord("sanic.access", logging.INFO, __file__, 1, "%s", ("",), None)
    record.request = "GET http://127.0.0.1:5005/conversations/6281234567890/tracker"
    assert MaskFilter().filter(record) is True
    assert record.request.endswith("/conversations/6281*******90/tracker")
    plain = logging.LogRecord("x", logging.INFO, __file__, 1, "text=%r", ("halo",), None)
    MaskFilter().filter(plain)
    assert plain.getMessage() == "text='<teks 4 karakter>'"


def test_private_text_never_shows() -> None:
    secret = private("nama saya Budi")
    assert f"{secret}" == str(secret) == repr(secret) == "<teks 14 karakter>"
    assert "%s %r" % (secret, secret) == "<teks 14 karakter> <teks 14 karakter>"  # noqa: UP031
