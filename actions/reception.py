"""The front desk: who is asking, and replies to blasts and noise."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.common import channel_of, label
from actions.common.answers import answer_faq
from actions.common.blocking import blocking
from bot.forms import looks_like_question
from bot.tickets.taxonomy import Category, Topic

_INTRO = re.compile(r"^(?:saya|kami|sy|aku)?\s*(?:dari|dr|adalah|seorang|merupakan)?\s*", re.I)


class ActionAcknowledge(Action):
    """Replies to blasts and noise ("ok", "siap", chain messages): no reply, labelled Spam.

    A message shaped like a question is never left unanswered for being read as noise: it goes
    to the FAQ search, which answers it or says it has no answer yet.
    """

    def name(self) -> str:
        return "action_acknowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if looks_like_question(tracker.latest_message.get("text") or ""):
            return await answer_faq(dispatcher, tracker)
        await blocking(label, tracker, Topic.SPAM)
        return []


def instansi_from(text: str) -> str:
    """'saya dari BPKAD Kab. Brebes' -> 'BPKAD Kab. Brebes'."""
    return _INTRO.sub("", text.strip()).strip(" .,!") or text.strip()


class ActionRememberIdentity(Action):
    """Keep who the user is (category, pemda) on the conversation and in their profile."""

    def name(self) -> str:
        return "action_remember_identity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        instansi = instansi_from(tracker.latest_message.get("text") or "")
        service = await blocking(services.ticket_service)
        who = await blocking(
            service.remember_identity, tracker.sender_id, channel_of(tracker), instansi
        )
        place = who.pemda or instansi
        if who.category is Category.AKADEMISI:
            place = "kalangan akademisi"
        dispatcher.utter_message(
            text=f"Terima kasih, Bapak/Ibu dari {place}. Silakan sampaikan pertanyaan Bapak/Ibu."
        )
        return [SlotSet("user_instansi", instansi)]
