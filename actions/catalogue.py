"""Labels for every conversation, non-DJPK referrals, acknowledgements, who is asking."""

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
from bot.text import normalise
from bot.tickets.taxonomy import Category, Topic

# A reservation is a consultation with DJPK; "jadwal kapal pelni ke kupang" is not one.
CONSULTATION = re.compile(
    r"\b(?:konsul\w*|video conference|zoom|teams|tatap muka|kunjung\w*|berkunjung|audiensi|"
    r"djpk|dirjen|direktur\w*|pejabat|datang ke|ke kantor)\b"
)
# Words of DJPK's own programs: a message naming one is not another institution's question.
DJPK_WORDS = re.compile(
    r"\b(?:djpk|dau|dbh|dak|tkd|apbd|dana desa|otsus|pdrd|shsr|akpd|tdf|sikd|insentif fiskal|"
    r"transfer ke daerah|perimbangan)\b"
)
IN_SCOPE = "request_in_scope"
_INTRO = re.compile(r"^(?:saya|kami|sy|aku)?\s*(?:dari|dr|adalah|seorang|merupakan)?\s*", re.I)


class ActionNonDjpk(Action):
    """Say politely which institution handles the question; no ticket."""

    def name(self) -> str:
        return "action_non_djpk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        referral = services.non_djpk().match(text)
        if referral is None:
            dispatcher.utter_message(
                text="Mohon maaf, pertanyaan tersebut bukan kewenangan DJPK. Silakan hubungi "
                "instansi yang menangani layanan tersebut."
            )
        else:
            dispatcher.utter_message(text=referral.answer)
        await blocking(label, tracker, Topic.NON_DJPK)
        return []


async def refer(dispatcher: CollectingDispatcher, tracker: Tracker, text: str) -> bool:
    """Answer with the institution that handles the text, if it belongs to another one."""
    referral = services.non_djpk().match(text)
    if referral is None or DJPK_WORDS.search(normalise(text)):
        return False
    dispatcher.utter_message(text=referral.answer)
    await blocking(label, tracker, Topic.NON_DJPK)
    return True


class ActionCheckRequest(Action):
    """Before a form starts: another institution's question or a non-consultation is no request."""

    def name(self) -> str:
        return "action_check_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if await refer(dispatcher, tracker, text):
            return [SlotSet(IN_SCOPE, False)]
        if intent == "request_reservation" and not CONSULTATION.search(normalise(text)):
            dispatcher.utter_message(response="utter_out_of_scope")
            return [SlotSet(IN_SCOPE, False)]
        return [SlotSet(IN_SCOPE, True)]


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
