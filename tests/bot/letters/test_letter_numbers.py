"""Number parsing: real spellings and OCR damage canonicalise; near-miss decoys stay different."""

from __future__ import annotations

import pytest

from bot.letters.numbers import canonical, find_numbers, parse_number

SAME = [
    ("UND-41/PK.3/2023", "UND-41/PK.3/2023"),
    ("und-41/pk.3/2023", "UND-41/PK.3/2023"),
    ("UND 41/PK.3/2023", "UND-41/PK.3/2023"),
    ("UND - 41 / PK 3 / 2023", "UND-41/PK.3/2023"),
    ("UND41/PK3/2023", "UND-41/PK.3/2023"),
    ("UND-41/PK-3/2023", "UND-41/PK.3/2023"),
    ("UND-41/PK,3/2023", "UND-41/PK.3/2023"),
    ("UND-41/PK.3 2023", "UND-41/PK.3/2023"),
    ("UND-4l/PK.3/2O23", "UND-41/PK.3/2023"),  # OCR: l for 1, O for 0
    ("UND-4I/PK.3/2023", "UND-41/PK.3/2023"),  # OCR: I for 1
    ("UNO-41/PK.3/2023", "UND-41/PK.3/2023"),  # OCR: O for D
    ("UND-41/PK.3/2O2З".replace("З", "3"), "UND-41/PK.3/2023"),
    ("UND-41|PK.3|2023", "UND-41/PK.3/2023"),
    ("5E-1/PK/2023", "SE-1/PK/2023"),  # OCR: 5 for S
    ("SE-l/PK.l/2023", "SE-1/PK.1/2023"),
    ("5-38/PK/2024", "S-38/PK/2024"),
    ("S-3B/PK/2024", "S-38/PK/2024"),  # OCR: B for 8
    ("S-38/PK/2O24", "S-38/PK/2024"),
    ("KEP-12/PK.1/2022", "KEP-12/PK.1/2022"),
    ("PENG-3/PK/2023", "PENG-3/PK/2023"),
    ("ND-5/PK.2/2021", "ND-5/PK.2/2021"),
    ("PER-1/PK/2020", "PER-1/PK/2020"),
    ("PMK 211/PMK.07/2022", "211/PMK.07/2022"),
    ("PMK Nomor 204/PMK.07/2022", "204/PMK.07/2022"),
    ("Peraturan Menteri Keuangan Nomor 204/PMK.07/2022", "204/PMK.07/2022"),
    ("204/PMK.7/2022", "204/PMK.07/2022"),
    ("PMK Nomor 62 Tahun 2023", "PMK 62/2023"),
    ("Perpres Nomor 33 Tahun 2020", "PERPRES 33/2020"),
    ("Peraturan Presiden Nomor 33 Tahun 2020", "PERPRES 33/2020"),
    ("Perpres 33/2020", "PERPRES 33/2020"),
]

# Each decoy is a different number from UND-41/PK.3/2023 (or is no number at all).
DECOYS = [
    ("UND-41/PK.3/2022", "UND-41/PK.3/2022"),
    ("UND-14/PK.3/2023", "UND-14/PK.3/2023"),
    ("UND-41/PK.4/2023", "UND-41/PK.4/2023"),
    ("UND-41/PK/2023", "UND-41/PK/2023"),
    ("UND-411/PK.3/2023", "UND-411/PK.3/2023"),
    ("UND-47/PK.3/2023", "UND-47/PK.3/2023"),
    ("S-41/PK.3/2023", "S-41/PK.3/2023"),
    ("SE-41/PK.3/2023", "SE-41/PK.3/2023"),
    ("41/PK.3/2023", "41/PK.3/2023"),
    ("UND-41/PK.3/20233", None),
    ("UND-41/PK.31/2023", None),
    ("UND-O/PK/2023", None),
    ("Rp 3.500.000/PK/2023", None),
    ("SE-1/PK.1/2023", "SE-1/PK.1/2023"),
    ("FUND-41/PK.3/2023", "41/PK.3/2023"),
]


@pytest.mark.parametrize(("raw", "expected"), SAME)
def test_spellings_and_ocr_damage_canonicalise(raw: str, expected: str) -> None:
    assert canonical(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), DECOYS)
def test_near_miss_decoys_are_different_numbers(raw: str, expected: str | None) -> None:
    found = [m.number.canonical for m in find_numbers(raw)]
    assert found == ([expected] if expected else [])
    assert "UND-41/PK.3/2023" not in found


