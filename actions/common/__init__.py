"""The tracker adapter every feature module shares: the channel, the transcript, the last
question, the offer of an agent, the conversation's label and the one way to open a ticket.

Feature modules in `actions/` import `actions.services`, this package and `bot.*`, never each
other. Nothing here subclasses a concrete Action: the action server registers those once, from
their feature module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker

from actions import services
from bot.tickets.records import HandoffResult
from bot.tickets.taxonomy import Channel, Topic

QUESTION_INTENTS = ("ask_faq", "nlu_fallback")
OFFER = "Apakah Bapak/Ibu ingin dihubungkan dengan petugas kami?"
OFFER_BUTTON = {"title": "Hubungi petugas", "payload": "/request_human"}


def channel_of(tracker: Tracker) -> Channel:
    """The taxonomy channel of the conversation."""
    return Channel.from_rasa(tracker.get_latest_input_channel())


def sent_at(event: dict[str, Any]) -> datetime:
    """When the user or the bot sent the message of one tracker event (UTC)."""
    return datetime.fromtimestamp(event.get("timestamp") or 0, tz=timezone.utc)


def latest_user_event(tracker: Tracker) -> dict[str, Any] | None:
    """The tracker event of the user's latest message."""
    return next((e for e in reversed(tracker.events) if e.get("event") == "user"), None)


def transcript(tracker: Tracker) -> list[tuple[str, str, datetime]]:
    """What the user and the bot said in this conversation, oldest first."""
    lines = []
    for event in tracker.events:
        kind, text = event.get("event"), event.get("text")
        if kind in ("user", "bot") and text:
            lines.append(("user" if kind == "user" else "bot", text, sent_at(event)))
    return lines


def last_question(tracker: Tracker, within: int = 3) -> str | None:
    """The question the bot just failed to answer, if among the last `within` user messages."""
    users = [event for event in tracker.events if event.get("event") == "user"]
    for event in reversed(users[-within:]):
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if intent in QUESTION_INTENTS:
            return event.get("text")
    return None


def label(tracker: Tracker, topic: Topic | None) -> None:
    """Record what the conversation is about and who is asking, for the monthly report."""
    instansi = tracker.get_slot("user_instansi") or tracker.latest_message.get("text")
    services.ticket_service().label(
        tracker.sender_id, channel_of(tracker), topic, instansi=instansi
    )


def open_ticket(
    tracker: Tracker,
    topic_text: str,
    *,
    topic: Topic | None = None,
    context: Mapping[str, Any] | None = None,
    history: Sequence[tuple[str, str, datetime]] = (),
    pause: bool | None = None,
    unit: str | None = None,
    note: str = "",
    separate: bool = False,
) -> HandoffResult:
    """A ticket for this conversation, with who the user said they are.

    The hand-off ticket is idempotent; `separate=True` (every request: reservation, data request,
    complaint, letter status, fake-letter report) opens a ticket of its own each time.
    `pause=None` pauses the bot inside service hours; with a `unit` the ticket is escalated to it
    in the same transaction (a complaint).
    """
    fields: dict[str, Any] = {
        "conversation_id": tracker.sender_id,
        "channel": channel_of(tracker),
        "name": tracker.get_slot("user_name"),
        "instansi": tracker.get_slot("user_instansi"),
        "topic_text": topic_text,
        "topic": topic,
        "context": context,
        "transcript": history,
        "pause": pause,
        "separate": separate,
    }
    service = services.ticket_service()
    if unit is None:
        return service.open_handoff(**fields)
    return service.open_complaint(unit=unit, note=note, **fields)
