"""Entry vectors: cached on disk by text hash, re-embedded only where an edit changed the text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from kb_samples import entry_yaml, write_faq

from bot.kb.live import KnowledgeBase
from bot.kb.semantic import QUERY_CHARS, E5Encoder, EmbeddingCache, query_text

ENCODER = E5Encoder()
PHONE = ("Berapa nomor WhatsApp DJPK?", "nomor wa djpk", "kontak whatsapp djpk")
ADDRESS = ("Di mana alamat kantor DJPK?", "alamat djpk", "lokasi kantor djpk")


class Counting:
    """The real encoder, counting the passages it is asked to embed."""

    version = ENCODER.version

    def __init__(self) -> None:
        self.passages_embedded = 0
        self.queries = 0

    def query(self, text: str) -> np.ndarray:
        self.queries += 1
        return ENCODER.query(text)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages_embedded += len(texts)
        return ENCODER.passages(texts)


def write(folder: Path, address_answer: str = "Jalan Dr. Wahidin Raya Nomor 1, Jakarta.") -> None:
    write_faq(
        folder,
        "sekretariat",
        entry_yaml("kontak-whatsapp", "sekretariat", "WhatsApp 0811-150420-7.", PHONE)
        + entry_yaml("alamat-kantor", "sekretariat", address_answer, ADDRESS),
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    kb_dir = tmp_path / "kb"
    write(kb_dir)
    return kb_dir


def test_a_restart_embeds_nothing_again(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "vectors.sqlite"
    first = Counting()
    KnowledgeBase(folder, first, cache).refresh()
    assert first.passages_embedded == 2 * (2 + len(PHONE))  # joint text, topic, each question
    again = Counting()
    restarted = KnowledgeBase(folder, again, cache)
    assert restarted.match("kantor djpk di jalan apa").hits[0].id == "alamat-kantor"
    assert again.passages_embedded == 0


def test_an_edit_reembeds_only_the_texts_it_changed(folder: Path, tmp_path: Path) -> None:
    encoder = Counting()
    kb = KnowledgeBase(folder, encoder, tmp_path / "vectors.sqlite")
    kb.refresh()
    before = encoder.passages_embedded
    write(folder, address_answer="Gedung Radius Prawiro, Jalan Dr. Wahidin Raya Nomor 1.")
    assert kb.refresh()
    assert encoder.passages_embedded - before == 1  # the entry's joint text holds its answer


def test_a_new_entry_is_searched_by_meaning_on_the_next_query(folder: Path) -> None:
    kb = KnowledgeBase(folder, Counting())
    assert kb.match("layanan djpk pada hari libur nasional").hits == ()
    questions = ("Apakah Contact Center buka saat hari libur?", "cs libur tanggal merah?", "x y z")
    extra = entry_yaml("layanan-hari-libur", "sekretariat", "Tutup pada hari libur.", questions)
    (folder / "faq" / "sekretariat.yml").write_text(
        (folder / "faq" / "sekretariat.yml").read_text() + extra
    )
    match = kb.match("layanan djpk pada hari libur nasional")
    assert match.hits and match.hits[0].id == "layanan-hari-libur"


def test_an_unreadable_cache_costs_time_not_answers(folder: Path, tmp_path: Path) -> None:
    broken = tmp_path / "vectors.sqlite"
    broken.write_bytes(b"not a database")
    kb = KnowledgeBase(folder, Counting(), broken)
    assert kb.match("alamat kantor djpk").hits[0].id == "alamat-kantor"


def test_cache_keys_depend_on_the_encoder_version_and_the_text() -> None:
    key = EmbeddingCache.key
    assert key("a", "teks") != key("b", "teks") != key("a", "teks lain")
    assert key("a", "teks") == key("a", "teks")


def test_long_queries_are_cut_at_a_word_before_embedding() -> None:
    text = query_text("mohon informasi dana alokasi umum " * 40)
    assert len(text) <= QUERY_CHARS and text.endswith(("umum", "mohon", "informasi", "dana"))
    assert query_text("min, dau tahap 1 kpn cair ya?") == "dau tahap 1 kapan cair"


def test_a_clear_lexical_answer_skips_the_encoder_a_vague_question_uses_it(folder: Path) -> None:
    encoder = Counting()
    kb = KnowledgeBase(folder, encoder)
    match = kb.match("berapa nomor whatsapp djpk")
    assert match.confident and match.hits[0].id == "kontak-whatsapp" and encoder.queries == 0
    kb.match("bisa chat ke djpk lewat hp?")
    assert encoder.queries == 1
