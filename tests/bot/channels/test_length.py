"""The length cap's core: the limit, the polite reply, the copy a conversation keeps."""

from __future__ import annotations

import re

import pytest

from bot.channels import length
from bot.settings import Settings

EVAL_WANT = re.compile(r"(?i)(terlalu panjang|maksimal|singkat|ringkas)")  # conversations-dev.yml


def test_the_limit_is_2000_characters_by_default_and_set_by_the_environment() -> None:
    assert length.MAX_CHARS == Settings().max_message_chars == 2000
    assert Settings.from_env({"DJPK_MAX_MESSAGE_CHARS": "500"}).max_message_chars == 500
    assert Settings.from_env({"DJPK_MAX_MESSAGE_CHARS": ""}).max_message_chars == 2000
    assert Settings.from_env({"DJPK_MAX_MESSAGE_CHARS": "0"}).max_message_chars == 1


@pytest.mark.parametrize(
    ("text", "too_long"),
    [
        ("a" * 2000, False),
        ("a" * 2001, True),
        ("  " + "a" * 2000 + "\n\n", False),  # Rasa strips the text: so does the count
        ("", False),
        (None, False),
        ("é" * 2001, True),  # characters, not bytes
    ],
)
def test_a_message_is_too_long_past_the_limit(text: str | None, too_long: bool) -> None:
    assert length.is_too_long(text) is too_long


def test_a_smaller_limit_applies() -> None:
    assert length.is_too_long("abcdef", limit=5)
    assert not length.is_too_long("abcde", limit=5)


def test_the_reply_is_polite_indonesian_names_the_limit_and_passes_the_eval() -> None:
    reply = length.reply()
    assert reply.startswith("Mohon maaf, pesan Bapak/Ibu terlalu panjang")
    assert "2.000 karakter" in reply
    assert "dokumen/lampiran" in reply
    assert EVAL_WANT.search(reply)
    assert "500 karakter" in length.reply(500)


def test_the_kept_copy_is_the_start_of_the_message_and_a_marker() -> None:
    text = "mohon info dana alokasi umum " * 700  # 20,300 characters
    kept = length.kept_copy(text)
    assert kept.startswith(text.strip()[:2000])
    assert kept.endswith("[…dipotong; pesan asli 20.299 karakter]")
    assert len(kept) < 2100
    assert length.kept_copy("  pendek  ") == "pendek"


def test_the_413_text_names_the_limit_and_passes_the_eval() -> None:
    text = length.too_large(1024 * 1024)
    assert "1.048.576 byte" in text
    assert EVAL_WANT.search(text)


def test_thousands_use_the_indonesian_separator() -> None:
    assert [length.thousands(n) for n in (5, 2000, 1048576)] == ["5", "2.000", "1.048.576"]
