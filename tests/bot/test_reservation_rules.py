"""Reservation rules: past dates, weekends, holidays, too many guests, missing letter."""

from datetime import date
from pathlib import Path

import pytest

from bot.hours import ServiceHours
from bot.reservations import Mode, ReservationPolicy, ReservationRules

KB = Path(__file__).resolve().parents[2] / "knowledge_base"
TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture(scope="module")
def policy() -> ReservationPolicy:
    return ReservationPolicy(ReservationRules.load(KB), ServiceHours.load(KB))


def test_rules_come_from_the_knowledge_base():
    assert ReservationRules.load(KB) == ReservationRules(5, 1, 90, True)


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 12, 1), "sudah lewat"),
        (TODAY, "sudah lewat"),
        (date(2026, 12, 5), "bukan hari kerja"),  # Saturday
        (date(2026, 12, 6), "bukan hari kerja"),  # Sunday
        (date(2026, 12, 25), "hari libur"),  # Christmas
        (date(2027, 6, 2), "paling lambat"),
        (date(2026, 12, 3), None),
        (date(2026, 12, 7), None),
    ],
)
def test_dates(policy, day, reason):
    result = policy.check_date(day, TODAY)
    assert (result is None) if reason is None else (reason in result)


def test_earliest_skips_the_weekend(policy):
    assert policy.earliest(date(2026, 12, 4)) == date(2026, 12, 7)


def test_guests(policy):
    assert policy.check_guests(5, Mode.TATAP_MUKA) is None
    assert "paling banyak 5 orang" in policy.check_guests(6, Mode.TATAP_MUKA)
    assert policy.check_guests(12, Mode.VIDEO_CONFERENCE) is None
    assert policy.check_guests(0, Mode.VIDEO_CONFERENCE) is not None


def test_a_visit_needs_the_letter_first(policy):
    assert "surat permohonan" in policy.check_letter(False, Mode.TATAP_MUKA)
    assert policy.check_letter(True, Mode.TATAP_MUKA) is None
    assert policy.check_letter(False, Mode.VIDEO_CONFERENCE) is None
