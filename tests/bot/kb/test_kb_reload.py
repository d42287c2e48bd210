"""Hot reload: edits, new and removed files are served on the next query; bad edits are not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from kb_samples import entry_yaml, line_of, write_faq

from bot.kb.live import KnowledgeBase
from bot.settings import Settings

QUESTIONS = ("Berapa nomor WhatsApp DJPK?", "nomor wa djpk", "kontak whatsapp djpk")


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    write_faq(
        tmp_path,
        "sekretariat",
        entry_yaml("kontak-whatsapp", "sekretariat", "Nomor lama 0811-1.", QUESTIONS),
    )
    return KnowledgeBase(tmp_path)


def answer_of(kb: KnowledgeBase, query: str) -> str | None:
    hits = kb.search(query)
    return hits[0].entry.answer if hits else None


def test_edited_answer_is_served_on_the_next_query(kb: KnowledgeBase, tmp_path: Path) -> None:
    assert answer_of(kb, "nomor wa djpk") == "Nomor lama 0811-1."
    write_faq(
        tmp_path,
        "sekretariat",
        entry_yaml("kontak-whatsapp", "sekretariat", "Nomor baru 0811-150420-7.", QUESTIONS),
    )
    assert answer_of(kb, "nomor wa djpk") == "Nomor baru 0811-150420-7."


def test_added_and_removed_files_are_seen(kb: KnowledgeBase, tmp_path: Path) -> None:
    assert kb.search("lupa efin") == []
    questions = ("Bagaimana mendapatkan EFIN?", "lupa efin", "efin hilang")
    path = write_faq(
        tmp_path, "pajak", entry_yaml("efin", "pajak", "Hubungi Kring Pajak 1500200.", questions)
    )
    assert [hit.id for hit in kb.search("lupa efin")] == ["efin"]
    path.unlink()
    assert kb.search("lupa efin") == []
    assert kb.get("efin") is None and kb.get("kontak-whatsapp") is not None


def test_invalid_edit_keeps_the_last_good_kb_and_logs_file_and_line(
    kb: KnowledgeBase, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert answer_of(kb, "nomor wa djpk") == "Nomor lama 0811-1."
    path = write_faq(
        tmp_path,
        "sekretariat",
        entry_yaml("kontak-whatsapp", "sekretariat", "x" * 1001, QUESTIONS),
    )
    with caplog.at_level(logging.ERROR, logger="bot.kb.live"):
        assert answer_of(kb, "nomor wa djpk") == "Nomor lama 0811-1."
    expected = f"{path}:{line_of(path, 'answer:')}: "
    assert any(
        r.levelno == logging.ERROR and r.getMessage().startswith(expected) for r in caplog.records
    )
    assert kb.errors and kb.errors[0].startswith(expected)

    path.write_text("entries:\n  - id: [rusak\n", encoding="utf-8")
    assert answer_of(kb, "nomor wa djpk") == "Nomor lama 0811-1."
    assert kb.errors[0].startswith(f"{path}:") and "invalid YAML" in kb.errors[0]

    write_faq(
        tmp_path,
        "sekretariat",
        entry_yaml("kontak-whatsapp", "sekretariat", "Diperbaiki.", QUESTIONS),
    )
    assert answer_of(kb, "nomor wa djpk") == "Diperbaiki."
    assert kb.errors == []


def test_unchanged_files_are_not_reloaded(kb: KnowledgeBase) -> None:
    kb.search("nomor wa")
    assert kb.refresh() is False


def test_one_shared_instance_per_folder(tmp_path: Path) -> None:
    settings = Settings.from_env({"DJPK_KB_DIR": str(tmp_path)})
    assert KnowledgeBase.from_settings(settings) is KnowledgeBase.from_settings(settings)
    assert KnowledgeBase.from_settings(settings).entries == ()
