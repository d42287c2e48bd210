"""The length gate: short messages go to Rasa, long ones get the polite line and a short record."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import length
from bot.channels.overlong import MARK, LengthGate
from harness.fakes.serving import Recorder

pytestmark = pytest.mark.asyncio

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet]
slots:
  user_name:
    type: text
    mappings: [{type: from_text, conditions: [{active_loop: handoff_form}]}]
forms:
  handoff_form:
    required_slots: [user_name]
"""
)
LONG = "mohon info dana alokasi umum " * 700


class FakeProcessor:
    """Rasa's MessageProcessor as the gate uses it: one tracker, kept in memory."""

    def __init__(self, tracker: DialogueStateTracker) -> None:
        self.domain = DOMAIN
        self.tracker = tracker
        self.saved: list[list[Any]] = []

    async def fetch_tracker_and_update_session(
        self, sender_id: str, output_channel: Any = None, metadata: Any = None
    ) -> DialogueStateTracker:
        assert sender_id == self.tracker.sender_id
        return self.tracker

    async def save_tracker(self, tracker: DialogueStateTracker) -> None:
        self.saved.append(list(tracker.events))


def in_a_form() -> DialogueStateTracker:
    """A conversation whose hand-off form just asked for the user's name."""
    events = [
        ActionExecuted("action_listen"),
        UserUttered("saya mau bicara dengan petugas", {"name": "greet", "confidence": 1.0}),
        ActionExecuted("handoff_form"),
        ActiveLoop("handoff_form"),
        SlotSet("requested_slot", "user_name"),
        BotUttered("Boleh tahu nama Bapak/Ibu?"),
        ActionExecuted("action_listen"),
    ]
    return DialogueStateTracker.from_events("u1", events, DOMAIN.slots)


def gate_with_agent(processor: FakeProcessor, limit: int = length.MAX_CHARS) -> LengthGate:
    gate = LengthGate(limit)
    agent = SimpleNamespace(
        processor=processor, lock_store=InMemoryLockStore(), is_ready=lambda: True
    )
    gate.bind(SimpleNamespace(ctx=SimpleNamespace(agent=agent)))
    return gate


async def test_a_short_message_goes_to_rasa_untouched() -> None:
    bot = Recorder()
    output = CollectingOutputChannel()
    await LengthGate().wrap(bot)(UserMessage("a" * 2000, output, "u1"))
    assert [m.text for m in bot.messages] == ["a" * 2000]
    assert output.messages[0]["text"] == "echo: " + "a" * 2000


async def test_a_long_message_is_answered_without_rasa_when_no_agent_is_loaded() -> None:
    bot = Recorder()
    output = CollectingOutputChannel()
    await LengthGate().wrap(bot)(UserMessage(LONG, output, "u1"))
    assert bot.messages == []
    assert output.messages == [{"recipient_id": "u1", "text": length.reply()}]


async def test_a_long_message_inside_a_form_is_recorded_cut_and_leaves_the_form_as_it_was() -> None:
    tracker = in_a_form()
    before = len(tracker.events)
    processor = FakeProcessor(tracker)
    bot = Recorder()
    output = CollectingOutputChannel()
    message = UserMessage(LONG, output, "u1", input_channel="rest", metadata={"a": 1})
    await gate_with_agent(processor).wrap(bot)(message)

    assert bot.messages == []
    assert output.messages == [{"recipient_id": "u1", "text": length.reply()}]
    user, reply = processor.saved[-1][before:]
    assert isinstance(user, UserUttered) and isinstance(reply, BotUttered)
    assert user.text == length.kept_copy(LONG) and len(user.text) < 2100
    assert user.intent_name is None and user.input_channel == "rest"
    assert user.message_id == message.message_id
    assert user.metadata == {"a": 1, MARK: {"chars": len(LONG.strip()), "limit": 2000}}
    assert reply.text == length.reply()
    assert tracker.active_loop_name == "handoff_form"
    assert tracker.get_slot("requested_slot") == "user_name"
    assert tracker.get_slot("user_name") is None
    assert tracker.latest_action_name == "action_listen"


async def test_the_configured_limit_is_the_one_applied_and_named() -> None:
    processor = FakeProcessor(DialogueStateTracker("u1", DOMAIN.slots))
    bot = Recorder()
    output = CollectingOutputChannel()
    gate = gate_with_agent(processor, limit=10).wrap(bot)
    await gate(UserMessage("sepuluh ok", output, "u1"))
    await gate(UserMessage("sebelas huruf", output, "u1"))
    assert [m.text for m in bot.messages] == ["sepuluh ok"]
    assert output.messages[-1]["text"] == length.reply(10)
    assert "10 karakter" in output.messages[-1]["text"]
    assert processor.saved[-1][-2].text.startswith("sebelas hu […dipotong")