def test_numbers_are_found_inside_sentences_in_order() -> None:
    text = "Menindaklanjuti SE-1/PK/2023 dan surat UND-41/PK.3/2023 (PMK 211/PMK.07/2022), asli?"
    found = find_numbers(text)
    assert [m.number.canonical for m in found] == [
        "SE-1/PK/2023",
        "UND-41/PK.3/2023",
        "211/PMK.07/2022",
    ]
    assert text[found[1].start : found[1].end] == "UND-41/PK.3/2023"


def test_a_number_written_twice_is_reported_once() -> None:
    assert len(find_numbers("UND-41/PK.3/2023 ... und 41/pk.3/2023")) == 1


def test_regulations_are_marked() -> None:
    assert parse_number("211/PMK.07/2022").is_regulation
    assert parse_number("Perpres 33/2020").is_regulation
    assert not parse_number("UND-41/PK.3/2023").is_regulation


def test_parse_number_needs_exactly_one_number() -> None:
    assert parse_number("UND-41/PK.3/2023 SE-1/PK/2023") is None
    assert parse_number("surat UND-41/PK.3/2023") is None
    assert parse_number("") is None


def test_years_outside_the_plausible_range_are_rejected() -> None:
    assert find_numbers("UND-41/PK.3/1899") == []
    assert find_numbers("UND-41/PK.3/2100") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("S-1/PK/1990", "S-1/PK/1990"),  # the first year read
        ("S-1/PK/2099", "S-1/PK/2099"),  # the last one
        ("KEP-7/PK/1999", "KEP-7/PK/1999"),
        ("211/PMK.10/2022", "211/PMK.010/2022"),  # PMK units of 10 and above: three digits
        ("211/PMK.010/2022", "211/PMK.010/2022"),
        ("204/PMK.9/2022", "204/PMK.09/2022"),
        ("1234/PMK.07/2022", "1234/PMK.07/2022"),
        ("UND-41/PK.03/2023", "UND-41/PK.3/2023"),
        ("UN0-41/PK.3/2023", "UND-41/PK.3/2023"),  # OCR: 0 for O
        ("UND–41/PK.3/2023", "UND-41/PK.3/2023"),  # en dash
        ("UND-41\\PK.3\\2023", "UND-41/PK.3/2023"),
        ("UND-41   /   PK.3   /   2023", "UND-41/PK.3/2023"),  # OCR spacing
        ("PMK No. 62 Tahun 2023", "PMK 62/2023"),
        ("PMK Nomor 12 Tahun 1999", "PMK 12/1999"),
        ("No. UND-41/PK.3/2023", "UND-41/PK.3/2023"),
        ("Nomor 204/PMK.07/2022", "204/PMK.07/2022"),
    ],
)
def test_more_spellings_read_as_one_number(raw: str, expected: str) -> None:
    assert canonical(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "S-1/PK/1989",  # before the first year read
        "UND-41/PK.i/2023",  # unit unreadable: not UND-41/PK/2023
        "UND-4q/PK.3/2023",  # a letter that is no digit look-alike
        "lOl/PK.1/2023",  # no prefix and not one real digit: not 101/PK.1/2023
        "123456/PK/2023",  # six digits: not 23456/PK/2023
        "surat tanpa nomor",
    ],
)
def test_unreadable_or_implausible_numbers_are_not_read(raw: str) -> None:
    assert find_numbers(raw) == []
    assert canonical(raw) is None


def test_a_prefix_makes_look_alike_letters_digits() -> None:
    assert canonical("UND-lOl/PK.1/2023") == "UND-101/PK.1/2023"


def test_the_number_as_written_is_kept() -> None:
    text = "mohon cek surat und 41/pk.3/2023 ya"
    (found,) = find_numbers(text)
    assert found.raw == "und 41/pk.3/2023" == text[found.start : found.end]
    assert found.number.canonical == "UND-41/PK.3/2023"
    assert found.number.prefix == "UND"


def test_overlapping_readings_keep_the_longest_then_the_first() -> None:
    # OCR can run two numbers together; one stretch of text is one number: the longest reading,
    # and of two readings as long, the one that starts first.
    assert [m.number.canonical for m in find_numbers("surat S-1/PK/2023/PMK.07/2024 ya")] == [
        "2023/PMK.07/2024"
    ]
    assert [m.number.canonical for m in find_numbers("UND-12/PK.3/2023/PMK.07/2024")] == [
        "UND-12/PK.3/2023"
    ]


def test_numbers_written_together_without_a_space_are_both_read() -> None:
    assert [m.number.canonical for m in find_numbers("S-1/PK/2023PMK 62/2023")] == [
        "S-1/PK/2023",
        "PMK 62/2023",
    ]
