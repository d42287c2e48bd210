"""FAQ actions with a real Tracker and CollectingDispatcher."""

from __future__ import annotations

import json

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text as sql

from actions import services
from actions.faq import ActionAnswerChosenFaq, ActionAnswerFaq, ActionFaqFeedback
from tests.actions.trackers import make_tracker, texts


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher, events


async def test_whatsapp_number_is_answered_with_feedback_buttons():
    dispatcher, events = await run(ActionAnswerFaq(), make_tracker("min nomor wa djpk brp ya"))
    assert "0811-150420-7" in texts(dispatcher)[0]
    assert texts(dispatcher)[1] == "Apakah jawaban ini membantu?"
    payloads = [b["payload"] for b in dispatcher.messages[1]["buttons"]]
    assert payloads == ['/faq_feedback{"helpful": "ya"}', '/faq_feedback{"helpful": "tidak"}']
    assert SlotSet("faq_last_id", "kontak-whatsapp") in events


async def test_answer_carries_its_references():
    dispatcher, _ = await run(ActionAnswerFaq(), make_tracker("dau tahap 1 kpn cair ya?"))
    assert "211/PMK.07/2022" in texts(dispatcher)[0]


async def test_unknown_question_is_admitted_logged_and_gives_contacts():
    dispatcher, events = await run(ActionAnswerFaq(), make_tracker("jadwal liga inggris malam ini"))
    reply = texts(dispatcher)[0]
    assert "belum menemukan jawaban" in reply
    assert "150420" in reply
    assert dispatcher.messages[1]["buttons"] == [
        {"title": "Hubungi petugas", "payload": "/request_human"}
    ]
    assert SlotSet("faq_last_id", None) in events
    with services.engine().connect() as connection:
        rows = connection.execute(sql("select text, channel from faq_misses")).all()
    assert rows == [("jadwal liga inggris malam ini", "rest")]


async def test_not_helpful_offers_the_alternatives_as_buttons():
    tracker = make_tracker(
        '/faq_feedback{"helpful": "tidak"}',
        intent="faq_feedback",
        entities=[{"entity": "helpful", "value": "tidak"}],
        slots={
            "faq_last_id": "kontak-telepon",
            "faq_alternatives": ["kontak-email", "jam-layanan"],
        },
    )
    dispatcher, events = await run(ActionFaqFeedback(), tracker)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == [
        "/choose_faq" + json.dumps({"faq_id": "kontak-email"}),
        "/choose_faq" + json.dumps({"faq_id": "jam-layanan"}),
        "/request_human",
    ]
    assert SlotSet("faq_alternatives", []) in events


async def test_not_helpful_is_stored_as_a_vote_for_the_units_review():
    asked = make_tracker("min nomor wa djpk brp ya", sender="user-7", channel="whatsapp")
    _, answered = await run(ActionAnswerFaq(), asked)
    slots = {e["name"]: e["value"] for e in answered if e.get("event") == "slot"}
    tracker = make_tracker(
        '/faq_feedback{"helpful": "tidak"}',
        intent="faq_feedback",
        entities=[{"entity": "helpful", "value": "tidak"}],
        slots=slots,
        events=asked.events,
        sender="user-7",
        channel="whatsapp",
    )
    await run(ActionFaqFeedback(), tracker)
    with services.engine().connect() as connection:
        votes = connection.execute(
            sql("select conversation_id, channel, text, faq_id, unit from faq_votes")
        ).all()
        misses = connection.execute(sql("select count(*) from faq_misses")).scalar_one()
    assert votes == [
        ("user-7", "whatsapp", "min nomor wa djpk brp ya", "kontak-whatsapp", "sekretariat")
    ]
    assert misses == 0  # a vote is not a miss: the monthly report counts them apart


async def test_typed_negative_feedback_is_understood():
    tracker = make_tracker(
        "jawabannya tidak membantu", intent="faq_feedback", slots={"faq_alternatives": []}
    )
    dispatcher, _ = await run(ActionFaqFeedback(), tracker)
    assert "belum membantu" in texts(dispatcher)[0]


async def test_positive_feedback_is_thanked():
    tracker = make_tracker(
        '/faq_feedback{"helpful": "ya"}',
        intent="faq_feedback",
        entities=[{"entity": "helpful", "value": "ya"}],
    )
    dispatcher, _ = await run(ActionFaqFeedback(), tracker)
    assert texts(dispatcher) == ["Terima kasih atas umpan baliknya, Bapak/Ibu."]


async def test_chosen_entry_is_answered():
    tracker = make_tracker(
        '/choose_faq{"faq_id": "kontak-email"}',
        intent="choose_faq",
        entities=[{"entity": "faq_id", "value": "kontak-email"}],
    )
    dispatcher, events = await run(ActionAnswerChosenFaq(), tracker)
    assert "callcenter.djpk@kemenkeu.go.id" in texts(dispatcher)[0]
    assert SlotSet("faq_last_id", "kontak-email") in events
