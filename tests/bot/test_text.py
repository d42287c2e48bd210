"""Normaliser of informal Indonesian: slang, repeated letters, fillers, protected numbers."""

from __future__ import annotations

import pytest

from bot.text import DOMAIN_TERMS, FILLER_WORDS, normalise, slang_map, strip_fillers, tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gmn caranya", "bagaimana caranya"),
        ("gimana", "bagaimana"),
        ("bgmn", "bagaimana"),
        ("brp", "berapa"),
        ("brapa", "berapa"),
        ("tdk", "tidak"),
        ("gak bisa", "tidak bisa"),
        ("ga", "tidak"),
        ("nggak", "tidak"),
        ("enggak", "tidak"),
        ("sdh", "sudah"),
        ("udah", "sudah"),
        ("blm", "belum"),
        ("blom", "belum"),
        ("yg", "yang"),
        ("utk", "untuk"),
        ("dgn", "dengan"),
        ("sy", "saya"),
        ("aku", "saya"),
        ("kpn", "kapan"),
        ("makasih", "terima kasih"),
        ("tq", "terima kasih"),
        ("dr", "dari"),
        ("krn", "karena"),
        ("bs", "bisa"),
        ("jg", "juga"),
        ("lg", "lagi"),
        ("sm", "sama"),
        ("nmr wa", "nomor whatsapp"),
        ("no telp", "nomor telepon"),
        ("tlp", "telepon"),
        ("info", "informasi"),
        ("dll", "dan lain lain"),
        ("perjadin", "perjalanan dinas"),
    ],
)
def test_slang_and_abbreviations_are_expanded(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bangeeet", "banget"),
        ("kpnnn", "kapan"),
        ("yaaa", "ya"),
        ("gmnnn", "bagaimana"),
        ("gmnn", "bagaimana"),
        ("tolooong dong", "tolong dong"),
        ("maaf saat ini", "maaf saat ini"),
    ],
)
def test_letters_repeated_three_times_or_more_collapse(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "number",
    [
        "UND-41/PK.3/2023",
        "SE-1/PK.1/2023",
        "SE-1/PK/2023",
        "PMK 211/PMK.07/2022",
        "204/PMK.07/2022",
        "S-38/PK/2024",
        "callcenter.djpk@kemenkeu.go.id",
        "contact-djpk.kemenkeu.go.id",
        "0811-150420-7",
    ],
)
def test_letter_numbers_addresses_and_phone_numbers_survive_unchanged(number: str) -> None:
    text = f"Min, apakah {number} itu benar?"
    assert number in normalise(text)
    assert number in strip_fillers(normalise(text))


def test_pk_is_never_read_as_pakai() -> None:
    assert "pakai" not in normalise("surat PK dan UND-41/PK.3/2023 dari PK")
    assert normalise("PK") == "pk"


def test_domain_abbreviations_are_kept_as_tokens() -> None:
    assert (
        normalise("DAU, DBH, TDF, PDRD dan SHSR utk Pemda")
        == "dau dbh tdf pdrd dan shsr untuk pemda"
    )


def test_no_slang_spelling_hides_a_domain_abbreviation() -> None:
    assert not set(slang_map()) & DOMAIN_TERMS


def test_stage_numerals_are_digits() -> None:
    assert normalise("DAU tahap II") == "dau tahap 2"
    assert normalise("tahap pertama") == "tahap 1"
    assert normalise("tahap I kpn") == "tahap 1 kapan"


def test_reduplication_and_unicode_cleanup() -> None:
    assert normalise("macam2 dana") == "macam macam dana"
    assert normalise("jenis-jenis dana") == "jenis jenis dana"
    assert normalise("Café 😀 DJPK\u200b!!") == "cafe djpk"


def test_strip_fillers_keeps_the_question() -> None:
    assert strip_fillers(normalise("min, nmr wa djpk brp ya kak?")) == "nomor whatsapp djpk berapa"
    assert strip_fillers(normalise("Selamat pagi Pak, terima kasih banyak ya")) == ""
    assert strip_fillers("kalau chat malam") == "kalau chat malam"
    assert strip_fillers("hai kemenkeu") == "hai kemenkeu"


def test_fillers_are_not_domain_terms() -> None:
    assert not FILLER_WORDS & DOMAIN_TERMS


def test_tokens_keep_letter_numbers_whole() -> None:
    assert tokens("Apakah UND-41/PK.3/2023 asli, min?") == [
        "apakah",
        "UND-41/PK.3/2023",
        "asli",
        "min",
    ]
    assert tokens("PMK 211/PMK.07/2022") == ["pmk", "211/PMK.07/2022"]
    assert tokens("") == []
