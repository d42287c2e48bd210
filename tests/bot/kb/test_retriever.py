"""The served FAQ search: unseen wording, the program guard, refusals, calibrated decisions."""

from __future__ import annotations

from datetime import date

import pytest
from kb_samples import REAL_KB

from bot.kb.live import KnowledgeBase
from bot.kb.retriever import FaqRetriever
from bot.kb.semantic import E5Encoder
from tests.stacks import VECTORS

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def retriever() -> FaqRetriever:
    """By meaning, on the vector cache the test stacks share (entries embedded once)."""
    return KnowledgeBase(REAL_KB, E5Encoder(), VECTORS).retriever


@pytest.fixture(scope="module")
def lexical_only() -> FaqRetriever:
    return KnowledgeBase(REAL_KB).retriever


def best(retriever: FaqRetriever, query: str) -> str | None:
    match = retriever.match(query, today=TODAY)
    return match.hits[0].id if match.confident else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # wording the entries do not use: found by meaning
        ("gedung kantor djpk ada di mana", "alamat-kantor"),
        ("berapa lama cs djpk melayani tiap hari", "jam-layanan"),
        ("kirim dokumen persyaratan penyaluran rutin ke alamat surel mana", "email-lapor"),
        ("mau unduh data realisasi anggaran seluruh pemda", "portal-data-apbd"),
        ("min, dau tahap 1 kpn cair ya?", "dau-penyaluran-tahap-1"),
        ("nmr wa djpk brp", "kontak-whatsapp"),
    ],
)
def test_questions_in_other_words_are_answered(retriever, query, expected):
    assert best(retriever, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("berapa lama cs djpk melayani tiap hari", "jam-layanan"),
        ("kirim dokumen persyaratan penyaluran rutin ke alamat surel mana", "email-lapor"),
    ],
)
def test_the_encoder_answers_what_lexical_search_alone_does_not(
    retriever, lexical_only, query, expected
):
    assert best(lexical_only, query) != expected
    assert best(retriever, query) == expected


def test_a_weak_match_by_meaning_is_offered_as_a_choice(retriever, lexical_only):
    query = "uang bagi hasil yg disimpan di tdf cara ambilnya"
    assert not lexical_only.match(query, today=TODAY).hits
    match = retriever.match(query, today=TODAY)
    assert match.ambiguous and match.hits[0].id == "dbh-tdf-pencairan"


@pytest.mark.parametrize(
    ("query", "program"),
    [
        ("dana desa tahap 1 kapan cair", "dana-desa"),
        ("kapan dana otsus papua tahap 2 disalurkan", "otsus"),
        ("dd tahap 2 syaratnya apa", "dana-desa"),
    ],
)
def test_a_named_program_is_answered_only_from_its_own_entries(retriever, query, program):
    match = retriever.match(query, today=TODAY)
    assert match.programs[:1] == (program,)
    assert match.hits, "an entry of that program exists"
    for hit in match.hits:
        assert retriever.programs.fits([program], retriever.entry_programs(hit.entry))
        assert not hit.id.startswith("dau-")


def test_a_program_without_an_entry_gets_no_answer(retriever):
    entries = tuple(e for e in retriever.entries if e.id != "otsus-penyaluran")
    without = FaqRetriever(entries, retriever.programs, retriever.refusals)
    match = without.match("kapan dana otsus papua tahap 2 disalurkan", today=TODAY)
    assert not match.confident
    assert all(not h.id.startswith(("dau-", "dbh-", "dak-")) for h in match.hits)
    assert match.best_unit == retriever.programs.get("otsus").unit


@pytest.mark.parametrize(
    "query",
    [
        "berapa alokasi dak fisik kabupaten kami tahun 2025",
        "dbh sawit kabupaten kami kok turun",
        "pagu dana alokasi umum kota kami berapa",
    ],
)
def test_one_pemdas_own_figures_are_never_answered(retriever, query):
    assert retriever.refused_kind(query) == "angka-satu-daerah"
    assert retriever.search(query) == []
    assert not retriever.match(query, today=TODAY).hits


def test_a_program_name_is_not_read_as_an_allocation_question(retriever):
    # "dana alokasi umum" holds the word "alokasi": only the words around the name count
    assert retriever.refused_kind("syarat salur dana alokasi umum kabupaten kami") is None


@pytest.mark.parametrize(
    "query", ["harga emas antam hari ini berapa", "jadwal kapal pelni ke kupang", "resep rendang"]
)
def test_out_of_domain_gets_nothing(retriever, query):
    assert retriever.search(query) == []
    match = retriever.match(query, today=TODAY)
    assert not match.confident and not match.ambiguous


def test_confidences_are_probabilities_best_first(retriever):
    hits = retriever.search("syarat salur dau apa saja", k=3)
    scores = [h.score for h in hits]
    assert len(hits) == 3 and scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] >= retriever.answer_threshold > scores[1]


def test_close_entries_are_offered_not_answered(retriever):
    match = retriever.match("dau cair kapan", today=TODAY)
    assert match.ambiguous and not match.confident
    assert {h.id for h in match.hits} & {"dau-penyaluran-tahap-1", "dau-tidak-ditentukan"}


def test_expired_entries_are_never_served(retriever):
    later = date(2999, 1, 1)
    assert all(h.entry.valid_until is None for h in retriever.search("jam layanan", today=later))
