"""Reservation rules of SE-1/PK.1/2023: online first, a letter before a visit, few guests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from pathlib import Path

from bot.content import ContentError, read_yaml
from bot.dates import format_date
from bot.hours import ServiceHours

FILE_NAME = "services.yml"


class ServicesError(ContentError, ValueError):
    """services.yml is malformed; the message names the file."""


class Mode(str, Enum):
    """How the consultation takes place."""

    VIDEO_CONFERENCE = "video_conference"
    TATAP_MUKA = "tatap_muka"


@dataclass(frozen=True)
class ReservationRules:
    """The configurable limits (knowledge_base/services.yml)."""

    max_guests: int = 5
    min_working_days_ahead: int = 1
    max_days_ahead: int = 90
    visit_requires_letter: bool = True

    @classmethod
    def load(cls, kb_dir: Path | str) -> ReservationRules:
        """Read the `reservations` block; defaults for anything not set."""
        path = Path(kb_dir) / FILE_NAME
        data = (read_yaml(path, ServicesError) or {}) if path.exists() else {}
        block = (data.get("reservations") if isinstance(data, dict) else None) or {}
        if not isinstance(block, dict):
            raise ServicesError(f"{path}:1: `reservations` must map rules to values")
        fields = {k: block[k] for k in cls.__dataclass_fields__ if k in block}
        return cls(**fields)


class ReservationPolicy:
    """Checks a requested consultation against the rules; each check returns a reason or None."""

    def __init__(self, rules: ReservationRules, hours: ServiceHours) -> None:
        self.rules, self.hours = rules, hours

    def is_working_day(self, day: date) -> bool:
        """A weekday with service hours that is neither a holiday nor cuti bersama."""
        return self.hours.is_working_day(day)

    def earliest(self, today: date) -> date:
        """The first date that may be requested."""
        day, counted = today, 0
        while counted < self.rules.min_working_days_ahead:
            day += timedelta(days=1)
            counted += self.is_working_day(day)
        return day

    def check_date(self, day: date, today: date) -> str | None:
        """Why the date cannot be used, or None."""
        if day <= today:
            return "Tanggal tersebut sudah lewat atau hari ini; mohon pilih tanggal mendatang."
        if not self.is_working_day(day):
            holiday = self.hours.holiday_on(day)
            why = f"hari libur ({holiday.name})" if holiday else "bukan hari kerja"
            return f"{format_date(day)} adalah {why}; mohon pilih hari kerja."
        if day < self.earliest(today):
            return f"Pengajuan paling cepat untuk {format_date(self.earliest(today))}."
        if day > today + timedelta(days=self.rules.max_days_ahead):
            return f"Pengajuan paling lambat {self.rules.max_days_ahead} hari ke depan."
        return None

    def check_guests(self, count: int, mode: Mode) -> str | None:
        """Why the number of attendees is refused, or None."""
        if count < 1:
            return "Jumlah peserta paling sedikit 1 orang."
        if mode is Mode.TATAP_MUKA and count > self.rules.max_guests:
            return (
                f"Konsultasi tatap muka dibatasi paling banyak {self.rules.max_guests} orang "
                "(SE-1/PK.1/2023). Mohon kurangi jumlah tamu atau pilih video conference."
            )
        return None

    def check_letter(self, sent: bool, mode: Mode) -> str | None:
        """A visit needs the request letter first."""
        if mode is Mode.TATAP_MUKA and self.rules.visit_requires_letter and not sent:
            return (
                "Kunjungan tatap muka harus didahului surat permohonan kepada DJPK "
                "(SE-1/PK.1/2023). Silakan kirim surat terlebih dahulu, atau pilih video "
                "conference yang dapat segera dijadwalkan."
            )
        return None
