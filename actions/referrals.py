"""Questions and requests that belong to another institution: say which one, open no ticket."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.common import label
from actions.common.blocking import blocking
from bot.text import normalise
from bot.tickets.taxonomy import Topic

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
