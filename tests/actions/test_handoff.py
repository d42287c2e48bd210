"""Hand-off actions: the form asks only what is unknown, the ticket, relaying, CSAT."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.csat import ActionAskCsat, ActionStoreCsat
from actions.handoff import ActionOpenTicket, ActionRelayToAgent, ValidateHandoffForm
from bot.tickets.service import TicketService
from bot.tickets.taxonomy import Channel, Status, Topic
from tests.actions.trackers import make_tracker, texts

WEDNESDAY_10_WIB = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)
FRIDAY_18_WITA = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def at(monkeypatch):
    """Freeze the ticket service's clock at a chosen moment."""

    def freeze(moment: datetime) -> TicketService:
        service = TicketService.from_settings(services.settings())
        service.clock = lambda: moment
        monkeypatch.setattr(services, "ticket_service", lambda: service)
        return service

    return freeze


def form_tracker(**slots):
    return make_tracker("mau bicara dengan petugas", intent="request_human", slots=slots)


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    return dispatcher, await action.run(dispatcher, tracker, {})


async def test_in_hours_ticket_pauses_the_bot_and_gives_the_number(at):
    service = at(WEDNESDAY_10_WIB)
    tracker = form_tracker(
        user_name="Budi", user_instansi="BPKAD Kab. Brebes", handoff_topic="dau tahap 1 belum cair"
    )
    dispatcher, events = await run(ActionOpenTicket(), tracker)
    assert texts(dispatcher) == [
        "Permintaan Bapak/Ibu telah kami terima dengan nomor tiket DJPK-20261202-0001. "
        "Petugas kami akan membalas di percakapan ini. Mohon ditunggu."
    ]
    assert SlotSet("ticket_number", "DJPK-20261202-0001") in events
    ticket = service.by_number("DJPK-20261202-0001")
    assert (ticket.pemda, ticket.zone.value, ticket.topic) == ("Kab. Brebes", "WIB", Topic.DAU)
    assert ticket.in_service_hours and service.is_paused("user-1")


async def test_out_of_hours_says_when_service_opens_in_the_users_zone(at):
    service = at(FRIDAY_18_WITA)
    tracker = form_tracker(
        user_name="Sari", user_instansi="pemkab sumbawa", handoff_topic="tanya jf akpd"
    )
    dispatcher, _ = await run(ActionOpenTicket(), tracker)
    assert "di luar jam layanan" in texts(dispatcher)[0]
    assert texts(dispatcher)[0].endswith("mulai Senin, 09.00 WITA.")
    assert not service.is_paused("user-1")


async def test_a_double_tap_makes_no_second_ticket(at):
    service = at(WEDNESDAY_10_WIB)
    tracker = form_tracker(user_name="Budi", user_instansi="Kab. Brebes", handoff_topic="DBH")
    await run(ActionOpenTicket(), tracker)
    dispatcher, _ = await run(ActionOpenTicket(), tracker)
    assert "DJPK-20261202-0001" in texts(dispatcher)[0]
    assert len(service.find()) == 1


async def test_the_form_skips_what_the_profile_remembers(at):
    at(WEDNESDAY_10_WIB)
    await run(
        ActionOpenTicket(),
        form_tracker(user_name="Budi", user_instansi="Kab. Brebes", handoff_topic="DBH"),
    )
    form = ValidateHandoffForm()
    tracker = form_tracker()
    assert await form.extract_user_name(CollectingDispatcher(), tracker, {}) == {
        "user_name": "Budi"
    }
    assert await form.extract_user_instansi(CollectingDispatcher(), tracker, {}) == {
        "user_instansi": "Kab. Brebes"
    }
    unknown = make_tracker("halo", sender="someone-else")
    assert await form.extract_user_name(CollectingDispatcher(), unknown, {}) == {}


async def test_the_unanswered_question_becomes_the_topic():
    question = {
        "event": "user",
        "text": "berapa alokasi dak desa kami",
        "parse_data": {"intent": {"name": "ask_faq"}},
    }
    tracker = make_tracker("hubungi petugas", intent="request_human", events=[question])
    result = await ValidateHandoffForm().extract_handoff_topic(CollectingDispatcher(), tracker, {})
    assert result == {"handoff_topic": "berapa alokasi dak desa kami"}


def user_says(text: str, at: datetime, events: list | None = None, intent: str = "ask_faq"):
    """A tracker whose latest user message was sent at `at` (Rasa stamps every event)."""
    tracker = make_tracker(text, intent=intent, events=events)
    tracker.events[-1]["timestamp"] = at.timestamp()
    return tracker


def bot_said(text: str, at: datetime) -> dict:
    return {"event": "bot", "text": text, "timestamp": at.timestamp()}


