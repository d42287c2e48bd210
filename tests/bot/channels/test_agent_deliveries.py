"""Agent replies on WhatsApp against the fake Graph API: the wamid of the send, status webhooks
moving the delivery state, Meta's 131047 refusal, and the reopen template path."""

from __future__ import annotations

import time

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.whatsapp import WhatsAppInput
from bot.console.bridge import ConversationBridge
from bot.db import engine_for
from bot.delivery.records import Reopen, State
from bot.delivery.sql import DeliveryStore
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.fakes.serving import Recorder, serve
from tests.bot.channels.support import post
from tests.bot.console.support import FakeAgent


def agent_with_user(hours_ago: float = 0) -> FakeAgent:
    agent = FakeAgent()
    tracker = DialogueStateTracker(wh.USER, slots=[])
    at = time.time() - hours_ago * 3600
    tracker.update(UserUttered("halo", {"name": "greet"}, input_channel="whatsapp", timestamp=at))
    agent.processor.trackers[wh.USER] = tracker
    return agent


def texts(graph: FakeGraph) -> list[str]:
    return [m["text"]["body"] for m in graph.messages() if m.get("type") == "text"]


async def test_statuses_move_the_reply_and_131047_marks_it_failed(
    channel: WhatsAppInput, graph: FakeGraph, db_url: str
) -> None:
    deliveries = DeliveryStore(engine_for(db_url))
    bridge = ConversationBridge(agent_with_user(), [channel], deliveries)
    async with serve(channel, Recorder()) as url:
        delivery = await bridge.send(wh.USER, "Selamat siang, Bapak.", "agen1", 1, 10)
        assert (delivery.state, delivery.pushed) == (State.SENT, True)
        assert texts(graph) == ["Selamat siang, Bapak."]
        wamid = deliveries.get(1).wamid
        assert wamid
        for state in ("delivered", "read", "delivered"):  # Meta may repeat or reorder
            assert await post(url, wh.delivery(statuses=[wh.status(wamid, state)])) == 200
            await channel.drain()
        assert deliveries.get(1).state is State.READ

        graph.fail(400, 131047)
        refused = await bridge.send(wh.USER, "Balasan kedua", "agen1", 2, 10)
        assert refused.state is State.FAILED
        assert deliveries.get(2).state is State.FAILED
        assert deliveries.get(2).reason.startswith("131047")

        await bridge.send(wh.USER, "Balasan ketiga", "agen1", 3, 10)
        third = deliveries.get(3).wamid
        body = wh.delivery(statuses=[wh.status(third, "failed", error_code=131047)])
        assert await post(url, body) == 200
        await channel.drain()
    item = deliveries.get(3)
    assert (item.state, item.reason[:6]) == (State.FAILED, "131047")
    assert [d.state for d in deliveries.for_ticket(10).values()] == [
        State.READ,
        State.FAILED,
        State.FAILED,
    ]


async def test_outside_the_window_the_template_goes_and_the_reply_follows_the_answer(
    channel: WhatsAppInput, graph: FakeGraph, db_url: str
) -> None:
    deliveries = DeliveryStore(engine_for(db_url))
    reopen = Reopen("djpk_lanjutan_tiket", "id")
    bridge = ConversationBridge(agent_with_user(hours_ago=30), [channel], deliveries, reopen)
    recorder = Recorder()
    async with serve(channel, recorder) as url:
        delivery = await bridge.send(
            wh.USER, "Data DAU sudah kami cek.", "agen1", 5, 11, ["Budi", "DJPK-1"]
        )
        assert delivery.state is State.QUEUED
        [template] = [m for m in graph.messages() if m.get("type") == "template"]
        assert template["template"]["name"] == "djpk_lanjutan_tiket"
        assert template["template"]["language"] == {"code": "id"}
        parameters = template["template"]["components"][0]["parameters"]
        assert [p["text"] for p in parameters] == ["Budi", "DJPK-1"]
        assert texts(graph) == []

        assert await post(url, wh.delivery([wh.text("iya, silakan")])) == 200
        await channel.drain()
    # the waiting reply goes out as soon as the user writes, before the bot's answer to it
    assert texts(graph) == ["Data DAU sudah kami cek.", "echo: iya, silakan"]
    assert deliveries.get(5).state is State.SENT
    assert [m.text for m in recorder.messages] == ["iya, silakan"]
