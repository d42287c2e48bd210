"""Typed satisfaction answers, as users write them after the two CSAT questions."""

from __future__ import annotations

import pytest

from bot.tickets.satisfaction import read_score


@pytest.mark.parametrize(
    ("typed", "score"),
    [
        ("5", 5),
        (" 4 ", 4),
        ("1", 1),
        ("5!", 5),
        ("lima", 5),
        ("Lima.", 5),
        ("limaa", 5),
        ("empat", 4),
        ("emapt", 4),
        ("tiga", 3),
        ("sangat puas", 5),
        ("Sangat puasss", 5),
        ("sngt puas", 5),
        ("sgt puas", 5),
        ("puas bgt", 5),
        ("puas sekali", 5),
        ("puas", 4),
        ("pwas", 4),
        ("puas, terima kasih", 4),
        ("cukup", 3),
        ("cukup puas", 3),
        ("biasa saja", 3),
        ("kurang puas", 2),
        ("kurg puas", 2),
        ("tidak puas", 1),
        ("gak puas", 1),
        ("tdk puas", 1),
        ("sangat tidak puas", 1),
        ("kecewa", 1),
        ("sangat sesuai", 5),
        ("sesuai", 4),
        ("kurang sesuai", 2),
        ("tidak sesuai", 1),
        ("5 bintang", 5),
        ("bintang 5", 5),
        ("⭐⭐⭐⭐⭐", 5),
        ("⭐⭐⭐", 3),
        ("4/5", 4),
        ("3 dari 5", 3),
        ("nilai 5 ya kak", 5),
        ("5 sangat puas", 5),
    ],
)
def test_a_typed_score_is_understood(typed, score):
    assert read_score(typed) == score


@pytest.mark.parametrize(
    "typed",
    [
        "",
        None,
        "0",
        "6",
        "10",
        "4,5",
        "4 atau 5",
        "4 5",
        "halo",
        "ok",
        "terima kasih",
        "batal",
        "kapan dbh cair?",
        "apa itu efin",
        "saya mau tanya",
        "2 hari lagi",
        "⭐⭐⭐⭐⭐⭐",
    ],
)
def test_anything_else_is_not_a_score(typed):
    assert read_score(typed) is None
