"""FAQ actions: answer from the knowledge base, take feedback, offer close alternatives."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import OFFER_BUTTON, last_question
from actions.common.answers import (
    WHICH_ONE,
    answer_faq,
    choice_button,
    faq_entries,
    record_vote,
    utter_answer,
    utter_not_found,
)
from actions.common.blocking import blocking
from bot.kb.records import SearchHit
from bot.text import normalise

NEGATIONS = frozenset({"tidak", "kurang", "bukan", "belum", "salah"})


class ActionAnswerFaq(Action):
    """Search the knowledge base with the user's own words."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await answer_faq(dispatcher, tracker)


class ActionAnswerChosenFaq(Action):
    """Answer the entry the user picked from the suggestions."""

    def name(self) -> str:
        return "action_answer_chosen_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        faq_id = next(tracker.get_latest_entity_values("faq_id"), None)
        [entry] = await blocking(faq_entries, faq_id)
        if entry is None:
            utter_not_found(dispatcher)
            return []
        return utter_answer(dispatcher, SearchHit(entry.id, 1.0, entry), [])


class ActionFaqFeedback(Action):
    """Thank for a helpful answer; after "Tidak", offer the other close entries."""

    def name(self) -> str:
        return "action_faq_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        helpful = next(tracker.get_latest_entity_values("helpful"), None)
        if helpful is None:
            words = set(normalise(tracker.latest_message.get("text") or "").split())
            helpful = "tidak" if words & NEGATIONS else "ya"
        if helpful == "ya":
            dispatcher.utter_message(text="Terima kasih atas umpan baliknya, Bapak/Ibu.")
            return []
        alternatives = tracker.get_slot("faq_alternatives") or []
        last, *others = await blocking(faq_entries, tracker.get_slot("faq_last_id"), *alternatives)
        buttons = [choice_button(entry) for entry in others if entry is not None][:3]
        question = tracker.get_slot("faq_last_query") or last_question(tracker) or ""
        await blocking(record_vote, tracker, question, last)
        text = "Mohon maaf jawaban tadi belum membantu."
        if buttons:
            dispatcher.utter_message(text=f"{text} {WHICH_ONE}", buttons=[*buttons, OFFER_BUTTON])
        else:
            utter_not_found(dispatcher, text)
        return [SlotSet("faq_alternatives", [])]
