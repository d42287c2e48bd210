"""Indonesian number formats and report months."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from bot.report.formatting import change, change_phrase, decimal, join, number, percent, share
from bot.report.period import Month, long_date


def test_numbers_use_a_dot_for_thousands_and_a_comma_for_decimals() -> None:
    assert number(1455) == "1.455"
    assert number(175000) == "175.000"
    assert number(12) == "12"
    assert decimal(Decimal("5"), 1) == "5,0"
    assert decimal(1234.5) == "1.234,50"


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [(1126, 1455, "77,39%"), (95, 1455, "6,53%"), (112, 1455, "7,70%"), (17, 184, "9,24%")],
)
def test_shares_round_half_up_to_two_decimals(part: int, whole: int, text: str) -> None:
    assert percent(share(part, whole)) == text


def test_half_rounds_up_not_to_even() -> None:
    assert share(1, 8, 2) == Decimal("12.50")
    assert share(1, 16, 2) == Decimal("6.25")
    assert percent(share(5, 2000)) == "0,25%"
    assert percent(share(1, 800)) == "0,13%"  # 0,125 -> 0,13


def test_changes_and_their_wording() -> None:
    assert change(1455, 1218) == Decimal("19.46")
    assert change_phrase(1455, 655) == "meningkat 122,14%"
    assert change_phrase(1126, 1007, "sebesar") == "meningkat sebesar 11,82%"
    assert change_phrase(85, 100) == "menurun 15,00%"
    assert change_phrase(5, 5) == "sama"
    assert change_phrase(5, 0).startswith("tidak dapat dibandingkan")
    assert share(1, 0) is None and percent(None) == "-"


def test_lists_are_joined_with_dan() -> None:
    assert join(["DBH", "DAU", "JF AKPD"]) == "DBH, DAU, dan JF AKPD"
    assert join(["DBH", "DAU"]) == "DBH dan DAU"
    assert join(["DBH"]) == "DBH" and join([]) == ""


def test_month_bounds_follow_wib() -> None:
    month = Month.parse("2023-02")
    assert month.start == datetime(2023, 1, 31, 17, tzinfo=timezone.utc)
    assert month.end == datetime(2023, 2, 28, 17, tzinfo=timezone.utc)
    assert (month.label, month.short_label, month.days) == ("Februari 2023", "Feb 2023", 28)
    assert month.shift(-1).key == "2023-01" and month.shift(-12).key == "2022-02"
    assert Month(2023, 1).shift(-1) == Month(2022, 12)
    assert Month.containing(datetime(2023, 1, 31, 17, 30, tzinfo=timezone.utc)) == month
    assert long_date(month.last_day) == "28 Februari 2023"


@pytest.mark.parametrize("text", ["2023-2", "2023-13", "Februari", ""])
def test_bad_months_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Month.parse(text)
