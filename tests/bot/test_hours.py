"""Service hours, time zones and the holiday calendar (lokal-id + knowledge_base/holidays.yml)."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.hours import ServiceHours, Zone, format_moment

KB = Path(__file__).resolve().parents[2] / "knowledge_base"
WIB, WITA, WIT = (zone.tzinfo for zone in Zone)


@pytest.fixture
def hours() -> ServiceHours:
    # One load per test (cheap: the calendar is cached), so a mutant of the loader meets every
    # test, not only the first one of the module.
    return ServiceHours.load(KB)


def at(zone, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (at(WIB, 2026, 11, 30, 7, 59), False),  # Monday, before 08.00 WIB
        (at(WIB, 2026, 11, 30, 8, 0), True),
        (at(WIB, 2026, 11, 30, 16, 59), True),
        (at(WIB, 2026, 11, 30, 17, 0), False),
        (at(WITA, 2026, 11, 30, 8, 0), False),  # 08.00 WITA is 07.00 WIB
        (at(WITA, 2026, 11, 30, 9, 0), True),
        (at(WITA, 2026, 11, 30, 17, 30), True),  # 16.30 WIB
        (at(WITA, 2026, 11, 30, 18, 0), False),
        (at(WIT, 2026, 11, 30, 9, 59), False),
        (at(WIT, 2026, 11, 30, 10, 0), True),
        (at(WIT, 2026, 11, 30, 18, 59), True),
        (at(WIT, 2026, 11, 30, 19, 0), False),
        (at(timezone.utc, 2026, 11, 30, 1, 0), True),  # 08.00 WIB in UTC
        (at(WIB, 2026, 11, 28, 10, 0), False),  # Saturday
        (at(WIB, 2026, 11, 29, 10, 0), False),  # Sunday
        (at(WIB, 2026, 8, 17, 10, 0), False),  # Monday, Proklamasi Kemerdekaan
        (at(WIB, 2026, 3, 20, 10, 0), False),  # Friday, cuti bersama Idulfitri 1447 H
        (at(WIB, 2026, 3, 24, 10, 0), False),  # Tuesday, cuti bersama Idulfitri 1447 H
        (at(WIB, 2026, 3, 25, 10, 0), True),  # first working day after Lebaran
        (at(WIB, 2026, 12, 24, 10, 0), False),  # Thursday, cuti bersama Natal
        (at(WIB, 2027, 3, 10, 10, 0), False),  # Wednesday, Idulfitri 1448 H
        (at(WIB, 2027, 3, 12, 10, 0), False),  # Friday, cuti bersama Idulfitri 1448 H
        (at(WIB, 2027, 3, 15, 10, 0), False),  # Monday, cuti bersama Idulfitri 1448 H
        (at(WIB, 2027, 3, 16, 10, 0), True),
        (at(WIB, 2027, 12, 24, 10, 0), False),  # Friday, cuti bersama Natal
    ],
)
def test_is_open(hours: ServiceHours, moment: datetime, open_: bool) -> None:
    assert hours.is_open(moment) is open_


def test_the_holiday_rows_fall_on_weekdays() -> None:
    # Otherwise the rows above would pass because of the weekend rule alone.
    for day in [(2026, 8, 17), (2026, 3, 20), (2026, 3, 24), (2026, 12, 24), (2027, 3, 10)]:
        assert date(*day).weekday() < 5
    for day in [(2027, 3, 12), (2027, 3, 15), (2027, 12, 24)]:
        assert date(*day).weekday() < 5


def test_calendar_covers_this_year_and_next(hours: ServiceHours) -> None:
    assert hours.covers(2026) and hours.covers(2027)
    lebaran = hours.holiday_on(date(2026, 3, 21))
    assert lebaran is not None and "Idulfitri" in lebaran.name
    cuti = hours.holiday_on(date(2026, 3, 23))
    assert cuti is not None and cuti.kind == "cuti_bersama"
    assert hours.holiday_on(date(2027, 3, 15)).kind == "cuti_bersama"
    assert hours.holiday_on(date(2026, 11, 30)) is None


@pytest.mark.parametrize(
    ("moment", "zone", "text"),
    [
        (at(WIB, 2026, 11, 27, 17, 30), Zone.WIB, "Senin, 08.00 WIB"),  # Friday evening
        (at(WITA, 2026, 11, 27, 19, 0), Zone.WITA, "Senin, 09.00 WITA"),
        (at(WIT, 2026, 11, 27, 21, 0), Zone.WIT, "Senin, 10.00 WIT"),
        (at(WIB, 2026, 11, 28, 9, 0), "WITA", "Senin, 09.00 WITA"),  # Saturday
        (at(WIB, 2026, 11, 30, 6, 0), Zone.WIB, "Senin, 08.00 WIB"),  # same morning
        (at(WIB, 2026, 11, 30, 17, 0), Zone.WIT, "Selasa, 10.00 WIT"),
        (at(WIB, 2026, 8, 16, 20, 0), Zone.WIB, "Selasa, 08.00 WIB"),  # over 17 August
        # Nyepi, Lebaran and cuti bersama: eight days closed, so the date is spelled out.
        (at(WIB, 2026, 3, 17, 17, 0), Zone.WIB, "Rabu, 25 Maret 2026, 08.00 WIB"),
        (at(WITA, 2026, 3, 17, 18, 0), Zone.WITA, "Rabu, 25 Maret 2026, 09.00 WITA"),
    ],
)
def test_format_opening(hours: ServiceHours, moment: datetime, zone, text: str) -> None:
    assert hours.format_opening(moment, zone) == text


def test_next_opening_is_utc_and_identity_when_open(hours: ServiceHours) -> None:
    friday = at(WIT, 2026, 11, 27, 19, 30)
    assert hours.next_opening(friday) == at(timezone.utc, 2026, 11, 30, 1, 0)
    assert hours.next_opening(friday).isoformat() == "2026-11-30T01:00:00+00:00"
    open_now = at(WIB, 2026, 11, 30, 9, 15)
    assert hours.next_opening(open_now).isoformat() == "2026-11-30T02:15:00+00:00"


def test_naive_datetimes_are_refused(hours: ServiceHours) -> None:
    with pytest.raises(ValueError):
        hours.is_open(datetime(2026, 11, 30, 9, 0))


def test_format_moment_with_date() -> None:
    moment = at(WIB, 2026, 3, 30, 8, 0)
    assert format_moment(moment, Zone.WIB, with_date=True) == "Senin, 30 Maret 2026, 08.00 WIB"
    assert Zone.WITA.offset_hours == 8 and Zone.WIT.region == "Timur"


def _kb_copy(tmp_path: Path, hours_yml: str | None = None, holidays_yml: str | None = None) -> Path:
    shutil.copy(KB / "hours.yml", tmp_path / "hours.yml")
    shutil.copy(KB / "holidays.yml", tmp_path / "holidays.yml")
    if hours_yml is not None:
        (tmp_path / "hours.yml").write_text(hours_yml, encoding="utf-8")
    if holidays_yml is not None:
        (tmp_path / "holidays.yml").write_text(holidays_yml, encoding="utf-8")
    return tmp_path


def test_override_adds_and_removes_days(tmp_path: Path) -> None:
    kb = _kb_copy(
        tmp_path,
        holidays_yml=(
            "required_years: [2026, 2027]\n"
            "add:\n  - {date: 2026-12-01, name: Pemungutan suara, type: libur_nasional}\n"
            "remove:\n  - 2026-12-24\n"
        ),
    )
    hours = ServiceHours.load(kb)
    assert not hours.is_open(at(WIB, 2026, 12, 1, 10, 0))
    assert hours.is_open(at(WIB, 2026, 12, 24, 10, 0))


def test_missing_required_year_fails_loudly(tmp_path: Path) -> None:
    kb = _kb_copy(tmp_path, holidays_yml="required_years: [2026, 2031]\n")
    with pytest.raises(ValueError, match="2031"):
        ServiceHours.load(kb)


def test_hours_are_configurable(tmp_path: Path) -> None:
    config = (
        "zone: WIB\nclosed_on_cuti_bersama: false\nweekly:\n"
        '  senin: ["07.30-12.00", "13.00-16.00"]\n  sabtu: ["08.00-12.00"]\n'
    )
    hours = ServiceHours.load(_kb_copy(tmp_path, hours_yml=config))
    assert hours.is_open(at(WIB, 2026, 11, 30, 7, 30))
    assert not hours.is_open(at(WIB, 2026, 11, 30, 12, 30))
    assert hours.format_opening(at(WIB, 2026, 11, 30, 12, 30), Zone.WIB) == "Senin, 13.00 WIB"
    assert hours.is_open(at(WIB, 2026, 11, 28, 9, 0))  # Saturday morning
    assert not hours.is_open(at(WIB, 2026, 12, 1, 9, 0))  # Tuesday: no hours configured
    assert hours.is_open(at(WIB, 2026, 3, 23, 8, 0))  # Monday, cuti bersama: configured open
    assert not hours.is_open(at(WIB, 2026, 8, 17, 8, 0))  # Monday, libur nasional: closed


def test_calendar_gaps_as_of_a_given_day(hours: ServiceHours) -> None:
    # `make validate` runs this check at today's date (scripts/check_calendar.py); here the day
    # is given, so the test means the same whatever today is.
    assert hours.calendar_gaps(date(2026, 9, 30)) == ([], [])
    assert hours.calendar_gaps(date(2027, 10, 1)) == ([], ["no holidays for 2028 yet"])
    assert hours.calendar_gaps(date(2031, 1, 5)) == (["no holidays for 2031"], [])


def test_is_working_day(hours: ServiceHours) -> None:
    assert hours.is_working_day(date(2026, 11, 30))  # Monday
    assert not hours.is_working_day(date(2026, 11, 28))  # Saturday
    assert not hours.is_working_day(date(2026, 3, 20))  # cuti bersama Idulfitri
