"""Search: known questions find their entry, out-of-domain finds nothing, scores are sane."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from kb_samples import REAL_KB

from bot.kb.loader import load_dir
from bot.kb.records import SearchHit
from bot.kb.search import SUGGEST_THRESHOLD, THRESHOLD, FaqIndex, is_ambiguous


@pytest.fixture(scope="module")
def index() -> FaqIndex:
    return FaqIndex(load_dir(REAL_KB))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("min nomor wa djpk brp ya", "kontak-whatsapp"),
        ("Berapa nomor telepon Dering DJPK?", "kontak-telepon"),
        ("email buat konsultasi apa kak", "kontak-email"),
        ("laporan rutin pemda kirim ke email mana", "email-lapor"),
        ("min, dau tahap 1 kpn cair ya?", "dau-penyaluran-tahap-1"),
        ("DAU tahap II cair kapan", "dau-penyaluran-tahap-2"),
        ("tdf cairnya gmn", "dbh-tdf-pencairan"),
        ("saldo tdf dicatat di lkpd gmn", "dbh-tdf-pencatatan-lkpd"),
        ("UND-41/PK.3/2023", "dak-fisik-juknis"),
        ("PMK 204/PMK.07/2022 ttg apa", "dak-nonfisik-pmk-204"),
        ("lupa efin", "efin-npwp-bukan-djpk"),
        ("konsultasi di djpk bayar ga?", "layanan-gratis"),
        ("mau vicon pakai ms teams", "video-conference"),
        ("uang harian perjadin shsr", "shsr-perjalanan-dinas"),
        ("batas defisit apbd", "defisit-apbd"),
    ],
)
def test_known_questions_find_their_entry_first(index: FaqIndex, query: str, expected: str) -> None:
    hits = index.search(query)
    assert hits, f"nothing found for {query!r}"
    assert hits[0].id == expected


@pytest.mark.parametrize(
    "query", ["jadwal liga inggris", "resep rendang padang", "asdfgh qwerty", "", "min ya kak?"]
)
def test_out_of_domain_finds_nothing(index: FaqIndex, query: str) -> None:
    assert index.search(query) == []


def test_scores_are_between_0_and_1_best_first_and_above_threshold(index: FaqIndex) -> None:
    hits = index.search("nomor whatsapp djpk", k=5)
    scores = [hit.score for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(THRESHOLD <= score <= 1.0 for score in scores)
    assert all(isinstance(hit, SearchHit) and hit.entry.id == hit.id for hit in hits)
    assert len(index.search("dana", k=2, threshold=0.0)) <= 2


def test_search_is_deterministic(index: FaqIndex) -> None:
    first = [(h.id, h.score) for h in index.search("dau cair kapan", k=5, threshold=0.0)]
    assert first == [(h.id, h.score) for h in index.search("dau cair kapan", k=5, threshold=0.0)]


def test_expired_entries_are_not_served() -> None:
    entries = load_dir(REAL_KB)
    expired = tuple(
        replace(e, valid_until=date(2020, 1, 1)) if e.id == "kontak-whatsapp" else e
        for e in entries
    )
    ids = [hit.id for hit in FaqIndex(expired).search("nomor wa djpk", k=5, threshold=0.0)]
    assert "kontak-whatsapp" not in ids


def test_match_is_confident_for_a_clear_question(index: FaqIndex) -> None:
    match = index.match("min nomor wa djpk brp ya")
    assert match.confident and not match.ambiguous
    assert match.answer is not None and match.answer.id == "kontak-whatsapp"
    assert match.best_id == "kontak-whatsapp" and match.best_unit == "sekretariat"


def test_match_admits_no_answer_but_keeps_the_best_guess_for_the_miss_log(index: FaqIndex) -> None:
    match = index.match("jadwal liga inggris")
    assert not match.confident and not match.ambiguous and match.hits == ()
    assert match.answer is None
    assert 0.0 <= match.best_score < SUGGEST_THRESHOLD


def test_close_scores_are_ambiguous(index: FaqIndex) -> None:
    entry = index.entries[0]
    assert is_ambiguous([SearchHit("a", 0.80, entry), SearchHit("b", 0.78, entry)])
    assert not is_ambiguous([SearchHit("a", 0.80, entry), SearchHit("b", 0.60, entry)])
    assert not is_ambiguous([SearchHit("a", 0.80, entry)])
    # Two contact entries fit "email djpk" equally: the user is asked which one, not answered.
    match = index.match("email djpk")
    assert match.ambiguous and not match.confident and match.answer is None
    assert [hit.id for hit in match.hits[:2]] == ["kontak-email", "email-lapor"]


def test_a_thousand_entries_answer_in_milliseconds() -> None:
    import time

    entries = load_dir(REAL_KB)
    many = entries + tuple(replace(e, id=f"{e.id}-salinan-{n}") for n in range(25) for e in entries)
    index = FaqIndex(many)
    index.search("dau tahap 1 kapan cair")
    start = time.perf_counter()
    for _ in range(20):
        index.search("min, dau tahap 1 kpn cair ya?")
    assert (time.perf_counter() - start) / 20 < 0.05