async def open_ticket(service: TicketService) -> str:
    await run(
        ActionOpenTicket(),
        form_tracker(user_name="Budi", user_instansi="Kab. Brebes", handoff_topic="DBH"),
    )
    return service.active_for_conversation("user-1").number


async def test_a_message_while_waiting_is_kept_and_acknowledged_with_the_queue_place(at):
    service = at(WEDNESDAY_10_WIB)
    number = await open_ticket(service)
    later = WEDNESDAY_10_WIB + timedelta(minutes=2)
    dispatcher, events = await run(ActionRelayToAgent(), user_says("halo, ada orang?", later))
    assert events == []
    assert texts(dispatcher) == [
        f"Pesan Bapak/Ibu telah kami tambahkan ke tiket {number}. Tiket Bapak/Ibu berada di "
        "urutan berikutnya untuk dijawab petugas. Perkiraan dijawab pukul 10.10 WIB. "
        'Ketik "batal" bila tidak jadi menunggu.'
    ]
    ticket = service.active_for_conversation("user-1")
    last = service.messages(ticket.id)[-1]
    assert (last.text, last.at) == ("halo, ada orang?", later)


async def test_the_acknowledgment_is_not_repeated_within_minutes(at):
    service = at(WEDNESDAY_10_WIB)
    number = await open_ticket(service)
    acked = WEDNESDAY_10_WIB + timedelta(minutes=1)
    earlier = [bot_said(f"Pesan Bapak/Ibu telah kami tambahkan ke tiket {number}.", acked)]
    soon = user_says("masih lama?", acked + timedelta(minutes=4), earlier)
    dispatcher, _ = await run(ActionRelayToAgent(), soon)
    assert dispatcher.messages == []
    late = user_says("halo?", acked + timedelta(minutes=6), earlier)
    dispatcher, _ = await run(ActionRelayToAgent(), late)
    assert texts(dispatcher)[0].startswith(
        f"Pesan Bapak/Ibu telah kami tambahkan ke tiket {number}"
    )


async def test_the_acknowledgment_interval_is_configurable(at, monkeypatch):
    service = at(WEDNESDAY_10_WIB)
    number = await open_ticket(service)
    settings = replace(services.settings(), wait_ack_minutes=1)
    monkeypatch.setattr(services, "settings", lambda: settings)
    acked = WEDNESDAY_10_WIB + timedelta(minutes=1)
    earlier = [bot_said(f"Pesan Bapak/Ibu telah kami tambahkan ke tiket {number}.", acked)]
    dispatcher, _ = await run(ActionRelayToAgent(), user_says("halo?", acked, earlier))
    assert dispatcher.messages == []
    later = user_says("halo?", acked + timedelta(minutes=2), earlier)
    dispatcher, _ = await run(ActionRelayToAgent(), later)
    assert number in texts(dispatcher)[0]


async def test_the_wait_near_closing_points_to_the_next_opening_in_the_users_zone(at):
    service = at(datetime(2026, 12, 4, 9, 55, tzinfo=timezone.utc))  # Friday 16.55 WIB
    service.open_handoff(
        conversation_id="user-1",
        channel=Channel.WHATSAPP,
        name="Sari",
        instansi="BPKAD Kab. Sumbawa",
        topic_text="dana desa",
    )
    dispatcher, _ = await run(
        ActionRelayToAgent(), user_says("halo", datetime(2026, 12, 4, 9, 56, tzinfo=timezone.utc))
    )
    assert "Tiket Bapak/Ibu dijawab mulai Senin, 09.00 WITA." in texts(dispatcher)[0]


async def test_the_second_in_the_queue_is_told_so(at):
    service = at(WEDNESDAY_10_WIB)
    await open_ticket(service)
    service.open_handoff(
        conversation_id="user-2",
        channel=Channel.WHATSAPP,
        name="Sari",
        instansi="Kab. Karo",
        topic_text="dana desa",
        now=WEDNESDAY_10_WIB + timedelta(minutes=1),
    )
    tracker = user_says("halo", WEDNESDAY_10_WIB + timedelta(minutes=3))
    tracker.sender_id = "user-2"
    dispatcher, _ = await run(ActionRelayToAgent(), tracker)
    assert "urutan ke-2" in texts(dispatcher)[0]
    assert "Perkiraan dijawab pukul 10.20 WIB." in texts(dispatcher)[0]


async def test_batal_ends_the_wait_and_the_bot_answers_again(at):
    service = at(WEDNESDAY_10_WIB)
    number = await open_ticket(service)
    assert service.is_paused("user-1")
    cancel = user_says("batal, saya tanya bot aja", WEDNESDAY_10_WIB + timedelta(minutes=3))
    dispatcher, events = await run(ActionRelayToAgent(), cancel)
    assert number in texts(dispatcher)[0] and "batalkan" in texts(dispatcher)[0]
    assert SlotSet("ticket_number", None) in events
    assert not service.is_paused("user-1")
    ticket = service.by_number(number)
    assert ticket.status is Status.CLOSED and service.waiting("user-1") is None


