"""The agents' reservation use cases of TicketService: confirm, reschedule, decline.

Each checks the booking against ReservationPolicy (SE-1/PK.1/2023) before any write, then keeps
the decision in the ticket's context (taxonomy keys), records an event and the message to the
user in one transaction, and returns that message for the console to deliver.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.clock import Clock
from bot.hours import ServiceHours, Zone
from bot.reservations import (
    Booking,
    ReservationPolicy,
    ReservationRules,
    confirmation_text,
    decline_text,
    reschedule_text,
)
from bot.tickets import taxonomy as keys
from bot.tickets.records import BookingResult, Ticket, TicketNotFound
from bot.tickets.store import TicketStore
from bot.tickets.taxonomy import EventKind, Topic

REASON_LIMIT = 500


class ReservationRefused(ValueError):
    """The decision breaks a rule or lacks a field; nothing was changed. The text says why."""


def _booking_context(decision: str, booking: Booking, reason: str | None) -> dict[str, Any]:
    return {
        keys.BOOKING: decision,
        keys.AGREED_DATE: booking.day.isoformat(),
        keys.AGREED_TIME: f"{booking.at.hour:02d}:{booking.at.minute:02d}",
        keys.AGREED_MODE: booking.mode.value,
        keys.MEETING_LINK: booking.link,  # "" (not None) for what does not apply
        keys.ROOM: booking.room,
        keys.BOOKING_REASON: reason or "",
    }


def _detail(booking: Booking, reason: str | None = None) -> str:
    place = booking.link or booking.room
    line = f"{booking.day.isoformat()} {booking.at:%H:%M} WIB {booking.mode.value} {place}"
    return f"{line} (alasan: {reason})" if reason else line


def _reason(text: str | None) -> str:
    reason = " ".join((text or "").split())[:REASON_LIMIT]
    if not reason:
        raise ReservationRefused("Mohon isi alasannya; alasan ini dikirim kepada pengguna.")
    return reason


class ReservationDesk:
    """Mixed into TicketService: needs its store, clock and service hours."""

    store: TicketStore
    clock: Clock
    hours: ServiceHours
    reservation_rules: ReservationRules = ReservationRules()

    @property
    def reservation_policy(self) -> ReservationPolicy:
        """The rules of services.yml on the service hours and holidays."""
        return ReservationPolicy(self.reservation_rules, self.hours)

    def _reservation(self, ticket_id: int) -> Ticket:
        ticket = self.store.get(ticket_id)
        if ticket is None:
            raise TicketNotFound(ticket_id)
        if ticket.topic is not Topic.RESERVASI:
            raise ReservationRefused(f"Tiket {ticket.number} bukan tiket reservasi.")
        return ticket

    def _check(self, ticket: Ticket, booking: Booking, now: datetime) -> None:
        today: date = now.astimezone(Zone.WIB.tzinfo).date()
        guests = ticket.context.get(keys.ATTENDEES)
        attendees = int(guests) if isinstance(guests, (int, float)) else None
        letter = ticket.context.get(keys.LETTER_SENT) is True
        reason = self.reservation_policy.check_booking(booking, today, attendees, letter)
        if reason:
            raise ReservationRefused(reason)

    def confirm_reservation(
        self, ticket_id: int, agent: str, booking: Booking, now: datetime | None = None
    ) -> BookingResult:
        """Agree the date, time, mode and link or room; the user is told by the returned text."""
        now = now or self.clock()
        ticket = self._reservation(ticket_id)
        self._check(ticket, booking, now)
        text = confirmation_text(ticket.number, booking)
        changes = _booking_context(keys.CONFIRMED, booking, None)
        kind = EventKind.RESERVATION_CONFIRMED
        saved, message_id = self.store.record_booking(
            ticket.id, changes, kind, agent, _detail(booking), text, now
        )
        return BookingResult(saved, text, message_id)

    def reschedule_reservation(
        self,
        ticket_id: int,
        agent: str,
        booking: Booking,
        reason: str,
        now: datetime | None = None,
    ) -> BookingResult:
        """Move the reservation to a new date and time, saying why."""
        now = now or self.clock()
        why = _reason(reason)
        ticket = self._reservation(ticket_id)
        self._check(ticket, booking, now)
        text = reschedule_text(ticket.number, booking, why)
        changes = _booking_context(keys.RESCHEDULED, booking, why)
        kind = EventKind.RESERVATION_RESCHEDULED
        saved, message_id = self.store.record_booking(
            ticket.id, changes, kind, agent, _detail(booking, why), text, now
        )
        return BookingResult(saved, text, message_id)

    def record_reservation_letter(
        self, ticket_id: int, agent: str, via: str, note: str = "", now: datetime | None = None
    ) -> Ticket:
        """The request letter reached DJPK by post, e-mail or another way (not uploaded in the
        chat): SE-1/PK.1/2023's letter first is met, so a visit can be confirmed. Kept on the
        ticket with who recorded it and when; the user is not messaged."""
        now = now or self.clock()
        if via not in keys.LETTER_WAYS:
            raise ReservationRefused(
                "Mohon pilih cara surat diterima: pos, e-mail, atau cara lain."
            )
        ticket = self._reservation(ticket_id)
        changes = {
            keys.LETTER_SENT: True,
            keys.LETTER_VIA: via,
            keys.LETTER_RECORDED_BY: agent,
            keys.LETTER_RECORDED_AT: now.isoformat(),
        }
        remark = " ".join(note.split())[:REASON_LIMIT]
        detail = f"surat permohonan diterima lewat {keys.LETTER_WAYS[via]}"
        detail = f"{detail}: {remark}" if remark else detail
        kind = EventKind.RESERVATION_LETTER
        saved, _ = self.store.record_booking(ticket.id, changes, kind, agent, detail, "", now)
        return saved

    def decline_reservation(
        self, ticket_id: int, agent: str, reason: str, now: datetime | None = None
    ) -> BookingResult:
        """Refuse the reservation, saying why; the report no longer lists it."""
        now = now or self.clock()
        why = _reason(reason)
        ticket = self._reservation(ticket_id)
        text = decline_text(ticket.number, why)
        changes = {keys.BOOKING: keys.DECLINED, keys.BOOKING_REASON: why}
        kind = EventKind.RESERVATION_DECLINED
        saved, message_id = self.store.record_booking(
            ticket.id, changes, kind, agent, why, text, now
        )
        return BookingResult(saved, text, message_id)
