"""Consultation reservations (video conference first, then a visit under SE-1/PK.1/2023)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.common import label, open_ticket
from actions.common.blocking import blocking
from actions.common.forms import FreeTextForm
from bot.dates import format_date, parse_date
from bot.hours import Zone
from bot.reservations import Mode
from bot.tickets import taxonomy as keys
from bot.tickets.taxonomy import Topic

YES = frozenset({"sudah", "ya", "iya", "sdh", "udah", "pernah", "y", "ok", "benar"})
NO = frozenset({"belum", "tidak", "blm", "tdk", "gak", "ga", "no", "n"})
NUMBER_WORDS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
}
FORM_SLOTS = (
    "reservation_mode",
    "reservation_topic",
    "reservation_date",
    "attendees_count",
    "attendees_positions",
    "letter_sent",
)


def parse_mode(text: str) -> Mode | None:
    """'vicon', 'online' -> video conference; 'tatap muka', 'datang' -> a visit."""
    lowered = text.lower()
    if re.search(r"video|vicon|vc\b|online|daring|teams|zoom|^1$", lowered):
        return Mode.VIDEO_CONFERENCE
    if re.search(r"tatap|muka|datang|kunjung|kantor|offline|luring|^2$", lowered):
        return Mode.TATAP_MUKA
    return None


def today() -> date:
    """Today in Jakarta, from the service clock (tests pass a fixed one)."""
    return services.ticket_service().clock().astimezone(Zone.WIB.tzinfo).date()


def date_refused(day: date) -> str | None:
    """Why the policy refuses a consultation on `day`, or None."""
    return services.reservation_policy().check_date(day, today())


def guests_refused(count: int, mode: Mode) -> str | None:
    """Why the policy refuses `count` guests for `mode`, or None."""
    return services.reservation_policy().check_guests(count, mode)


def letter_refused(sent: bool) -> str | None:
    """Why the policy refuses a visit whose letter is (not) sent, or None."""
    return services.reservation_policy().check_letter(sent, Mode.TATAP_MUKA)


def parse_count(text: str) -> int | None:
    """'3', '3 orang', 'tiga orang' -> 3."""
    if digits := re.search(r"\d+", text):
        return int(digits.group())
    return next(
        (NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in NUMBER_WORDS), None
    )


def yes_or_no(text: str) -> bool | None:
    """'sudah' -> True, 'belum' -> False, anything else -> None."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return True if words & YES and not words & NO else False if words & NO else None


class ValidateReservationForm(FreeTextForm):
    """Validates each answer against the rules and says why a value is refused."""

    def name(self) -> str:
        return "validate_reservation_form"

    def plausible(self, slot: str, text: str) -> bool:
        """A mode, a date, a number or yes/no reads as an answer whatever the NLU says."""
        if slot == "reservation_mode":
            return parse_mode(text) is not None
        if slot == "reservation_date":
            return parse_date(text, today()) is not None  # only the shape, not the policy
        if slot == "attendees_count":
            return parse_count(text) is not None
        if slot == "letter_sent":
            return yes_or_no(text) is not None
        return super().plausible(slot, text)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = [s for s in domain_slots if s != "letter_sent"]
        if tracker.get_slot("reservation_mode") == Mode.TATAP_MUKA.value:
            slots.append("letter_sent")
        return slots

    async def validate_reservation_mode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        mode = parse_mode(str(value or ""))
        if mode is None:
            dispatcher.utter_message(text="Mohon pilih: video conference atau tatap muka.")
        return {"reservation_mode": mode.value if mode else None}

    async def validate_reservation_topic(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"reservation_topic": str(value or "").strip()[:300] or None}

    async def validate_reservation_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        day = parse_date(str(value or ""), await blocking(today))
        if day is None:
            dispatcher.utter_message(text="Mohon tuliskan tanggal, misalnya 7 Desember 2026.")
            return {"reservation_date": None}
        reason = await blocking(date_refused, day)
        if reason:
            dispatcher.utter_message(text=reason)
            return {"reservation_date": None}
        return {"reservation_date": day.isoformat()}

    async def validate_attendees_count(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        count = parse_count(str(value or ""))
        if count is None:
            dispatcher.utter_message(text="Mohon tuliskan jumlah peserta dengan angka, misal 3.")
            return {"attendees_count": None}
        mode = Mode(tracker.get_slot("reservation_mode") or Mode.VIDEO_CONFERENCE.value)
        reason = await blocking(guests_refused, count, mode)
        if reason:
            dispatcher.utter_message(text=reason)
            return {"attendees_count": None}
        return {"attendees_count": float(count)}

    async def validate_attendees_positions(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"attendees_positions": str(value or "").strip()[:300] or None}

    async def validate_letter_sent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        sent = yes_or_no(str(value or ""))
        if sent is None:
            dispatcher.utter_message(text="Mohon jawab: sudah atau belum.")
            return {"letter_sent": None}
        reason = await blocking(letter_refused, sent)
        if reason:
            dispatcher.utter_message(text=reason)
            return {"letter_sent": None, "reservation_mode": None}
        return {"letter_sent": True}


class ActionCreateReservation(Action):
    """A Reservasi ticket an agent confirms or reschedules from the console."""

    def name(self) -> str:
        return "action_create_reservation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        mode = Mode(tracker.get_slot("reservation_mode"))
        day = tracker.get_slot("reservation_date")
        details = {slot: tracker.get_slot(slot) for slot in FORM_SLOTS}
        what = "video conference" if mode is Mode.VIDEO_CONFERENCE else "konsultasi tatap muka"
        context = {
            keys.RESERVATION: mode.value,
            keys.SCHEDULE: day,
            keys.SUBJECT: details["reservation_topic"],
            **details,
        }
        result = await blocking(
            open_ticket,
            tracker,
            f"Reservasi {what}: {details['reservation_topic']}",
            topic=Topic.RESERVASI,
            pause=False,
            separate=True,
            context=context,
        )
        when = format_date(date.fromisoformat(day))
        link = " Tautan Microsoft Teams dikirim petugas." if mode is Mode.VIDEO_CONFERENCE else ""
        dispatcher.utter_message(
            text=f"Pengajuan {what} pada {when} telah kami catat dengan nomor tiket "
            f"{result.ticket.number}. Petugas akan mengonfirmasi atau menjadwalkan ulang melalui "
            f"percakapan ini.{link}"
        )
        await blocking(label, tracker, Topic.RESERVASI)
        return [SlotSet(slot, None) for slot in FORM_SLOTS] + [
            SlotSet("ticket_number", result.ticket.number)
        ]
