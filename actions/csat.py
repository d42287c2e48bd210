"""Satisfaction after an agent resolves: two CSAT questions, each score stored only if asked."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.common import sent_at
from actions.common.blocking import blocking
from bot.tickets.records import Ticket
from bot.tickets.service import TicketService

CSAT_QUESTIONS = {
    "csat_service": "Bagaimana kepuasan Bapak/Ibu atas layanan petugas kami? "
    "(1 = sangat tidak puas, 5 = sangat puas)",
    "csat_answer": "Bagaimana penilaian Bapak/Ibu atas substansi jawaban yang diberikan? "
    "(1 = sangat tidak sesuai, 5 = sangat sesuai)",
}


class ActionAskCsat(Action):
    """After the agent resolves: the first of the two satisfaction questions."""

    def name(self) -> str:
        return "action_ask_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text="Percakapan dengan petugas telah selesai. Terima kasih.")
        dispatcher.utter_message(
            text=CSAT_QUESTIONS["csat_service"], buttons=score_buttons("csat_service")
        )
        return [SlotSet("csat_service", None), SlotSet("csat_answer", None)]


def score_buttons(slot: str) -> list[dict[str, str]]:
    """Buttons 1-5 whose payload carries the score as an entity."""
    return [{"title": str(n), "payload": "/csat" + json.dumps({slot: n})} for n in range(1, 6)]


NOTHING_ASKED = "Mohon maaf, saat ini tidak ada penilaian yang sedang diminta."
ASKED_BY = "action_ask_csat"


def score(value: Any) -> int | None:
    """A slot value as a CSAT score from 1 to 5, or None."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and 1 <= number <= 5 else None


def csat_asked_since(tracker: Tracker, since: datetime) -> bool:
    """Whether the bot asked the satisfaction questions in this conversation at or after `since`."""
    return any(
        event.get("event") == "action" and event.get("name") == ASKED_BY and sent_at(event) >= since
        for event in tracker.events
    )


def csat_ticket(tracker: Tracker, service: TicketService) -> Ticket | None:
    """The ticket whose satisfaction the bot asked and that still lacks a score, if any: this
    conversation's, resolved by an agent, the questions asked after it was resolved."""
    number = tracker.get_slot("ticket_number")
    ticket = service.by_number(number) if number else None
    if ticket is None or ticket.conversation_id != tracker.sender_id:
        return None
    if ticket.resolved_at is None or not csat_asked_since(tracker, ticket.resolved_at):
        return None
    if ticket.csat_service is not None and ticket.csat_answer is not None:
        return None
    return ticket


def new_scores(tracker: Tracker, ticket: Ticket) -> dict[str, int]:
    """Scores to record: each question asked and not answered yet (the second after the first)."""
    given = {slot: score(tracker.get_slot(slot)) for slot in CSAT_QUESTIONS}
    scores: dict[str, int] = {}
    if ticket.csat_service is None and given["csat_service"] is not None:
        scores["csat_service"] = given["csat_service"]
    elif ticket.csat_service is not None and given["csat_answer"] is not None:
        scores["csat_answer"] = given["csat_answer"]
    return scores


class ActionStoreCsat(Action):
    """Store each score on the ticket, only when the bot asked for it; ask the second question
    after the first. A score nobody asked for (a typed payload) is not recorded."""

    def name(self) -> str:
        return "action_store_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        service = await blocking(services.ticket_service)
        ticket = await blocking(csat_ticket, tracker, service)
        if ticket is None:
            dispatcher.utter_message(text=NOTHING_ASKED)
            return [SlotSet("csat_service", None), SlotSet("csat_answer", None)]
        scores = new_scores(tracker, ticket)
        if scores:
            ticket = await blocking(
                service.submit_csat,
                ticket.id,
                service=scores.get("csat_service"),
                answer=scores.get("csat_answer"),
            )
        pending = next((slot for slot in CSAT_QUESTIONS if getattr(ticket, slot) is None), None)
        if pending is not None:
            dispatcher.utter_message(text=CSAT_QUESTIONS[pending], buttons=score_buttons(pending))
            return []
        dispatcher.utter_message(text="Terima kasih atas penilaian Bapak/Ibu. Sampai jumpa.")
        return [SlotSet("ticket_number", None)]
