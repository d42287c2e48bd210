"""Routing and grouping of misses and "Tidak membantu" votes, on real phrasings against the real
knowledge base (searched as the assistant searches it), with the encoder and without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from loop_samples import START, ask, copy_kb, minutes, sqlite, vote

from bot.kb.live import KnowledgeBase
from bot.kb.loop.grouping import question_groups
from bot.kb.loop.routing import owner_unit
from bot.kb.semantic import E5Encoder

DTK, DTU, SEKRETARIAT = "dana-transfer-khusus", "dana-transfer-umum", "sekretariat"
GOLD = (
    "harga emas antam hari ini berapa",
    "harga emas antam per gram hari ini",
    "harga emas antam sekarang berapa",
)
CPNS = ("cara daftar cpns kemenkeu", "pendaftaran cpns kementerian keuangan kapan dibuka")
SAWIT = ("dbh sawit kabupaten kami kok turun", "kenapa dbh sawit kabupaten kami tahun ini turun")
DESA_2 = (
    "dana desa tahap 2 kapan cair",
    "kapan penyaluran dana desa tahap II",
    "pencairan dana desa tahap 2 tahun ini kapan ya",
)


@pytest.fixture(scope="module")
def encoder() -> E5Encoder:
    return E5Encoder()


@pytest.fixture
def kb(tmp_path: Path, encoder: E5Encoder) -> KnowledgeBase:
    return KnowledgeBase(copy_kb(tmp_path / "kb"), encoder, tmp_path / "vectors.sqlite")


def test_routing_follows_the_candidate_then_the_program_then_the_secretariat(
    kb: KnowledgeBase,
) -> None:
    retriever = kb.retriever

    def route(text: str) -> str:
        match = kb.match(text)
        return owner_unit(retriever, text, match.best_id, match.best_unit, match.best_score)

    assert route("portal data apbd tidak bisa dibuka sejak kemarin") == (
        "evaluasi-informasi-keuangan-daerah"  # the best candidate, portal-data-apbd
    )
    assert route("retribusi parkir boleh naik berapa persen") == "pajak-daerah"  # names PDRD
    assert route("dbh sawit kabupaten kami kok turun") == DTU  # names DBH, no candidate
    assert route("harga emas antam hari ini berapa") == SEKRETARIAT
    assert route("cara daftar cpns kemenkeu") == SEKRETARIAT
    # a candidate about another program than the one asked loses to the program named
    text = "dbh sawit tahap 2 kapan disalurkan"
    assert owner_unit(retriever, text, "otsus-penyaluran", DTK, 0.6) == DTU
    assert owner_unit(retriever, text, "dbh-penyaluran", DTU, 0.6) == DTU
    # a weak candidate, no program: the Secretariat
    assert owner_unit(retriever, "resep rendang padang", "media-sosial", SEKRETARIAT, 0.1) == (
        SEKRETARIAT
    )
    assert owner_unit(retriever, "resep rendang padang", "dbh-penyaluran", DTU, 0.1) == SEKRETARIAT


def record_sample(engine, kb: KnowledgeBase) -> None:  # type: ignore[no-untyped-def]
    at = START
    for text in (*GOLD, *CPNS, *SAWIT, "resep rendang padang"):
        assert ask(engine, kb, text, at), f"{text!r} was answered"
        at += minutes(7)
    for text in DESA_2:
        assert vote(engine, kb, text, at) == "dana-desa-penyaluran"
        at += minutes(7)
    vote(engine, kb, "dana desa tahap 1 tahun ini kapan cair", at)
    vote(engine, kb, "kapan dana otsus papua tahap 2 disalurkan", at + minutes(1))
    ask(engine, kb, "harga emas antam hari ini berapa", at + minutes(2), channel="whatsapp")


def test_near_duplicates_are_grouped_by_meaning_per_unit(tmp_path: Path, kb: KnowledgeBase) -> None:
    engine = sqlite(tmp_path)
    record_sample(engine, kb)
    groups = question_groups(engine, kb)
    by_text = {text: g for g in groups for text in g.texts}

    gold = by_text[GOLD[0]]
    assert (gold.unit, gold.kind, gold.count) == (SEKRETARIAT, "miss", 4)
    assert gold.texts[0] == GOLD[0]  # asked twice: the most frequent first
    assert set(gold.texts) == set(GOLD)
    assert gold.channels == ("rest", "whatsapp")
    assert by_text[CPNS[0]] is by_text[CPNS[1]] and by_text[CPNS[0]] is not gold
    assert by_text[SAWIT[0]] is by_text[SAWIT[1]]
    assert by_text[SAWIT[0]].unit == DTU

    desa = by_text[DESA_2[0]]
    assert (desa.unit, desa.kind, desa.count) == (DTK, "unhelpful", 3)
    assert set(desa.texts) == set(DESA_2)
    assert (desa.best_id, desa.program) == ("dana-desa-penyaluran", "dana-desa")
    # the same entry voted down, but another stage or another program: other groups
    assert by_text["dana desa tahap 1 tahun ini kapan cair"] is not desa
    assert by_text["kapan dana otsus papua tahap 2 disalurkan"] is not desa
    assert groups[0] is gold  # largest first

    assert {g.unit for g in question_groups(engine, kb, unit=DTK)} == {DTK}
    assert len(question_groups(engine, kb, unit=DTK)) == 3


def test_group_ids_stay_as_questions_arrive(tmp_path: Path, kb: KnowledgeBase) -> None:
    engine = sqlite(tmp_path)
    record_sample(engine, kb)
    before = {g.texts[0]: g.id for g in question_groups(engine, kb)}
    assert ask(engine, kb, "berapa harga emas antam hari ini", START + minutes(600))
    vote(engine, kb, "dana desa tahap kedua kapan disalurkan", START + minutes(601))
    after = question_groups(engine, kb)
    assert {g.texts[0]: g.id for g in after} == before
    assert len(set(before.values())) == len(before)
    counts = {g.texts[0]: g.count for g in after}
    assert counts[GOLD[0]] == 5


def test_since_and_until_keep_the_questions_of_the_period(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    engine = sqlite(tmp_path)
    record_sample(engine, kb)
    late = question_groups(engine, kb, since=START + minutes(7 * 8))
    assert sum(g.count for g in late) == 3 + 2 + 1  # the votes, then the last miss
    early = question_groups(engine, kb, until=START + minutes(7 * 3))
    assert [(g.texts, g.count) for g in early] == [(GOLD, 3)]


def test_without_the_encoder_questions_sharing_their_words_are_grouped(tmp_path: Path) -> None:
    kb = KnowledgeBase(copy_kb(tmp_path / "kb"))  # lexical search only
    engine = sqlite(tmp_path)
    ship = (
        "jadwal kapal pelni ke kupang bulan depan",
        "jadwal kapal pelni ke kupang minggu depan",
        "kapal pelni ke kupang jadwalnya kapan",
    )
    gold = ("harga emas antam per gram hari ini", "harga emas antam per gram sekarang")
    at = START
    for text in (*ship, *gold, *SAWIT, "resep rendang padang"):
        assert ask(engine, kb, text, at), text
        at += minutes(5)
    groups = question_groups(engine, kb)
    by_text = {text: g for g in groups for text in g.texts}
    assert by_text[ship[0]].count == 3 and by_text[ship[0]].unit == SEKRETARIAT
    assert by_text[gold[0]] is by_text[gold[1]] and by_text[gold[0]] is not by_text[ship[0]]
    assert by_text[SAWIT[0]] is by_text[SAWIT[1]] and by_text[SAWIT[0]].unit == DTU
    assert by_text["resep rendang padang"].count == 1
    assert len(groups) == 4
