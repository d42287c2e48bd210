"""hours.yml and holidays.yml as a unit PIC edits them: zone, cuti bersama, new years, errors;
and the boundaries a user sees (closing time, the date spelled out past six days)."""

from __future__ import annotations

import shutil
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

import pytest

from bot.hours import Holiday, HoursError, ServiceHours, Zone, format_moment

KB = Path(__file__).resolve().parents[2] / "knowledge_base"
WIB, WITA, WIT = (zone.tzinfo for zone in Zone)
MONDAY = date(2026, 11, 30)  # an ordinary working Monday


def at(zone: tzinfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


def _kb(tmp_path: Path, hours_yml: str | None = None, holidays_yml: str | None = None) -> Path:
    shutil.copy(KB / "hours.yml", tmp_path / "hours.yml")
    shutil.copy(KB / "holidays.yml", tmp_path / "holidays.yml")
    if hours_yml is not None:
        (tmp_path / "hours.yml").write_text(hours_yml, encoding="utf-8")
    if holidays_yml is not None:
        (tmp_path / "holidays.yml").write_text(holidays_yml, encoding="utf-8")
    return tmp_path


WEEKDAYS = "".join(
    f'  {d}: ["08.00-17.00"]\n' for d in ("senin", "selasa", "rabu", "kamis", "jumat")
)


def test_zone_setting_moves_the_hours(tmp_path: Path) -> None:
    hours = ServiceHours.load(_kb(tmp_path, hours_yml=f"zone: WITA\nweekly:\n{WEEKDAYS}"))
    assert not hours.is_open(at(WITA, 2026, 11, 30, 7, 59))
    assert hours.is_open(at(WITA, 2026, 11, 30, 8, 0))  # 08.00 WITA is 07.00 WIB
    assert hours.is_open(at(WIB, 2026, 11, 30, 7, 0))
    assert not hours.is_open(at(WIB, 2026, 11, 30, 16, 0))  # 17.00 WITA: closed
    assert hours.format_opening(at(WITA, 2026, 11, 27, 18, 0)) == "Senin, 08.00 WITA"


def test_without_a_zone_the_hours_are_wib_and_cuti_bersama_closes(tmp_path: Path) -> None:
    hours = ServiceHours.load(_kb(tmp_path, hours_yml=f"weekly:\n{WEEKDAYS}"))
    assert hours.is_open(at(WIB, 2026, 11, 30, 8, 0))
    assert not hours.is_open(at(WITA, 2026, 11, 30, 8, 30))  # 07.30 WIB
    assert hours.format_opening(at(WIB, 2026, 11, 28, 9, 0)) == "Senin, 08.00 WIB"
    assert not hours.is_open(at(WIB, 2026, 3, 23, 10, 0))  # Monday, cuti bersama Idulfitri


def test_colon_times_are_read_too(tmp_path: Path) -> None:
    hours = ServiceHours.load(_kb(tmp_path, hours_yml='weekly:\n  senin: ["07:30-12:15"]\n'))
    assert hours.is_open(at(WIB, 2026, 11, 30, 7, 30))
    assert hours.is_open(at(WIB, 2026, 11, 30, 12, 14))
    assert not hours.is_open(at(WIB, 2026, 11, 30, 12, 15))


@pytest.mark.parametrize(
    ("hours_yml", "message"),
    [
        ("weekly:\n  senin: ['08.00-17.00', 'pagi']\n", "bad service hours range 'pagi'"),
        ("weekly:\n  senin: ['08.00-08.00']\n", "empty service hours range: 08.00-08.00"),
        ("weekly:\n  senin: ['16.00-08.00']\n", "empty service hours range: 16.00-08.00"),
        ("weekly:\n  monday: ['08.00-16.00']\n", "unknown day 'monday' (use senin..minggu)"),
        (
            "zone: CET\nweekly:\n  senin: ['08.00-16.00']\n",
            "unknown zone 'CET' (use WIB, WITA, WIT)",
        ),
        ("- senin\n- selasa\n", "expected a mapping"),
        ("weekly: [unclosed\n", "invalid YAML"),
    ],
)
def test_a_broken_hours_file_names_itself_and_the_problem(
    tmp_path: Path, hours_yml: str, message: str
) -> None:
    with pytest.raises(HoursError) as caught:
        ServiceHours.load(_kb(tmp_path, hours_yml=hours_yml))
    assert message in str(caught.value)
    assert str(tmp_path / "hours.yml") in str(caught.value)


@pytest.mark.parametrize(
    ("holidays_yml", "message"),
    [
        (
            "add:\n  - {date: 2026-12-01, name: X, type: cuti}\n",
            "unknown holiday type 'cuti' on 2026-12-01",
        ),
        ("add:\n  - {date: 2026-12-01}\n", "bad entry (KeyError: 'name')"),
        (
            "add:\n  - {date: 2026-13-01, name: X}\n",
            "2: invalid YAML: value not readable as timestamp",
        ),
        ("add:\n  - {date: '1 Desember', name: X}\n", "bad entry (ValueError"),
        ("- 2026-12-01\n", "bad entry (AttributeError"),
        ("add: [unclosed\n", "invalid YAML"),
        ("required_years: [2026, 2029]\n", "does not cover required years [2029]"),
    ],
)
def test_a_broken_holiday_file_names_itself_and_the_problem(
    tmp_path: Path, holidays_yml: str, message: str
) -> None:
    with pytest.raises(HoursError) as caught:
        ServiceHours.load(_kb(tmp_path, holidays_yml=holidays_yml))
    assert message in str(caught.value)
    assert str(tmp_path / "holidays.yml") in str(caught.value)


def test_holidays_added_by_file_cuti_bersama_and_a_new_year(tmp_path: Path) -> None:
    holidays = (
        "required_years: [2026, 2027, 2028]\n"
        "add:\n"
        "  - {date: 2026-12-01, name: Pemungutan suara}\n"  # no type: a libur nasional
        "  - {date: 2026-12-02, name: Cuti tambahan, type: cuti_bersama}\n"
        "  - {date: 2028-01-03, name: Tahun Baru 2028 (digeser), type: libur_nasional}\n"
        "remove:\n  - 2026-12-09\n"  # not a holiday at all: nothing to remove, no error
    )
    hours = ServiceHours.load(_kb(tmp_path, holidays_yml=holidays))
    assert hours.covers(2028) and not hours.covers(2029)
    assert not hours.is_open(at(WIB, 2026, 12, 1, 10, 0))  # Tuesday
    assert not hours.is_open(at(WIB, 2026, 12, 2, 10, 0))  # Wednesday, cuti bersama
    assert hours.is_open(at(WIB, 2026, 12, 9, 10, 0))
    assert not hours.is_open(at(WIB, 2028, 1, 3, 10, 0))  # Monday of the new year
    added = hours.holiday_on(date(2028, 1, 3))
    assert added == Holiday(date(2028, 1, 3), "Tahun Baru 2028 (digeser)", "libur_nasional")
    assert hours.holiday_on(date(2026, 12, 1)) == Holiday(
        date(2026, 12, 1), "Pemungutan suara", "libur_nasional"
    )
    assert hours.format_opening(at(WIB, 2026, 11, 30, 17, 0)) == "Kamis, 08.00 WIB"


def test_cuti_bersama_open_when_configured_but_not_an_added_libur(tmp_path: Path) -> None:
    holidays = (
        "add:\n"
        "  - {date: 2026-12-01, name: Pemungutan suara}\n"
        "  - {date: 2026-12-02, name: Cuti tambahan, type: cuti_bersama}\n"
    )
    config = f"closed_on_cuti_bersama: false\nweekly:\n{WEEKDAYS}"
    hours = ServiceHours.load(_kb(tmp_path, hours_yml=config, holidays_yml=holidays))
    assert not hours.is_open(at(WIB, 2026, 12, 1, 10, 0))
    assert hours.is_open(at(WIB, 2026, 12, 2, 10, 0))
    assert hours.is_open(at(WIB, 2026, 3, 23, 10, 0))  # cuti bersama Idulfitri of the package


def test_the_package_calendar_keeps_names_days_and_libur_over_cuti() -> None:
    hours = ServiceHours.load(KB)
    proklamasi = hours.holiday_on(date(2026, 8, 17))
    assert proklamasi is not None and proklamasi.day == date(2026, 8, 17)
    assert "Kemerdekaan" in proklamasi.name and proklamasi.kind == "libur_nasional"
    lebaran = hours.holidays[date(2026, 3, 21)]
    assert lebaran.kind == "libur_nasional" and "Idulfitri" in lebaran.name
    assert hours.holidays[date(2026, 3, 20)].kind == "cuti_bersama"
    assert hours.covers(2026) and hours.covers(2027)


def test_service_hours_built_in_code_close_on_cuti_bersama_by_default() -> None:
    cuti = Holiday(MONDAY, "Cuti", "cuti_bersama")
    hours = ServiceHours({0: [(time(8), time(17))]}, {MONDAY: cuti})
    assert not hours.is_open(at(WIB, 2026, 11, 30, 9, 0))
    assert hours.is_open(at(WIB, 2026, 12, 7, 9, 0))
    assert not hours.covers(2026)
    assert hours.calendar_gaps(MONDAY) == (["no holidays for 2026"], ["no holidays for 2027 yet"])


def test_closing_time_of_the_open_range() -> None:
    hours = ServiceHours({0: [(time(8), time(12)), (time(13), time(17))]})
    closing = hours.closing(at(WIB, 2026, 11, 30, 8, 0))
    assert closing is not None and closing.isoformat() == "2026-11-30T05:00:00+00:00"
    assert hours.closing(at(WITA, 2026, 11, 30, 12, 59)).isoformat() == "2026-11-30T05:00:00+00:00"
    assert hours.closing(at(WIB, 2026, 11, 30, 16, 59)).isoformat() == "2026-11-30T10:00:00+00:00"
    assert hours.closing(at(WIB, 2026, 11, 30, 12, 0)) is None  # lunch break
    assert hours.closing(at(WIB, 2026, 11, 30, 17, 0)) is None
    assert hours.closing(at(WIB, 2026, 12, 1, 9, 0)) is None  # Tuesday: no hours


def test_next_opening_later_the_same_evening() -> None:
    # 18.00 WIB is already the next day east of Jakarta: the search must start on WIB's day.
    hours = ServiceHours({0: [(time(19), time(21))]})
    opening = hours.next_opening(at(WIB, 2026, 11, 30, 18, 0))
    assert opening.isoformat() == "2026-11-30T12:00:00+00:00"
    assert hours.format_opening(at(WIB, 2026, 11, 30, 18, 0)) == "Senin, 19.00 WIB"


def test_the_date_is_spelled_out_from_seven_days_away() -> None:
    hours = ServiceHours({0: [(time(8), time(17))]})  # Mondays only
    six_days = at(WIB, 2026, 12, 1, 9, 0)  # Tuesday
    assert hours.format_opening(six_days) == "Senin, 08.00 WIB"
    assert hours.format_opening(six_days, Zone.WIT) == "Senin, 10.00 WIT"
    seven_days = at(WIB, 2026, 11, 30, 17, 30)  # Monday after closing
    assert hours.format_opening(seven_days) == "Senin, 7 Desember 2026, 08.00 WIB"
    # 23.30 WIT on Monday is Tuesday 00.30 further east, still Monday in Jakarta: seven days.
    assert hours.format_opening(at(WIT, 2026, 11, 30, 23, 30), "WIT") == (
        "Senin, 7 Desember 2026, 10.00 WIT"
    )


def test_no_hours_at_all_is_a_clear_error() -> None:
    with pytest.raises(ValueError) as caught:
        ServiceHours({}).next_opening(at(WIB, 2026, 11, 30, 9, 0))
    assert str(caught.value) == "no service hours configured in the coming year"


class _Floating(tzinfo):
    """A tzinfo that does not know its offset: the moment is as good as naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None


def test_a_moment_without_a_known_offset_is_refused() -> None:
    hours = ServiceHours({0: [(time(8), time(17))]})
    with pytest.raises(ValueError) as caught:
        hours.is_open(datetime(2026, 11, 30, 9, 0, tzinfo=_Floating()))
    assert str(caught.value) == "service hours need a timezone-aware datetime"
    with pytest.raises(ValueError, match="service hours need a timezone-aware datetime"):
        format_moment(datetime(2026, 11, 30, 9, 0), Zone.WIB)


def test_format_moment_leaves_the_date_out_unless_asked() -> None:
    moment = at(timezone.utc, 2026, 11, 30, 1, 0)
    assert format_moment(moment, Zone.WITA) == "Senin, 09.00 WITA"


def test_calendar_warning_starts_in_october() -> None:
    hours = ServiceHours.load(KB)  # covers 2026 and 2027
    assert hours.calendar_gaps(date(2026, 10, 1)) == ([], [])
    assert hours.calendar_gaps(date(2027, 9, 30)) == ([], [])
    assert hours.calendar_gaps(date(2027, 10, 1)) == ([], ["no holidays for 2028 yet"])


def test_without_a_holidays_file_the_package_calendar_counts(tmp_path: Path) -> None:
    (tmp_path / "hours.yml").write_text(f"weekly:\n{WEEKDAYS}", encoding="utf-8")
    hours = ServiceHours.load(tmp_path)
    assert not hours.is_open(at(WIB, 2026, 8, 17, 10, 0))  # Proklamasi, from lokal-id
    assert hours.is_open(at(WIB, 2026, 8, 18, 10, 0))


def test_an_evening_opening_six_days_away_has_no_date() -> None:
    # 19.00 WIB on Monday is already Tuesday east of Jakarta: the days are counted in the
    # user's zone, not the machine's.
    hours = ServiceHours({0: [(time(19), time(21))]})
    assert hours.format_opening(at(WIB, 2026, 12, 1, 18, 0)) == "Senin, 19.00 WIB"
    assert hours.format_opening(at(WIB, 2026, 11, 30, 21, 0)) == "Senin, 7 Desember 2026, 19.00 WIB"
