"""The FAQ search's decisions at their boundaries, on a small frozen set of entries.

Each query below sits just above or just below a line the search draws (answered, offered as a
choice, nothing offered; one clear winner or a question back to the user), so a change of a
threshold, margin, weight or of the scoring shows as a different decision for the user.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.kb.records import FaqEntry
from bot.kb.search import FaqIndex

TODAY = date(2026, 12, 1)


def _entry(
    entry_id: str,
    topic: str,
    questions: tuple[str, ...],
    answer: str,
    keywords: tuple[str, ...] = (),
    references: tuple[str, ...] = (),
    valid_until: date | None = None,
) -> FaqEntry:
    return FaqEntry(
        id=entry_id,
        topic=topic,
        unit=f"unit-{entry_id}",
        questions=questions,
        answer=answer,
        references=references,
        reviewed_on=date(2026, 11, 1),
        keywords=keywords,
        valid_until=valid_until,
    )


ENTRIES = (
    _entry(
        "jadwal-pelatihan",
        "Pelatihan",
        ("Kapan jadwal pelatihan keuangan daerah?", "Jadwal bimbingan teknis tahun ini"),
        "Jadwal pelatihan diumumkan di laman resmi.",
        keywords=("bimtek",),
    ),
    _entry(
        "alamat-kantor",
        "Kantor",
        ("Di mana alamat kantor DJPK?", "Lokasi gedung kantor pusat"),
        "Kantor berada di Jakarta Pusat.",
        keywords=("gedung",),
    ),
    _entry(
        "syarat-pinjaman",
        "Pinjaman daerah",
        ("Apa syarat pinjaman daerah?", "Dokumen pengajuan pinjaman daerah"),
        "Syarat pinjaman tercantum dalam peraturan.",
        references=("PP 56/2018",),
    ),
    _entry(
        "laporan-hibah",
        "Hibah daerah",
        ("Bagaimana pelaporan dana hibah?", "Format laporan hibah daerah"),
        "Laporan hibah disampaikan setiap semester.",
    ),
    _entry(
        "laporan-pinjaman",
        "Pinjaman daerah",
        ("Bagaimana pelaporan pinjaman daerah?", "Format laporan pinjaman"),
        "Laporan pinjaman disampaikan setiap triwulan.",
    ),
    _entry(
        "pajak-daerah",
        "Pajak daerah",
        ("Apa saja jenis pajak daerah?", "Tarif pajak kendaraan bermotor"),
        "Jenis pajak daerah diatur undang-undang.",
        references=("UU 1/2022",),
    ),
    _entry(
        "dana-desa",
        "Dana desa",
        ("Kapan dana desa disalurkan?", "Tahap penyaluran dana desa"),
        "Dana desa disalurkan dalam tiga tahap.",
    ),
    _entry(
        "retribusi",
        "Retribusi",
        ("Apa itu retribusi parkir?", "Tarif retribusi pasar"),
        "Retribusi dipungut atas jasa daerah.",
        keywords=("parkir",),
    ),
)


@pytest.fixture
def index() -> FaqIndex:
    return FaqIndex(ENTRIES)


@pytest.mark.parametrize(
    ("query", "answered"),
    [
        ("jadwal pelatihan", "jadwal-pelatihan"),
        ("jadwl pelatiham", "jadwal-pelatihan"),  # typos repaired
        ("pelatuhan", "jadwal-pelatihan"),
        ("bimtek", "jadwal-pelatihan"),  # a keyword alone
        ("gedung", "alamat-kantor"),
        ("tarif pajak", "pajak-daerah"),
        ("daerah penyaluran laman", "dana-desa"),  # just above the answer line
        ("keuangan dokumen", "syarat-pinjaman"),  # runner-up just outside the margin
        ("dana bimtek", "jadwal-pelatihan"),  # a keyword weighs as much as a question word
    ],
)
def test_answered_directly(index: FaqIndex, query: str, answered: str) -> None:
    match = index.match(query, today=TODAY)
    assert match.confident and not match.ambiguous
    assert match.answer is not None and match.answer.id == answered
    assert match.best_id == answered and match.best_unit == f"unit-{answered}"


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ("desa semester", ["dana-desa"]),  # just below the answer line: a choice
        ("resmi laman", ["jadwal-pelatihan"]),  # just above the offer line
        ("jakarta", ["alamat-kantor"]),  # a word of the answer only
        ("PP 56/2018", ["syarat-pinjaman"]),  # a reference only
        ("pp", ["syarat-pinjaman"]),  # a word of a reference alone is still offered
        ("pajak retribusi", ["retribusi", "pajak-daerah"]),  # the best two too close
        ("pinjaman", ["syarat-pinjaman", "laporan-pinjaman"]),
        ("laporan daerah", ["laporan-hibah", "laporan-pinjaman"]),
    ],
)
def test_offered_as_a_choice_not_answered(index: FaqIndex, query: str, offered: list[str]) -> None:
    match = index.match(query, today=TODAY)
    assert match.ambiguous and not match.confident and match.answer is None
    assert [hit.id for hit in match.hits] == offered


@pytest.mark.parametrize(
    ("query", "best"),
    [
        ("daerah jakarta laman", "jadwal-pelatihan"),  # just below the offer line
        ("semester", "laporan-hibah"),
    ],
)
def test_nothing_offered_but_the_best_guess_is_logged(
    index: FaqIndex, query: str, best: str
) -> None:
    match = index.match(query, today=TODAY)
    assert match.hits == () and not match.confident and not match.ambiguous
    assert match.best_id == best and match.best_unit == f"unit-{best}"
    (guess, *_) = index.search(query, threshold=0.0, today=TODAY)
    assert guess.id == best and match.best_score == guess.score > 0.0


@pytest.mark.parametrize("query", ["pjak", "pajek", "pelatuham", "liga inggris", "", "ya kak"])
def test_unknown_words_find_nothing(index: FaqIndex, query: str) -> None:
    # "pjak" is too short to repair; "pajek" and "pelatuham" are too far from "pajak" and
    # "pelatihan" (a typo is repaired from 85 % similarity on).
    match = index.match(query, today=TODAY)
    assert match.hits == () and match.best_id is None and match.best_score == 0.0
    assert index.search(query, threshold=0.0, today=TODAY) == []


def test_search_returns_the_answers_above_the_line_in_order(index: FaqIndex) -> None:
    hits = index.search("laporan pinjaman", k=5, today=TODAY)
    assert [hit.id for hit in hits] == ["laporan-pinjaman", "syarat-pinjaman", "laporan-hibah"]
    assert [hit.id for hit in index.search("laporan pinjaman", k=2, today=TODAY)] == [
        "laporan-pinjaman",
        "syarat-pinjaman",
    ]
    assert [hit.entry.unit for hit in hits] == [f"unit-{hit.id}" for hit in hits]
    assert [hit.id for hit in index.search("tarif pajak", k=5, today=TODAY)] == ["pajak-daerah"]


def test_the_full_question_beats_a_partial_one(index: FaqIndex) -> None:
    hits = index.search("format laporan hibah daerah", k=3, threshold=0.0, today=TODAY)
    assert [hit.id for hit in hits][:2] == ["laporan-hibah", "laporan-pinjaman"]
    assert hits[0].score == 1.0 > hits[1].score


def test_an_expired_entry_is_no_answer_after_its_last_day() -> None:
    last_day = date(2026, 11, 30)
    entries = tuple(replace(e, valid_until=last_day) if e.id == "dana-desa" else e for e in ENTRIES)
    index = FaqIndex(entries)
    assert index.match("dana desa", today=last_day).answer.id == "dana-desa"
    after = index.match("dana desa", today=date(2026, 12, 1))
    assert "dana-desa" not in [hit.id for hit in after.hits]


def test_a_word_named_by_many_entries_weighs_less_than_a_rare_one(index: FaqIndex) -> None:
    # "daerah" is in five entries, "hibah" in one: the rare word decides.
    match = index.match("hibah daerah", today=TODAY)
    assert match.confident and match.answer.id == "laporan-hibah"
    assert index.match("daerah", today=TODAY).ambiguous


def test_a_score_exactly_on_the_offer_line_is_offered(index: FaqIndex) -> None:
    match = index.match("format tarif jakarta", today=TODAY)
    assert match.ambiguous and [hit.id for hit in match.hits] == ["laporan-hibah", "pajak-daerah"]
    assert match.query == "format tarif jakarta"
    lined = index.search("format tarif jakarta", k=5, threshold=0.3, today=TODAY)
    assert [hit.id for hit in lined] == ["laporan-hibah", "pajak-daerah"]


def test_three_choices_at_most_by_default(index: FaqIndex) -> None:
    # "daerah" fits five entries: three are offered, three are searched.
    assert len(index.match("daerah", today=TODAY).hits) == 3
    assert len(index.search("daerah", today=TODAY)) == 3
    assert len(index.search("daerah", k=5, today=TODAY)) == 5


def test_a_word_of_the_id_alone_finds_the_entry() -> None:
    waris = _entry(
        "bphtb-waris",
        "BPHTB",
        ("Apakah bea perolehan hak atas tanah dikenakan atas hibah keluarga?",),
        "Diatur dalam peraturan daerah masing-masing.",
    )
    match = FaqIndex((*ENTRIES, waris)).match("waris", today=TODAY)
    assert match.answer is not None and match.answer.id == "bphtb-waris"


def test_an_expired_entry_does_not_hide_the_entries_after_it() -> None:
    entries = tuple(
        replace(e, valid_until=date(2026, 11, 30)) if e.id == "laporan-hibah" else e
        for e in ENTRIES
    )
    match = FaqIndex(entries).match("dana", today=TODAY)
    assert [hit.id for hit in match.hits] == ["dana-desa"]


def test_exactly_as_many_matches_as_candidates_are_all_ranked() -> None:
    many = tuple(
        _entry(f"laporan-{n}", f"Laporan {n}", (f"Laporan triwulan kode {n}",), "Jawaban.")
        for n in range(15)
    )
    hits = FaqIndex(many).search("laporan triwulan", k=20, threshold=0.0, today=TODAY)
    assert sorted(hit.id for hit in hits) == sorted(e.id for e in many)
