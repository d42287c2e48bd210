"""TicketService reservation use cases: confirm, reschedule, decline; a refusal changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest

from bot.hours import ServiceHours
from bot.regions import RegionIndex
from bot.reservations import Booking, Mode, ReservationRules
from bot.tickets import taxonomy as keys
from bot.tickets.bookings import ReservationRefused
from bot.tickets.records import TicketStateError
from bot.tickets.service import TicketService
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel, EventKind, Sender, Topic

KB = Path(__file__).resolve().parents[3] / "knowledge_base"
MONDAY_10_WIB = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)
VIDEO = Booking(
    date(2026, 12, 7), time(10, 0), Mode.VIDEO_CONFERENCE, link="https://teams.example/r1"
)


@pytest.fixture
def service(store: SqlTicketStore) -> TicketService:
    return TicketService(
        store,
        RegionIndex.load(KB),
        ServiceHours.load(KB),
        clock=lambda: MONDAY_10_WIB,
        reservation_rules=ReservationRules.load(KB),
    )


def _reservation(service: TicketService, mode: Mode, guests: int = 3, letter: bool | None = None):
    context = {
        keys.RESERVATION: mode.value,
        keys.SCHEDULE: "2026-12-03",
        keys.SUBJECT: "DBH & DAU",
        keys.ATTENDEES: float(guests),
        keys.LETTER_SENT: letter,
    }
    return service.open_handoff(
        conversation_id="c1",
        channel=Channel.LIVECHAT,
        name="Budi",
        instansi="BPKAD Kab. Brebes",
        topic_text="Reservasi konsultasi: DBH & DAU",
        topic=Topic.RESERVASI,
        pause=False,
        context=context,
        now=MONDAY_10_WIB,
    ).ticket


def test_confirm_keeps_the_agreed_booking_and_tells_the_user(service: TicketService) -> None:
    ticket = _reservation(service, Mode.VIDEO_CONFERENCE)
    result = service.confirm_reservation(ticket.id, "rina", VIDEO)
    context = result.ticket.context
    assert context[keys.BOOKING] == keys.CONFIRMED
    assert (context[keys.AGREED_DATE], context[keys.AGREED_TIME]) == ("2026-12-07", "10:00")
    assert context[keys.AGREED_MODE] == "video_conference"
    assert context[keys.MEETING_LINK] == "https://teams.example/r1"
    assert context[keys.SCHEDULE] == "2026-12-03", "the requested date stays as asked"
    assert "Senin, 7 Desember 2026 pukul 10.00 WIB" in result.message
    assert "https://teams.example/r1" in result.message and ticket.number in result.message
    stored = service.get(ticket.id)
    assert stored.context == context
    events = service.events(ticket.id)
    assert events[-1].kind is EventKind.RESERVATION_CONFIRMED and events[-1].actor == "rina"
    last = service.messages(ticket.id)[-1]
    assert (last.sender, last.text) == (Sender.AGENT, result.message)


def test_reschedule_moves_the_date_with_the_reason(service: TicketService) -> None:
    ticket = _reservation(service, Mode.VIDEO_CONFERENCE)
    service.confirm_reservation(ticket.id, "rina", VIDEO)
    moved = Booking(date(2026, 12, 8), time(13, 30), Mode.VIDEO_CONFERENCE, link="https://t/2")
    result = service.reschedule_reservation(ticket.id, "rina", moved, "narasumber berhalangan")
    context = result.ticket.context
    assert context[keys.BOOKING] == keys.RESCHEDULED
    assert (context[keys.AGREED_DATE], context[keys.AGREED_TIME]) == ("2026-12-08", "13:30")
    assert context[keys.BOOKING_REASON] == "narasumber berhalangan"
    assert "Selasa, 8 Desember 2026 pukul 13.30 WIB" in result.message
    assert "narasumber berhalangan" in result.message
    kinds = [e.kind for e in service.events(ticket.id)]
    assert kinds[-2:] == [EventKind.RESERVATION_CONFIRMED, EventKind.RESERVATION_RESCHEDULED]
    with pytest.raises(ReservationRefused, match="alasan"):
        service.reschedule_reservation(ticket.id, "rina", moved, "  ")


def test_decline_says_why(service: TicketService) -> None:
    ticket = _reservation(service, Mode.TATAP_MUKA, letter=True)
    result = service.decline_reservation(ticket.id, "rina", "ruang rapat sedang direnovasi")
    assert result.ticket.context[keys.BOOKING] == keys.DECLINED
    assert "belum dapat kami penuhi" in result.message
    assert "ruang rapat sedang direnovasi" in result.message
    assert service.events(ticket.id)[-1].kind is EventKind.RESERVATION_DECLINED


@pytest.mark.parametrize(
    ("booking", "guests", "letter", "why"),
    [
        (Booking(date(2026, 12, 25), time(10), Mode.VIDEO_CONFERENCE, link="x"), 3, None, "libur"),
        (
            Booking(date(2026, 12, 5), time(10), Mode.VIDEO_CONFERENCE, link="x"),
            3,
            None,
            "bukan hari kerja",
        ),
        (
            Booking(date(2026, 11, 27), time(10), Mode.VIDEO_CONFERENCE, link="x"),
            3,
            None,
            "sudah lewat",
        ),
        (
            Booking(date(2026, 12, 7), time(19), Mode.VIDEO_CONFERENCE, link="x"),
            3,
            None,
            "di luar jam",
        ),
        (Booking(date(2026, 12, 7), time(10), Mode.VIDEO_CONFERENCE), 3, None, "tautan rapat"),
        (
            Booking(date(2026, 12, 7), time(10), Mode.TATAP_MUKA, room="R-1"),
            8,
            True,
            "paling banyak 5",
        ),
        (
            Booking(date(2026, 12, 7), time(10), Mode.TATAP_MUKA, room="R-1"),
            3,
            None,
            "surat permohonan",
        ),
        (Booking(date(2026, 12, 7), time(10), Mode.TATAP_MUKA), 3, True, "ruang"),
    ],
)
def test_a_refused_confirmation_changes_nothing(
    service: TicketService, booking: Booking, guests: int, letter: bool | None, why: str
) -> None:
    ticket = _reservation(service, booking.mode, guests=guests, letter=letter)
    before = (service.get(ticket.id), service.events(ticket.id), service.messages(ticket.id))
    with pytest.raises(ReservationRefused, match=why):
        service.confirm_reservation(ticket.id, "rina", booking)
    assert (
        service.get(ticket.id),
        service.events(ticket.id),
        service.messages(ticket.id),
    ) == before


def test_a_visit_with_the_letter_and_few_guests_is_confirmed(service: TicketService) -> None:
    ticket = _reservation(service, Mode.TATAP_MUKA, guests=5, letter=True)
    visit = Booking(
        date(2026, 12, 7), time(9, 0), Mode.TATAP_MUKA, room="Ruang Rapat Gd. Radius Lt. 9"
    )
    result = service.confirm_reservation(ticket.id, "rina", visit)
    assert result.ticket.context[keys.ROOM] == "Ruang Rapat Gd. Radius Lt. 9"
    assert "Tempat: Ruang Rapat Gd. Radius Lt. 9" in result.message
    assert "konsultasi tatap muka" in result.message


def test_only_active_reservation_tickets(service: TicketService) -> None:
    other = service.open_handoff(
        conversation_id="c2",
        channel=Channel.LIVECHAT,
        name="Ani",
        instansi="BPKAD Kab. Brebes",
        topic_text="DAU tahap 1 belum masuk",
        topic=Topic.DAU,
        now=MONDAY_10_WIB,
    ).ticket
    with pytest.raises(ReservationRefused, match="bukan tiket reservasi"):
        service.confirm_reservation(other.id, "rina", VIDEO)
    ticket = _reservation(service, Mode.VIDEO_CONFERENCE)
    service.resolve(ticket.id, "rina")
    with pytest.raises(TicketStateError):
        service.confirm_reservation(ticket.id, "rina", VIDEO)


def test_a_letter_received_by_post_lets_the_visit_be_confirmed(service: TicketService) -> None:
    ticket = _reservation(service, Mode.TATAP_MUKA, letter=None)
    visit = Booking(date(2026, 12, 7), time(9, 0), Mode.TATAP_MUKA, room="Ruang Rapat Lt. 9")
    with pytest.raises(ReservationRefused, match="surat permohonan"):
        service.confirm_reservation(ticket.id, "rina", visit)
    messages = service.messages(ticket.id)
    recorded = service.record_reservation_letter(ticket.id, "rina", "pos", "  diterima  TU ")
    context = recorded.context
    assert context[keys.LETTER_SENT] is True
    assert (context[keys.LETTER_VIA], context[keys.LETTER_RECORDED_BY]) == ("pos", "rina")
    assert context[keys.LETTER_RECORDED_AT] == MONDAY_10_WIB.isoformat()
    event = service.events(ticket.id)[-1]
    assert (event.kind, event.actor, event.at) == (
        EventKind.RESERVATION_LETTER,
        "rina",
        MONDAY_10_WIB,
    )
    assert event.detail == "surat permohonan diterima lewat pos: diterima TU"
    assert service.messages(ticket.id) == messages, "the user is not messaged"
    result = service.confirm_reservation(ticket.id, "rina", visit)
    assert result.ticket.context[keys.BOOKING] == keys.CONFIRMED
    assert result.message_id == service.messages(ticket.id)[-1].id


def test_a_letter_needs_a_known_way_and_a_reservation(service: TicketService) -> None:
    ticket = _reservation(service, Mode.TATAP_MUKA)
    with pytest.raises(ReservationRefused, match="pos, e-mail"):
        service.record_reservation_letter(ticket.id, "rina", "merpati")
    assert service.get(ticket.id).context.get(keys.LETTER_SENT) is None
    other = service.open_handoff(
        conversation_id="c3",
        channel=Channel.LIVECHAT,
        name="Ani",
        instansi="BPKAD Kab. Brebes",
        topic_text="DAU tahap 1 belum masuk",
        topic=Topic.DAU,
        now=MONDAY_10_WIB,
    ).ticket
    with pytest.raises(ReservationRefused, match="bukan tiket reservasi"):
        service.record_reservation_letter(other.id, "rina", "email")
