"""The reservation form's rules (SE-1/PK.1/2023) and the reservation ticket."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.reservations import FORM_SLOTS, ActionCreateReservation, ValidateReservationForm
from bot.tickets import taxonomy as keys
from bot.tickets.taxonomy import Topic
from tests.actions.trackers import make_tracker, run_action, texts

pytestmark = pytest.mark.usefixtures("frozen")


async def reservation_slot(slot, value, **slots):
    form = ValidateReservationForm()
    dispatcher = CollectingDispatcher()
    validate = getattr(form, f"validate_{slot}")
    result = await validate(value, dispatcher, make_tracker(value, slots=slots), {})
    return result[slot], texts(dispatcher)


@pytest.mark.parametrize(
    ("value", "accepted", "why"),
    [
        ("1 Desember 2026", False, "sudah lewat"),
        ("5 Desember 2026", False, "bukan hari kerja"),
        ("25 Desember 2026", False, "hari libur"),
        ("kapan saja", False, "tuliskan tanggal"),
        ("7 Desember 2026", True, None),
    ],
)
async def test_reservation_dates(value, accepted, why):
    result, said = await reservation_slot("reservation_date", value)
    assert (result is not None) == accepted
    assert accepted or why in said[0]


async def test_too_many_guests_for_a_visit():
    result, said = await reservation_slot(
        "attendees_count", "8 orang", reservation_mode="tatap_muka"
    )
    assert result is None and "paling banyak 5 orang" in said[0]
    result, _ = await reservation_slot(
        "attendees_count", "8 orang", reservation_mode="video_conference"
    )
    assert result == 8


async def test_a_visit_without_a_letter_is_refused_and_mode_asked_again():
    form = ValidateReservationForm()
    dispatcher = CollectingDispatcher()
    result = await form.validate_letter_sent("belum", dispatcher, make_tracker("belum"), {})
    assert result == {"letter_sent": None, "reservation_mode": None}
    assert "surat permohonan" in texts(dispatcher)[0]
    visit = make_tracker("x", slots={"reservation_mode": "tatap_muka"})
    online = make_tracker("x", slots={"reservation_mode": "video_conference"})
    slots = ["reservation_mode", "letter_sent", "reservation_date"]
    assert "letter_sent" in await form.required_slots(slots, dispatcher, visit, {})
    assert "letter_sent" not in await form.required_slots(slots, dispatcher, online, {})


async def test_reservation_ticket(frozen):
    slots = {
        "reservation_mode": "video_conference",
        "reservation_topic": "DAU",
        "reservation_date": "2026-12-07",
        "attendees_count": 3,
        "attendees_positions": "Kepala BPKAD",
        "user_instansi": "BPKAD Kab. Wajo",
    }
    dispatcher, _ = await run_action(ActionCreateReservation(), make_tracker("x", slots=slots))
    assert "Senin, 7 Desember 2026" in texts(dispatcher)[0]
    ticket = frozen.find()[0]
    assert (ticket.topic, ticket.pemda, ticket.context["reservasi"]) == (
        Topic.RESERVASI,
        "Kab. Wajo",
        "video_conference",
    )
    assert (ticket.context["jadwal"], ticket.context["topik"]) == ("2026-12-07", "DAU")


def test_the_form_writes_the_keys_the_console_checks() -> None:
    """TicketService.confirm_reservation reads attendees and the letter under these keys."""
    assert {keys.ATTENDEES, keys.LETTER_SENT} <= set(FORM_SLOTS)