async def test_once_an_agent_has_the_chat_messages_go_to_the_agent_silently(at):
    service = at(WEDNESDAY_10_WIB)
    await open_ticket(service)
    ticket = service.active_for_conversation("user-1")
    service.claim(ticket.id, "anas", WEDNESDAY_10_WIB + timedelta(minutes=1))
    for text in ("halo, ada orang?", "batal"):
        said = user_says(text, WEDNESDAY_10_WIB + timedelta(minutes=2))
        dispatcher, events = await run(ActionRelayToAgent(), said)
        assert dispatcher.messages == [] and events == []
    assert [m.text for m in service.messages(ticket.id)][-2:] == ["halo, ada orang?", "batal"]
    assert service.get(ticket.id).status is Status.ASSIGNED


RESOLVED = WEDNESDAY_10_WIB + timedelta(minutes=30)
NOTHING_ASKED = "Mohon maaf, saat ini tidak ada penilaian yang sedang diminta."


def asked_csat(at: datetime) -> dict:
    """The tracker event of ActionAskCsat, run when the agent resolved the ticket."""
    return {"event": "action", "name": "action_ask_csat", "timestamp": at.timestamp()}


def scored(slots: dict, events: list | None = None, sender: str = "user-1"):
    """The user pressed a score button: intent csat, its entity already in the slots."""
    events = [asked_csat(RESOLVED + timedelta(seconds=1))] if events is None else events
    return make_tracker("/csat", intent="csat", slots=slots, events=events, sender=sender)


async def resolved_ticket(service: TicketService) -> str:
    """A hand-off ticket of user-1, resolved by an agent at RESOLVED."""
    number = await open_ticket(service)
    service.resolve(service.by_number(number).id, "anas", RESOLVED)
    return number


async def test_both_csat_scores_are_stored_on_the_ticket(at):
    service = at(WEDNESDAY_10_WIB)
    number = await resolved_ticket(service)
    dispatcher, _ = await run(ActionAskCsat(), make_tracker("/handoff_resolved"))
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]][
        0
    ] == '/csat{"csat_service": 1}'
    first = scored({"ticket_number": number, "csat_service": 5})
    dispatcher, _ = await run(ActionStoreCsat(), first)
    assert "substansi jawaban" in texts(dispatcher)[0]
    assert dispatcher.messages[0]["buttons"][3]["payload"] == '/csat{"csat_answer": 4}'
    both = scored({"ticket_number": number, "csat_service": 5, "csat_answer": 4})
    dispatcher, events = await run(ActionStoreCsat(), both)
    ticket = service.by_number(number)
    assert (ticket.csat_service, ticket.csat_answer) == (5, 4)
    assert texts(dispatcher) == ["Terima kasih atas penilaian Bapak/Ibu. Sampai jumpa."]
    assert SlotSet("ticket_number", None) in events
    assert ticket.channel is Channel.REST


async def test_a_score_nobody_asked_for_is_not_recorded(at):
    service = at(WEDNESDAY_10_WIB)
    dispatcher, events = await run(ActionStoreCsat(), scored({"csat_service": 5}, events=[]))
    assert texts(dispatcher) == [NOTHING_ASKED]
    assert "terima kasih atas penilaian" not in NOTHING_ASKED.lower()
    assert events == [
        SlotSet("csat_service", None),
        SlotSet("csat_answer", None),
        SlotSet("csat_asking", None),
        SlotSet("csat_reasked", None),
    ]
    assert service.find() == []


@pytest.mark.parametrize(
    "case", ["open ticket", "resolved, never asked", "asked before it was resolved", "not theirs"]
)
async def test_a_score_for_a_ticket_whose_satisfaction_was_not_asked_is_refused(at, case):
    service = at(WEDNESDAY_10_WIB)
    number = await open_ticket(service)
    events = None  # the questions asked after RESOLVED
    if case != "open ticket":
        service.resolve(service.by_number(number).id, "anas", RESOLVED)
    if case == "resolved, never asked":
        events = [bot_said("Baik.", RESOLVED + timedelta(minutes=1))]
    if case == "asked before it was resolved":
        events = [asked_csat(RESOLVED - timedelta(minutes=1))]
    sender = "user-2" if case == "not theirs" else "user-1"
    tracker = scored({"ticket_number": number, "csat_service": 5}, events, sender)
    dispatcher, _ = await run(ActionStoreCsat(), tracker)
    assert texts(dispatcher) == [NOTHING_ASKED]
    ticket = service.by_number(number)
    assert (ticket.csat_service, ticket.csat_answer) == (None, None)


