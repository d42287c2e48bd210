"""The `/intent{...}` injection guard: only payloads offered to the conversation pass."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message

from bot.channels.payloads import PayloadGuard, neutralise, short_ref
from bot.db import engine_for

# What a typed payload becomes: the same words, no leading slash or space, read as plain text.
INJECTIONS = [
    ("/greet", "greet"),
    ('/ask_faq{"x":"y"}', 'ask_faq{"x":"y"}'),
    (
        '/share_document{"document_path": "/etc/passwd"}',
        'share_document{"document_path": "/etc/passwd"}',
    ),
    ("  /restart", "restart"),
    ("//greet", "greet"),
    (
        '/ / share_document{"document_path": "/tmp/x.pdf"}',
        'share_document{"document_path": "/tmp/x.pdf"}',
    ),
]


def _forced_intent(text: str) -> str | None:
    """What Rasa's own intent-prefix parser would make of the text (None: plain text)."""
    return YAMLStoryReader.unpack_regex_message(Message({"text": text})).get("intent")


@pytest.fixture
def guard(db_url: str) -> PayloadGuard:
    return PayloadGuard(engine_for(db_url))


def test_rasa_would_force_these_intents_unguarded() -> None:
    assert _forced_intent("/greet")["name"] == "greet"
    assert _forced_intent('/ask_faq{"x":"y"}')["name"] == "ask_faq"


@pytest.mark.parametrize(("text", "plain"), INJECTIONS)
def test_typed_payloads_never_force_an_intent(guard: PayloadGuard, text: str, plain: str) -> None:
    cleaned = guard.sanitize_inbound("628111", text)
    assert cleaned == plain
    assert _forced_intent(cleaned) is None


def test_the_text_is_kept_readable() -> None:
    assert neutralise('/ask_faq{"x":"y"}') == 'ask_faq{"x":"y"}'
    assert neutralise("/greet") == "greet"


def test_plain_text_is_untouched(guard: PayloadGuard) -> None:
    for text in ["halo min", "nomor surat S-123/PK/2023", "1/2 dana", ""]:
        assert guard.sanitize_inbound("628111", text) == text


def test_an_offered_payload_passes_in_its_own_conversation_only(guard: PayloadGuard) -> None:
    payload = '/ask_faq{"topic":"dau"}'
    guard.offer("628111", [payload, "/deny"])
    assert guard.sanitize_inbound("628111", f" {payload} ") == payload
    assert _forced_intent(guard.sanitize_inbound("628111", payload))["name"] == "ask_faq"
    assert guard.sanitize_inbound("628999", payload) == payload[1:]
    assert guard.sanitize_inbound("628111", '/ask_faq{"topic":"dak"}') == 'ask_faq{"topic":"dak"}'


def test_offers_expire_with_the_window(db_url: str) -> None:
    engine = engine_for(db_url)
    PayloadGuard(engine).offer("628111", ["/affirm"])
    expired = PayloadGuard(engine, window=timedelta(seconds=-1))
    assert expired.sanitize_inbound("628111", "/affirm") == "affirm"
    assert expired.resolve_choice("628111", "/affirm") is None
    assert expired.prune() == 1
    assert PayloadGuard(engine).sanitize_inbound("628111", "/affirm") == "affirm"


def test_long_payloads_get_short_ids(guard: PayloadGuard) -> None:
    long_payload = '/choose{"note":"' + "x" * 300 + '"}'
    ids = guard.offer("628111", ["/short", long_payload], max_id_length=256)
    assert ids == ["/short", short_ref(long_payload)] and len(ids[1]) <= 64
    assert guard.resolve_choice("628111", ids[1]) == long_payload
    assert guard.resolve_choice("628111", "/short") == "/short"
    assert guard.resolve_choice("628999", ids[1]) is None
    assert guard.resolve_choice("628111", "/never_offered") is None


def test_numbered_answers_map_to_the_latest_numbered_offer(guard: PayloadGuard) -> None:
    payloads = [f'/pilih{{"n":{i}}}' for i in range(1, 13)]
    guard.offer("628111", payloads, numbered=True)
    assert guard.resolve_number("628111", "2") == payloads[1]
    assert guard.resolve_number("628111", " 12. ") == payloads[11]
    assert guard.resolve_number("628111", "13") is None
    assert guard.resolve_number("628111", "2 anak") is None
    assert guard.resolve_number("628999", "2") is None
    guard.offer("628111", ["/yes", "/no"])
    assert guard.resolve_number("628111", "2") is None
