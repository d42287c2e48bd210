"""Blocking work stays off the action server's loop: every service call waits at a gate that
only a coroutine on the same loop can open, so an action that called a service on the loop
would stall that coroutine and the call would time out at the gate."""

from __future__ import annotations

import asyncio
import queue
import threading
from datetime import datetime, timezone
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.csat import ActionStoreCsat
from actions.faq import ActionAnswerChosenFaq, ActionAnswerFaq, ActionFaqFeedback
from actions.handoff import (
    ActionHandoffUnavailable,
    ActionOpenTicket,
    ActionRelayToAgent,
    ValidateHandoffForm,
)
from actions.reception import ActionAcknowledge, ActionRememberIdentity
from actions.referrals import ActionCheckRequest, ActionNonDjpk
from actions.requests import (
    ActionCreateComplaint,
    ActionCreateDataRequest,
    ActionCreateLetterStatus,
    ActionRouteReport,
)
from actions.reservations import ActionCreateReservation, ValidateReservationForm
from bot.tickets.taxonomy import Channel
from tests.actions.trackers import make_tracker

WEDNESDAY = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)  # 10:00 WIB, in service hours
HOLD = 5.0  # seconds a call waits at the gate before it counts as having blocked the loop
FREE = frozenset({"clock", "hours"})  # read on the loop: the service's clock and calendar


class Gate:
    """Each call waits until the loop's keeper opens it; `stuck` counts the calls it never did."""

    def __init__(self) -> None:
        self.waiting: queue.SimpleQueue[threading.Event] = queue.SimpleQueue()
        self.calls = 0
        self.stuck = 0

    def wait(self) -> None:
        opened = threading.Event()
        self.waiting.put(opened)
        self.calls += 1
        if not opened.wait(HOLD):
            self.stuck += 1

    async def keep(self, done: asyncio.Event) -> None:
        """On the loop: open every waiting call until the action is done."""
        while not done.is_set():
            while not self.waiting.empty():
                self.waiting.get_nowait().set()
            await asyncio.sleep(0.001)


class Gated:
    """A service whose every method call (and data attribute, but FREE) waits at the gate."""

    def __init__(self, inner: Any, gate: Gate) -> None:
        self._inner, self._gate = inner, gate

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name in FREE:
            return value
        if not callable(value):  # e.g. the knowledge base's retriever
            self._gate.wait()
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self._gate.wait()
            return value(*args, **kwargs)

        return call


@pytest.fixture
def gate(monkeypatch) -> Gate:
    """The ticket service, the knowledge base, the miss log and the reservation policy, gated:
    building each one waits at the gate too."""
    tickets = services.ticket_service()
    tickets.clock = lambda: WEDNESDAY
    tickets.open_handoff(
        conversation_id="waiting-1",
        channel=Channel.from_rasa("rest"),
        name="Budi",
        instansi="BPKAD Kab. Brebes",
        topic_text="dau tahap 1",
        transcript=[],
        context={},
    )
    built = {
        "ticket_service": tickets,
        "knowledge_base": services.knowledge_base(),
        "miss_log": services.miss_log(),
        "reservation_policy": services.reservation_policy(),
    }
    gate = Gate()
    for name, inner in built.items():
        gated = Gated(inner, gate)

        def builder(gated: Gated = gated) -> Gated:
            gate.wait()
            return gated

        monkeypatch.setattr(services, name, builder)
    return gate


async def beside_keeper(gate: Gate, call) -> Any:
    """Await the action's coroutine while the keeper runs on the same loop."""
    done = asyncio.Event()
    keeper = asyncio.create_task(gate.keep(done))
    try:
        return await call
    finally:
        done.set()
        await keeper


COMPLAINT = {"complaint_what": "dau kami belum cair", "complaint_where": "Brebes"}
RESERVATION = {
    "reservation_mode": "video_conference",
    "reservation_topic": "dak fisik",
    "reservation_date": "2026-12-09",
    "attendees_count": 3.0,
    "attendees_positions": "kabid",
}
ACTIONS = {
    "faq answered": (ActionAnswerFaq(), "min nomor wa djpk brp ya", {}),
    "faq not found": (ActionAnswerFaq(), "jadwal liga inggris malam ini", {}),
    "faq chosen": (ActionAnswerChosenFaq(), "/choose_faq", {}),
    "faq unhelpful": (ActionFaqFeedback(), "tidak membantu", {"faq_last_id": "kontak-whatsapp"}),
    "non djpk": (ActionNonDjpk(), "efin saya hilang", {}),
    "check request": (ActionCheckRequest(), "efin saya hilang", {}),
    "acknowledge": (ActionAcknowledge(), "ok siap", {}),
    "identity": (ActionRememberIdentity(), "saya dari BPKAD Kab. Brebes", {}),
    "open ticket": (ActionOpenTicket(), "petugas", {"handoff_topic": "dau tahap 1"}),
    "data request": (ActionCreateDataRequest(), "data dau", {"data_wanted": "dau"}),
    "complaint": (ActionCreateComplaint(), "pengaduan", COMPLAINT),
    "letter status": (ActionCreateLetterStatus(), "status surat", {"sent_letter": "S-1/2026"}),
    "routine report": (ActionRouteReport(), "laporan syarat salur", {}),
    "reservation": (ActionCreateReservation(), "ya", RESERVATION),
    "csat": (ActionStoreCsat(), "5", {"ticket_number": "DJPK-0"}),
    "unavailable": (ActionHandoffUnavailable(), "halo", {}),
}


@pytest.mark.parametrize("name", ACTIONS)
async def test_an_action_leaves_the_loop_free_while_its_service_works(gate, name) -> None:
    action, text, slots = ACTIONS[name]
    dispatcher = CollectingDispatcher()
    await beside_keeper(gate, action.run(dispatcher, make_tracker(text, slots=slots), {}))
    assert gate.calls > 0, "the action reached no gated service: the test checks nothing"
    assert gate.stuck == 0, f"{gate.stuck} of {gate.calls} service calls blocked the loop"
    assert dispatcher.messages or name == "acknowledge"  # noise gets no reply


async def test_the_relay_leaves_the_loop_free(gate) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("masih menunggu", sender="waiting-1")
    await beside_keeper(gate, ActionRelayToAgent().run(dispatcher, tracker, {}))
    assert gate.calls >= 3  # the builder, the message, the queue position
    assert gate.stuck == 0
    assert dispatcher.messages


FORMS = {
    "profile": (ValidateHandoffForm().extract_user_name, ()),
    "date": (ValidateReservationForm().validate_reservation_date, ("9 Desember 2026",)),
    "guests": (ValidateReservationForm().validate_attendees_count, ("40 orang",)),
    "letter": (ValidateReservationForm().validate_letter_sent, ("belum",)),
}


@pytest.mark.parametrize("name", FORMS)
async def test_a_form_method_leaves_the_loop_free(gate, name) -> None:
    method, value = FORMS[name]
    tracker = make_tracker("Budi", slots={"reservation_mode": "tatap_muka"})
    await beside_keeper(gate, method(*value, CollectingDispatcher(), tracker, {}))
    assert gate.calls > 0
    assert gate.stuck == 0
