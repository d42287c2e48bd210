"""Forms that bend: questions are answered, not stored; cancel words cancel; two refusals offer a
way out. Validators run as the action server runs them, on trackers shaped like Rasa's."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common.forms import SKIPPED
from actions.forms import ActionCancelForm, ValidateComplaintForm
from actions.handoff import ValidateHandoffForm
from actions.referrals import IN_SCOPE, ActionCheckRequest
from actions.reservations import ValidateReservationForm
from bot.forms import is_explicit_cancel, looks_like_name, looks_like_question
from tests.actions.trackers import make_tracker, texts

HANDOFF = ["user_name", "user_instansi", "handoff_topic"]
RESERVATION = [
    "user_instansi",
    "reservation_mode",
    "reservation_topic",
    "reservation_date",
    "attendees_count",
    "attendees_positions",
    "letter_sent",
]
COMPLAINT = ["complaint_what", "complaint_where", "complaint_when", "complaint_evidence"]


def domain_of(form: str, slots: list[str]) -> dict[str, Any]:
    """The part of domain.yml a validation action reads."""
    names = [*slots, f"{form}_failures", "requested_slot"]
    return {"forms": {form: {"required_slots": slots}}, "slots": {s: {} for s in names}}


def in_form(
    text: str,
    requested: str,
    intent: str = "nlu_fallback",
    confidence: float = 0.9,
    mapped: bool = False,
    form: str = "handoff_form",
    slots: dict[str, Any] | None = None,
) -> Tracker:
    """The temporary tracker Rasa sends the validator: `mapped` when from_text filled the slot."""
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
    events: list[dict[str, Any]] = [
        {"event": "user", "text": text, "parse_data": latest, "input_channel": "rest"}
    ]
    values = {"requested_slot": requested, **(slots or {})}
    if mapped:
        events.append(SlotSet(requested, text))
        values[requested] = text
    return Tracker(
        sender_id="user-1",
        slots=values,
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="action_listen",
    )


async def run(form, tracker: Tracker, domain: dict[str, Any]):
    dispatcher = CollectingDispatcher()
    return await form.run(dispatcher, tracker, domain), dispatcher


@pytest.mark.parametrize(
    ("text", "cancels"),
    [
        ("batal", True),
        ("batalkan saja", True),
        ("gak jadi min", True),
        ("stop", True),
        ("tidak ada", False),
        ("belum ada bukti", False),
        ("tidak tahu tanggalnya", False),
    ],
)
def test_explicit_cancel(text, cancels):
    assert is_explicit_cancel(text) is cancels


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("eh nomor wa djpk berapa dulu?", True),
        ("nomor wa djpk brp", True),
        ("btw jam layanan sampai jam berapa ya", True),
        ("cara bikin npwp online", True),
        ("kapan dau cair", True),
        ("Rahmat Hidayat", False),
        ("BPKAD Kab. Sumbawa", False),
        ("7 Desember 2026", False),
        ("tidak tahu kapan", False),
        ("DAK fisik dipakai untuk kegiatan lain", False),
    ],
)
def test_looks_like_question(text, question):
    assert looks_like_question(text) is question


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Rahmat Hidayat", True),
        ("Ir. Agus Salim, M.Si", True),
        ("Bu Wulan", True),
        ("nomor wa djpk", False),
        ("halo", False),
        ("tidak", False),
        ("0811-150420-7", False),
    ],
)
def test_looks_like_name(text, name):
    assert looks_like_name(text) is name


async def test_a_question_the_nlu_reads_confidently_is_left_to_the_rules():
    tracker = in_form("eh nomor wa djpk berapa dulu?", "user_name", intent="ask_faq")
    events, dispatcher = await run(
        ValidateHandoffForm(), tracker, domain_of("handoff_form", HANDOFF)
    )
    assert not [e for e in events if e.get("name") == "user_name"]  # the form rejects
    assert dispatcher.messages == []  # and data/rules/forms.yml answers


async def test_a_question_the_mapping_stored_is_answered_and_asked_again():
    tracker = in_form("eh nomor wa djpk berapa dulu?", "user_name", mapped=True)
    events, dispatcher = await run(
        ValidateHandoffForm(), tracker, domain_of("handoff_form", HANDOFF)
    )
    assert SlotSet("user_name", None) in events
    assert any("0811-150420-7" in text for text in texts(dispatcher))


@pytest.mark.parametrize(
    ("form", "slots", "requested", "text", "intent", "value"),
    [
        (
            ValidateHandoffForm(),
            HANDOFF,
            "user_name",
            "Rahmat Hidayat",
            "ask_faq",
            "Rahmat Hidayat",
        ),
        (ValidateHandoffForm(), HANDOFF, "user_name", "Rahmat Hidayat", "greet", "Rahmat Hidayat"),
        (
            ValidateComplaintForm(),
            COMPLAINT,
            "complaint_when",
            "Februari 2023",
            "ask_faq",
            "Februari 2023",
        ),
        (
            ValidateReservationForm(),
            RESERVATION,
            "reservation_mode",
            "online",
            "out_of_scope",
            "video_conference",
        ),
        (ValidateReservationForm(), RESERVATION, "attendees_count", "tiga orang", "ask_faq", 3.0),
    ],
)
async def test_an_answer_the_nlu_reads_as_a_question_is_still_the_answer(
    form, slots, requested, text, intent, value
):
    tracker = in_form(
        text,
        requested,
        intent=intent,
        confidence=0.99,
        form=form.form_name(),
        slots={"reservation_mode": "video_conference"} if requested == "attendees_count" else None,
    )
    events, _ = await run(form, tracker, domain_of(form.form_name(), slots))
    assert SlotSet(requested, value) in events


async def test_a_greeting_is_no_name():
    tracker = in_form("selamat pagi min", "user_name", intent="greet")
    events, _ = await run(ValidateHandoffForm(), tracker, domain_of("handoff_form", HANDOFF))
    assert not [e for e in events if e.get("name") == "user_name"]


async def test_an_out_of_scope_message_is_no_date():
    tracker = in_form(
        "jadwal kapal ke labuan bajo",
        "reservation_date",
        intent="out_of_scope",
        form="reservation_form",
    )
    events, _ = await run(
        ValidateReservationForm(), tracker, domain_of("reservation_form", RESERVATION)
    )
    assert not [e for e in events if e.get("name") == "reservation_date"]


async def test_two_refused_answers_offer_to_cancel():
    domain = domain_of("reservation_form", RESERVATION)
    first = in_form("banyak", "attendees_count", mapped=True, form="reservation_form")
    events, dispatcher = await run(ValidateReservationForm(), first, domain)
    assert SlotSet("reservation_form_failures", 1.0) in events
    assert not any(m.get("buttons") for m in dispatcher.messages)
    again = in_form(
        "banyak sekali",
        "attendees_count",
        mapped=True,
        form="reservation_form",
        slots={"reservation_form_failures": 1.0},
    )
    events, dispatcher = await run(ValidateReservationForm(), again, domain)
    assert SlotSet("reservation_form_failures", 0.0) in events
    buttons = [b["title"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert buttons == ["Batalkan"]  # the number of guests cannot be skipped


async def test_an_optional_question_can_be_skipped():
    domain = domain_of("handoff_form", HANDOFF)
    refused = in_form("x", "user_name", mapped=True, slots={"handoff_form_failures": 1.0})
    _, dispatcher = await run(ValidateHandoffForm(), refused, domain)
    buttons = [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]
    assert buttons == ["lewati", "batal"]
    events, _ = await run(
        ValidateHandoffForm(), in_form("lewati", "user_name", mapped=True), domain
    )
    assert SlotSet("user_name", SKIPPED) in events


async def test_a_required_question_cannot_be_skipped():
    tracker = in_form("skip", "reservation_date", mapped=True, form="reservation_form")
    events, dispatcher = await run(
        ValidateReservationForm(), tracker, domain_of("reservation_form", RESERVATION)
    )
    assert SlotSet("reservation_date", None) in events
    assert "batal" in texts(dispatcher)[0]


async def test_a_leading_cancel_word_cancels_whatever_the_nlu_says():
    tracker = in_form("batal, saya tanya bot aja", "user_instansi", mapped=True)
    events, _ = await run(ValidateHandoffForm(), tracker, domain_of("handoff_form", HANDOFF))
    assert events == [ActionExecutionRejected("handoff_form"), FollowupAction("action_cancel_form")]


async def test_a_complaint_that_opens_with_stop_is_the_complaint():
    tracker = in_form(
        "stop pungli di desa kami",
        "complaint_what",
        intent="complain",
        mapped=True,
        form="complaint_form",
    )
    events, _ = await run(ValidateComplaintForm(), tracker, domain_of("complaint_form", COMPLAINT))
    assert SlotSet("complaint_what", "stop pungli di desa kami") in events


async def test_an_answer_the_nlu_called_cancel_still_answers_the_question():
    tracker = in_form("tidak ada", "complaint_evidence", intent="cancel", form="complaint_form")
    events, _ = await run(ValidateComplaintForm(), tracker, domain_of("complaint_form", COMPLAINT))
    assert SlotSet("complaint_evidence", "tidak ada") in events


async def test_a_real_cancel_fills_nothing():
    tracker = in_form("batal", "complaint_evidence", intent="cancel", form="complaint_form")
    events, _ = await run(ValidateComplaintForm(), tracker, domain_of("complaint_form", COMPLAINT))
    assert not [e for e in events if e.get("name") == "complaint_evidence"]


async def test_cancel_forgets_the_form_answers_but_not_the_user():
    tracker = in_form("batal", "reservation_date", intent="cancel", form="reservation_form")
    dispatcher = CollectingDispatcher()
    events = await ActionCancelForm().run(
        dispatcher, tracker, domain_of("reservation_form", RESERVATION)
    )
    assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events
    assert SlotSet("reservation_topic", None) in events
    assert SlotSet("reservation_form_failures", 0.0) in events
    assert SlotSet("user_instansi", None) not in events
    assert dispatcher.messages[0]["response"] == "utter_cancelled"


@pytest.mark.parametrize(
    ("text", "intent", "in_scope", "said"),
    [
        ("jadwal kapal pelni ke kupang", "request_reservation", False, "utter_out_of_scope"),
        ("cara bikin npwp online minta datanya", "request_data", False, "1500200"),
        ("mau mengajukan video conference dengan djpk", "request_reservation", True, None),
        ("minta data dbh pph 21 per daerah", "request_data", True, None),
    ],
)
async def test_only_djpk_requests_start_a_form(text, intent, in_scope, said):
    dispatcher = CollectingDispatcher()
    events = await ActionCheckRequest().run(dispatcher, make_tracker(text, intent=intent), {})
    assert events == [SlotSet(IN_SCOPE, in_scope)]
    replies = [m.get("response") or m.get("text") or "" for m in dispatcher.messages]
    assert (said is None and replies == []) or any(said in reply for reply in replies)
