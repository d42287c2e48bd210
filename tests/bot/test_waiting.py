"""The expected answer of a waiting user: estimate in hours, next opening at and after closing."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.hours import ServiceHours, Zone
from bot.waiting import expected_answer

KB = Path(__file__).resolve().parents[2] / "knowledge_base"
WIB = Zone.WIB.tzinfo


@pytest.fixture(scope="module")
def hours() -> ServiceHours:
    return ServiceHours.load(KB)


def told(hours: ServiceHours, now: datetime, position: int, zone: Zone | None = None) -> str:
    return expected_answer(hours, now, position, 10).describe(now, zone)


def test_in_hours_the_queue_position_gives_an_estimate_in_the_users_zone(hours):
    monday_10 = datetime(2026, 11, 30, 10, 0, tzinfo=WIB)
    assert told(hours, monday_10, 1) == "Perkiraan dijawab pukul 10.10 WIB."
    assert told(hours, monday_10, 3, Zone.WITA) == "Perkiraan dijawab pukul 11.30 WITA."
    assert told(hours, monday_10, 2, Zone.WIT) == "Perkiraan dijawab pukul 12.20 WIT."
    expected = expected_answer(hours, monday_10, 2, 10)
    assert expected.estimate and expected.at.tzinfo == timezone.utc


def test_just_before_closing_the_answer_is_the_next_opening(hours):
    assert told(hours, datetime(2026, 11, 30, 16, 49, tzinfo=WIB), 1) == (
        "Perkiraan dijawab pukul 16.59 WIB."
    )
    assert told(hours, datetime(2026, 11, 30, 16, 50, tzinfo=WIB), 1) == (
        "Tiket Bapak/Ibu dijawab mulai Selasa, 08.00 WIB."
    )
    assert told(hours, datetime(2026, 11, 30, 16, 0, tzinfo=WIB), 7, Zone.WITA) == (
        "Tiket Bapak/Ibu dijawab mulai Selasa, 09.00 WITA."
    )


def test_friday_evening_waits_for_monday_in_each_zone(hours):
    friday_18 = datetime(2026, 12, 4, 18, 0, tzinfo=WIB)
    assert told(hours, friday_18, 1) == "Petugas kami melayani kembali Senin, 08.00 WIB."
    assert told(hours, friday_18, 1, Zone.WIT) == "Petugas kami melayani kembali Senin, 10.00 WIT."
    friday_1655 = datetime(2026, 12, 4, 16, 55, tzinfo=WIB)
    assert told(hours, friday_1655, 1, Zone.WITA) == (
        "Tiket Bapak/Ibu dijawab mulai Senin, 09.00 WITA."
    )


def test_a_holiday_of_holidays_yml_is_skipped(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    shutil.copy(KB / "hours.yml", kb / "hours.yml")
    (kb / "holidays.yml").write_text(
        "add:\n  - {date: 2026-12-07, name: Hari pemungutan suara, type: libur_nasional}\n"
    )
    hours = ServiceHours.load(kb)
    friday_18 = datetime(2026, 12, 4, 18, 0, tzinfo=WIB)
    assert told(hours, friday_18, 1, Zone.WITA) == (
        "Petugas kami melayani kembali Selasa, 09.00 WITA."
    )


def test_christmas_and_cuti_bersama_close_the_service(hours):
    wednesday_1655 = datetime(2026, 12, 23, 16, 55, tzinfo=WIB)  # 24 cuti bersama, 25 Natal
    assert told(hours, wednesday_1655, 1) == "Tiket Bapak/Ibu dijawab mulai Senin, 08.00 WIB."


def test_an_opening_a_week_away_or_more_gives_the_date(tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    shutil.copy(KB / "hours.yml", kb / "hours.yml")
    days = "".join(
        f"  - {{date: 2026-12-{day:02d}, name: Libur, type: libur_nasional}}\n"
        for day in range(7, 12)
    )
    (kb / "holidays.yml").write_text("add:\n" + days)
    friday_18 = datetime(2026, 12, 4, 18, 0, tzinfo=WIB)
    assert told(ServiceHours.load(kb), friday_18, 1) == (
        "Petugas kami melayani kembali Senin, 14 Desember 2026, 08.00 WIB."
    )
