"""Hand-off actions: the form asks only what is unknown, the ticket, relaying, CSAT."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.handoff import (
    ActionAskCsat,
    ActionOpenTicket,
    ActionRelayToAgent,
    ActionStoreCsat,
    ValidateHandoffForm,
)
from bot.tickets.service import TicketService
from bot.tickets.taxonomy import Channel, Topic
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
    ticket = service.store.by_number("DJPK-20261202-0001")
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
    assert len(service.store.list()) == 1


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


async def test_messages_while_paused_go_into_the_ticket(at):
    service = at(WEDNESDAY_10_WIB)
    await run(
        ActionOpenTicket(),
        form_tracker(user_name="Budi", user_instansi="Kab. Brebes", handoff_topic="DBH"),
    )
    dispatcher, events = await run(ActionRelayToAgent(), make_tracker("halo, ada orang?"))
    assert dispatcher.messages == [] and events == []
    ticket = service.store.active_for_conversation("user-1")
    assert [m.text for m in service.store.messages(ticket.id)][-1] == "halo, ada orang?"


async def test_both_csat_scores_are_stored_on_the_ticket(at):
    service = at(WEDNESDAY_10_WIB)
    _, events = await run(
        ActionOpenTicket(),
        form_tracker(user_name="Budi", user_instansi="Kab. Brebes", handoff_topic="DBH"),
    )
    number = "DJPK-20261202-0001"
    dispatcher, _ = await run(ActionAskCsat(), make_tracker("/handoff_resolved"))
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]][
        0
    ] == '/csat{"csat_service": 1}'
    first = make_tracker("/csat", intent="csat", slots={"ticket_number": number, "csat_service": 5})
    dispatcher, _ = await run(ActionStoreCsat(), first)
    assert "substansi jawaban" in texts(dispatcher)[0]
    both = make_tracker(
        "/csat", intent="csat", slots={"ticket_number": number, "csat_service": 5, "csat_answer": 4}
    )
    dispatcher, events = await run(ActionStoreCsat(), both)
    ticket = service.store.by_number(number)
    assert (ticket.csat_service, ticket.csat_answer) == (5, 4)
    assert SlotSet("ticket_number", None) in events
    assert ticket.channel is Channel.REST
