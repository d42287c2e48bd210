"""Service catalogue actions: labels, non-DJPK, who is asking, forms and their tickets."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.catalogue import ActionAcknowledge, ActionNonDjpk, ActionRememberIdentity
from actions.requests import (
    ActionCreateComplaint,
    ActionCreateDataRequest,
    ActionCreateLetterStatus,
    ActionRouteReport,
)
from actions.reservations import ActionCreateReservation, ValidateReservationForm
from bot.tickets.service import TicketService
from bot.tickets.taxonomy import Category, Status, Topic
from tests.actions.trackers import make_tracker, texts

WEDNESDAY = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
SPAN = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2028, 1, 1, tzinfo=timezone.utc))


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    service = TicketService.from_settings(services.settings())
    service.clock = lambda: WEDNESDAY
    monkeypatch.setattr(services, "ticket_service", lambda: service)
    return service


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    return dispatcher, await action.run(dispatcher, tracker, {})


def labels(service):
    return {(label.conversation_id, label.topic) for label in service.conversations.labels(*SPAN)}


async def test_non_djpk_question_is_referred_and_labelled(frozen):
    dispatcher, _ = await run(ActionNonDjpk(), make_tracker("efin saya hilang", "ask_non_djpk"))
    assert "1500200" in texts(dispatcher)[0]
    assert ("user-1", Topic.NON_DJPK) in labels(frozen)
    assert frozen.find() == []


async def test_blast_reply_gets_no_answer_and_is_labelled_spam(frozen):
    dispatcher, _ = await run(ActionAcknowledge(), make_tracker("siap", "acknowledge"))
    assert dispatcher.messages == []
    assert ("user-1", Topic.SPAM) in labels(frozen)


@pytest.mark.parametrize(
    ("text", "category", "pemda"),
    [
        ("saya dari BPKAD Kab. Brebes", Category.PEMDA, "Kab. Brebes"),
        ("kami dari pemkab lembata", Category.PEMDA, "Kab. Lembata"),
        ("saya mahasiswa", Category.AKADEMISI, None),
        ("saya dari Kemendagri", Category.KL, None),
        ("saya wartawan", Category.LAINNYA, None),
    ],
)
async def test_who_is_asking_is_remembered(frozen, text, category, pemda):
    dispatcher, events = await run(ActionRememberIdentity(), make_tracker(text, "introduce"))
    profile = frozen.profile("user-1", "rest")
    assert (profile.category, profile.pemda) == (category, pemda)
    assert events[0]["name"] == "user_instansi"
    assert "Silakan sampaikan" in texts(dispatcher)[0]


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
    dispatcher, _ = await run(ActionCreateReservation(), make_tracker("x", slots=slots))
    assert "Senin, 7 Desember 2026" in texts(dispatcher)[0]
    ticket = frozen.find()[0]
    assert (ticket.topic, ticket.pemda, ticket.context["reservasi"]) == (
        Topic.RESERVASI,
        "Kab. Wajo",
        "video_conference",
    )
    assert (ticket.context["jadwal"], ticket.context["topik"]) == ("2026-12-07", "DAU")


async def test_data_request_ticket(frozen):
    slots = {
        "data_purpose": "penelitian",
        "data_wanted": "realisasi APBD",
        "data_years": "2019-2023",
        "user_name": "Rina",
        "user_instansi": "mahasiswa UGM",
    }
    await run(ActionCreateDataRequest(), make_tracker("x", slots=slots))
    ticket = frozen.find()[0]
    assert (ticket.topic, ticket.category) == (Topic.PERMINTAAN_DATA, Category.AKADEMISI)


@pytest.mark.parametrize(
    ("what", "unit", "kind"),
    [
        (
            "dugaan penggunaan DAK Fisik tidak sesuai peruntukan",
            "dana-transfer-khusus",
            "pengaduan",
        ),
        (
            "definisi perjalanan dinas dalam kota di Perpres SHSR multitafsir",
            "evaluasi-informasi-keuangan-daerah",
            "keluhan_kebijakan",
        ),
        ("petugas tidak ramah", "sekretariat", "pengaduan"),
    ],
)
async def test_complaints_are_escalated_to_the_right_unit(frozen, what, unit, kind):
    slots = {
        "complaint_what": what,
        "complaint_where": "Kota Bandar Lampung",
        "complaint_when": "Februari 2023",
        "complaint_evidence": "tidak ada",
    }
    await run(ActionCreateComplaint(), make_tracker("x", slots=slots))
    ticket = frozen.find()[0]
    assert (ticket.topic, ticket.status, ticket.escalation_unit) == (
        Topic.PENGADUAN,
        Status.ESCALATED,
        unit,
    )
    assert ticket.context["jenis"] == kind
    assert (ticket.context.get("keluhan") == "kebijakan") == (kind == "keluhan_kebijakan")


async def test_letter_status_ticket_and_routine_report_routing(frozen):
    await run(ActionCreateLetterStatus(), make_tracker("x", slots={"sent_letter": "900/12/2026"}))
    assert frozen.find()[0].topic is Topic.SURAT_MASUK
    dispatcher, _ = await run(ActionRouteReport(), make_tracker("kirim syarat salur dau"))
    assert "lapor.djpk@kemenkeu.go.id" in texts(dispatcher)[0]
    assert len(frozen.find()) == 1
