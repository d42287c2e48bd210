"""Satisfaction after an agent resolves: two CSAT questions, each score stored only if asked.

A score comes from a button (intent `csat`, the score as an entity) or from the text the user
typed while a question is pending ("5", "lima", "sangat puas": bot.tickets.satisfaction);
components/handoff_policy.py sends every message to `action_store_csat` while the slot
`csat_asking` names the pending question. A text that is no score is asked again once, then
the questions are left.
"""

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
from bot.tickets.satisfaction import read_score
from bot.tickets.service import TicketService

CSAT_QUESTIONS = {
    "csat_service": "Bagaimana kepuasan Bapak/Ibu atas layanan petugas kami? "
    "(1 = sangat tidak puas, 5 = sangat puas)",
    "csat_answer": "Bagaimana penilaian Bapak/Ibu atas substansi jawaban yang diberikan? "
    "(1 = sangat tidak sesuai, 5 = sangat sesuai)",
}
# What each score means on each scale: the button titles (a WhatsApp list row fits 24 chars).
SCORE_WORDS = {
    "csat_service": ("Sangat tidak puas", "Tidak puas", "Cukup", "Puas", "Sangat puas"),
    "csat_answer": ("Sangat tidak sesuai", "Tidak sesuai", "Cukup", "Sesuai", "Sangat sesuai"),
}
ASKING = "csat_asking"  # the pending question's slot, None when nothing is asked
REASKED = "csat_reasked"  # True once a text that was no score got the question again
ASK_AGAIN = (
    "Mohon maaf, penilaian tersebut belum kami pahami. "
    "Mohon balas dengan angka 1 sampai 5, misalnya: 5."
)
LEFT = "Baik, penilaian kami lewati. Silakan sampaikan kembali pertanyaan Bapak/Ibu bila ada."
DECLINED = "Baik, penilaian tidak dilanjutkan. Terima kasih."
THANKS = "Terima kasih atas penilaian Bapak/Ibu. Sampai jumpa."


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
        return [*cleared(), *asking("csat_service")]


def score_buttons(slot: str) -> list[dict[str, str]]:
    """Buttons 1-5 whose payload carries the score as an entity, titled with their meaning
    ("5 - Sangat puas"); on WhatsApp five buttons go out as an interactive list."""
    return [
        {"title": f"{n} - {SCORE_WORDS[slot][n - 1]}", "payload": "/csat" + json.dumps({slot: n})}
        for n in range(1, 6)
    ]


def cleared() -> list[dict[str, Any]]:
    """Forget the scores the slots hold."""
    return [SlotSet("csat_service", None), SlotSet("csat_answer", None)]


def asking(slot: str | None, reasked: bool = False) -> list[dict[str, Any]]:
    """The pending question (None: nothing asked) and whether it was asked again."""
    return [SlotSet(ASKING, slot), SlotSet(REASKED, reasked if slot else None)]


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
    """Scores to record: each question asked and not answered yet (the second after the first);
    a button's score, else the typed text read as a score."""
    given = {slot: score(tracker.get_slot(slot)) for slot in CSAT_QUESTIONS}
    pending = next((slot for slot in CSAT_QUESTIONS if getattr(ticket, slot) is None), None)
    if pending is None:
        return {}
    if pending == "csat_service" and given["csat_service"] is not None:
        return {"csat_service": given["csat_service"]}
    if pending == "csat_answer" and given["csat_answer"] is not None:
        return {"csat_answer": given["csat_answer"]}
    if tracker.latest_message.get("intent", {}).get("name") == "csat":
        return {}  # a button of the other question: nothing typed to read
    typed = read_score(tracker.latest_message.get("text"))
    return {pending: typed} if typed is not None else {}


class ActionStoreCsat(Action):
    """Store each score on the ticket, only when the bot asked for it; ask the second question
    after the first. A score nobody asked for (a typed payload) is not recorded; a text that is
    no score gets the question once more, then the questions are left."""

    def name(self) -> str:
        return "action_store_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        service = await blocking(services.ticket_service)
        ticket = await blocking(csat_ticket, tracker, service)
        intent = tracker.latest_message.get("intent", {}).get("name")
        if ticket is None:
            if intent == "csat" or not tracker.get_slot(ASKING):
                dispatcher.utter_message(text=NOTHING_ASKED)
            else:
                dispatcher.utter_message(text=LEFT)
            return [*cleared(), *asking(None)]
        scores = new_scores(tracker, ticket)
        if not scores:
            if intent == "cancel":
                dispatcher.utter_message(text=DECLINED)
                return [*cleared(), *asking(None)]
            if intent != "csat" and tracker.get_slot(REASKED):
                dispatcher.utter_message(text=LEFT)
                return [*cleared(), *asking(None)]
        else:
            ticket = await blocking(
                service.submit_csat,
                ticket.id,
                service=scores.get("csat_service"),
                answer=scores.get("csat_answer"),
            )
        pending = next((slot for slot in CSAT_QUESTIONS if getattr(ticket, slot) is None), None)
        if pending is not None:
            if not scores and intent != "csat":
                dispatcher.utter_message(text=ASK_AGAIN)
            dispatcher.utter_message(text=CSAT_QUESTIONS[pending], buttons=score_buttons(pending))
            return asking(pending, reasked=not scores and intent != "csat")
        dispatcher.utter_message(text=THANKS)
        return [SlotSet("ticket_number", None), *asking(None)]
