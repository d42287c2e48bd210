"""Reservation rules of SE-1/PK.1/2023 (online first, a letter before a visit, few guests), the
booking an agent agrees, and the messages that tell the user of each decision."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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

    @property
    def label(self) -> str:
        """How the user reads it: 'video conference', 'konsultasi tatap muka'."""
        return "video conference" if self is Mode.VIDEO_CONFERENCE else "konsultasi tatap muka"


_TIME = re.compile(r"^\s*(\d{1,2})[.:](\d{2})\s*$")


def parse_time(text: str) -> time | None:
    """'10.00', '10:00', '9:30' -> a time; None for anything else."""
    match = _TIME.match(text or "")
    if not match:
        return None
    hour, minute = map(int, match.groups())
    return time(hour, minute) if hour < 24 and minute < 60 else None


@dataclass(frozen=True)
class Booking:
    """What an agent agrees with the user: when (WIB), how, and the link or the room."""

    day: date
    at: time
    mode: Mode
    link: str = ""
    room: str = ""

    @property
    def where(self) -> str:
        """The line that says where to join: the meeting link or the room."""
        if self.mode is Mode.VIDEO_CONFERENCE:
            return f"Tautan rapat: {self.link}"
        return f"Tempat: {self.room}"

    def moment(self) -> str:
        """'Senin, 7 Desember 2026 pukul 10.00 WIB'."""
        return f"{format_date(self.day)} pukul {self.at.hour:02d}.{self.at.minute:02d} WIB"


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

    def check_time(self, day: date, at: time) -> str | None:
        """Why the time is outside service hours that day, or None."""
        moment = datetime.combine(day, at, tzinfo=self.hours.zone.tzinfo)
        if not self.hours.is_open(moment):
            return (
                f"Pukul {at.hour:02d}.{at.minute:02d} WIB di luar jam layanan pada "
                f"{format_date(day)}; mohon pilih jam layanan."
            )
        return None

    def check_booking(
        self, booking: Booking, today: date, attendees: int | None, letter_sent: bool
    ) -> str | None:
        """Why an agent may not agree to this booking (date, time, guests, letter), or None."""
        if booking.mode is Mode.VIDEO_CONFERENCE and not booking.link:
            return "Mohon isi tautan rapat untuk video conference."
        if booking.mode is Mode.TATAP_MUKA and not booking.room:
            return "Mohon isi ruang pertemuan untuk konsultasi tatap muka."
        checks = (
            self.check_date(booking.day, today),
            self.check_time(booking.day, booking.at),
            self.check_guests(attendees, booking.mode) if attendees is not None else None,
            self.check_letter(letter_sent, booking.mode),
        )
        return next((reason for reason in checks if reason), None)


def confirmation_text(number: str, booking: Booking) -> str:
    """What the user receives when an agent confirms the reservation."""
    return (
        f"Bapak/Ibu, reservasi {booking.mode.label} dengan nomor tiket {number} telah kami "
        f"konfirmasi pada {booking.moment()}. {booking.where}. Terima kasih."
    )


def reschedule_text(number: str, booking: Booking, reason: str) -> str:
    """What the user receives when an agent moves the reservation."""
    return (
        f"Bapak/Ibu, mohon maaf, jadwal reservasi {booking.mode.label} dengan nomor tiket "
        f"{number} kami jadwalkan ulang menjadi {booking.moment()}. Alasan: {reason}. "
        f"{booking.where}. Terima kasih atas pengertiannya."
    )


def decline_text(number: str, reason: str) -> str:
    """What the user receives when an agent declines the reservation."""
    return (
        f"Bapak/Ibu, mohon maaf, reservasi dengan nomor tiket {number} belum dapat kami "
        f"penuhi. Alasan: {reason}. Bapak/Ibu dapat mengajukan reservasi kembali melalui "
        "percakapan ini. Terima kasih."
    )