async def test_scores_are_recorded_once_and_in_the_order_asked(at):
    service = at(WEDNESDAY_10_WIB)
    number = await resolved_ticket(service)
    early = scored({"ticket_number": number, "csat_answer": 1})  # second question not asked yet
    dispatcher, events = await run(ActionStoreCsat(), early)
    assert "kepuasan" in texts(dispatcher)[0]
    assert events == [SlotSet("csat_asking", "csat_service"), SlotSet("csat_reasked", False)]
    assert service.by_number(number).csat_answer is None
    await run(ActionStoreCsat(), scored({"ticket_number": number, "csat_service": 4}))
    again = scored({"ticket_number": number, "csat_service": 1})  # the first button, once more
    dispatcher, _ = await run(ActionStoreCsat(), again)
    assert "substansi jawaban" in texts(dispatcher)[0]
    assert service.by_number(number).csat_service == 4
    await run(ActionStoreCsat(), scored({"ticket_number": number, "csat_answer": 5}))
    late = scored({"ticket_number": number, "csat_service": 1, "csat_answer": 1})
    dispatcher, _ = await run(ActionStoreCsat(), late)  # slot not cleared yet: already scored
    assert texts(dispatcher) == [NOTHING_ASKED]
    ticket = service.by_number(number)
    assert (ticket.csat_service, ticket.csat_answer) == (4, 5)


def typed(text: str, number: str, **slots) -> object:
    """The user typed `text` while a CSAT question was pending (HandoffPolicy's prediction)."""
    events = [asked_csat(RESOLVED + timedelta(seconds=1))]
    slots = {"ticket_number": number, "csat_asking": "csat_service", **slots}
    return make_tracker(text, intent="ask_faq", slots=slots, events=events)


@pytest.mark.parametrize(
    ("service_text", "answer_text", "scores"),
    [("5", "lima", (5, 5)), ("sangat puas", "sesuai", (5, 4)), ("kurang puas", "emapt", (2, 4))],
)
async def test_typed_scores_are_understood_for_both_questions(
    at, service_text, answer_text, scores
):
    service = at(WEDNESDAY_10_WIB)
    number = await resolved_ticket(service)
    dispatcher, events = await run(ActionStoreCsat(), typed(service_text, number))
    assert "substansi jawaban" in texts(dispatcher)[0]
    assert SlotSet("csat_asking", "csat_answer") in events
    second = typed(answer_text, number, csat_asking="csat_answer")
    dispatcher, events = await run(ActionStoreCsat(), second)
    assert texts(dispatcher) == ["Terima kasih atas penilaian Bapak/Ibu. Sampai jumpa."]
    assert SlotSet("csat_asking", None) in events
    ticket = service.by_number(number)
    assert (ticket.csat_service, ticket.csat_answer) == scores


async def test_a_text_that_is_no_score_is_asked_again_once_then_left(at):
    service = at(WEDNESDAY_10_WIB)
    number = await resolved_ticket(service)
    dispatcher, events = await run(ActionStoreCsat(), typed("kapan dbh cair?", number))
    assert texts(dispatcher)[0].startswith("Mohon maaf, penilaian tersebut belum kami pahami.")
    assert "kepuasan" in texts(dispatcher)[1]
    assert SlotSet("csat_reasked", True) in events
    again = typed("halo", number, csat_reasked=True)
    dispatcher, events = await run(ActionStoreCsat(), again)
    assert texts(dispatcher) == [
        "Baik, penilaian kami lewati. Silakan sampaikan kembali pertanyaan Bapak/Ibu bila ada."
    ]
    assert SlotSet("csat_asking", None) in events
    ticket = service.by_number(number)
    assert (ticket.csat_service, ticket.csat_answer) == (None, None)


async def test_after_one_retry_a_typed_score_still_counts(at):
    service = at(WEDNESDAY_10_WIB)
    number = await resolved_ticket(service)
    dispatcher, events = await run(ActionStoreCsat(), typed("4 bintang", number, csat_reasked=True))
    assert "substansi jawaban" in texts(dispatcher)[0]
    assert SlotSet("csat_reasked", False) in events
    assert service.by_number(number).csat_service == 4


async def test_score_buttons_say_what_each_score_means(at):
    dispatcher, events = await run(ActionAskCsat(), make_tracker("/handoff_resolved"))
    titles = [b["title"] for b in dispatcher.messages[1]["buttons"]]
    assert titles == [
        "1 - Sangat tidak puas",
        "2 - Tidak puas",
        "3 - Cukup",
        "4 - Puas",
        "5 - Sangat puas",
    ]
    assert SlotSet("csat_asking", "csat_service") in events
