"""Indonesian dates as users type them."""

from datetime import date

import pytest

from bot.dates import format_date, parse_date

TODAY = date(2026, 11, 28)  # a Saturday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7 Desember 2026", date(2026, 12, 7)),
        ("tgl 7 des", date(2026, 12, 7)),
        ("07/12/2026", date(2026, 12, 7)),
        ("7-12-26", date(2026, 12, 7)),
        ("2026-12-07", date(2026, 12, 7)),
        ("5 januari", date(2027, 1, 5)),
        ("besok", date(2026, 11, 29)),
        ("lusa", date(2026, 11, 30)),
        ("senin", date(2026, 11, 30)),
        ("hari sabtu", date(2026, 12, 5)),
        ("31 februari 2027", None),
        ("secepatnya", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, TODAY) == expected


def test_format_date():
    assert format_date(date(2026, 12, 7)) == "Senin, 7 Desember 2026"
