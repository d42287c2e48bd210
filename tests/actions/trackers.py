"""Builders for the trackers and dispatchers the action tests use."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

# Wide enough for every label a test writes.
SPAN = (datetime(2026, 1, 1, tzinfo=timezone.utc), datetime(2028, 1, 1, tzinfo=timezone.utc))


def make_tracker(
    text: str,
    intent: str = "ask_faq",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    sender: str = "user-1",
    channel: str = "rest",
) -> Tracker:
    """A tracker whose latest message is `text`, as the action server receives it."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
    }
    user_event = {"event": "user", "text": text, "parse_data": latest, "input_channel": channel}
    return Tracker(
        sender_id=sender,
        slots=slots or {},
        latest_message=latest,
        events=[*(events or []), user_event],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def texts(dispatcher) -> list[str]:
    """Texts the action sent."""
    return [message.get("text") or "" for message in dispatcher.messages]


async def run_action(
    action: Any, tracker: Tracker
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    """Run one action as the action server would; the dispatcher holds what it said."""
    dispatcher = CollectingDispatcher()
    return dispatcher, await action.run(dispatcher, tracker, {})


def labels(service: Any) -> set[tuple[str, Any]]:
    """(conversation, topic) of every label in the ticket service's conversation state."""
    return {(label.conversation_id, label.topic) for label in service.conversations.labels(*SPAN)}
