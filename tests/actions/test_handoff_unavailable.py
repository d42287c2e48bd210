"""ActionHandoffUnavailable: one polite line, the message kept for the ticket when it can be."""

from __future__ import annotations

from datetime import datetime, timezone

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions import services
from actions.handoff import UNAVAILABLE, ActionHandoffUnavailable
from bot.tickets.taxonomy import Channel
from tests.actions.trackers import make_tracker, texts

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


class DownService:
    """A ticket service whose database is unreachable."""

    def record_user_message(self, *args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("could not connect to server"))


async def run(tracker):
    dispatcher = CollectingDispatcher()
    return dispatcher, await ActionHandoffUnavailable().run(dispatcher, tracker, {})


async def test_store_down_gives_one_polite_line_and_no_answer(monkeypatch) -> None:
    monkeypatch.setattr(services, "ticket_service", DownService)
    dispatcher, events = await run(make_tracker("kapan dau tahap 1 cair?"))
    assert texts(dispatcher) == [UNAVAILABLE]
    assert UNAVAILABLE == (
        "Mohon maaf, pesan Bapak/Ibu sudah kami catat; kami akan segera menindaklanjutinya."
    )
    assert events == []


async def test_store_back_adds_the_message_to_the_active_ticket() -> None:
    service = services.ticket_service()
    service.clock = lambda: NOW
    ticket = service.open_handoff(
        conversation_id="user-1",
        channel=Channel.from_rasa("rest"),
        name="Budi",
        instansi="BPKAD Kab. Brebes",
        topic_text="dau tahap 1",
        transcript=[],
        context={},
    ).ticket
    tracker = make_tracker("halo, masih ada petugas?")
    tracker.events[-1]["timestamp"] = NOW.timestamp()
    dispatcher, _ = await run(tracker)
    assert texts(dispatcher) == [UNAVAILABLE]
    messages = service.messages(ticket.id)
    assert [m.text for m in messages][-1] == "halo, masih ada petugas?"
