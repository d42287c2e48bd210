"""FreeTextForm, the base of every form: the requested slot takes the user's text unless it
is a question (answered from the FAQ) or an explicit cancel; after two refusals, a way out."""

from __future__ import annotations

from abc import abstractmethod

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common.answers import answer_faq
from bot.forms import (
    BOT_WORDS,
    cancels_first,
    is_explicit_cancel,
    is_skip,
    looks_like_greeting,
    looks_like_name,
    looks_like_question,
)
from bot.text import normalise

CANCEL_FORM = "action_cancel_form"  # actions/forms.py, ActionCancelForm
SKIPPED = "(tidak disebutkan)"
# Slots answered in a few words (an instansi, a place, a time), and how long an answer may be.
SHORT_ANSWERS = frozenset(
    {"user_instansi", "complaint_where", "complaint_when", "data_years", "data_purpose"}
)
SHORT_ANSWER_WORDS, LONG_ANSWER_WORDS = 8, 40
MAX_FAILURES = 2
CONFIDENT = 0.7  # NLU confidence from which a question intent interrupts the form
# Intents the domain's from_text mappings leave out (data/rules/forms.yml answers each one).
SOCIAL = frozenset({"greet", "bot_challenge", "request_human", "faq_feedback", "choose_faq"})
QUESTIONS = frozenset({"ask_faq", "verify_letter", "ask_non_djpk", "out_of_scope"})


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    """The NLU's intent of the latest message and its confidence."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


class FreeTextForm(FormValidationAction):
    """A form whose requested slot takes the user's text unless it is a question or a cancel."""

    OPTIONAL: frozenset[str] = frozenset()  # questions the user may skip
    QUESTION_OK: frozenset[str] = frozenset()  # slots whose answer may itself be a question

    @abstractmethod
    def name(self) -> str:
        """Each form names itself (abstract, so the action server does not register this class)."""

    @property
    def counter(self) -> str:
        """The slot counting refused answers to the current question ("<form>_failures")."""
        return self.form_name() + "_failures"

    def plausible(self, slot: str, text: str) -> bool:
        """Whether the text reads as an answer to `slot` (subclasses check their own slots)."""
        if slot == "user_name":
            return looks_like_name(text)
        longest = SHORT_ANSWER_WORDS if slot in SHORT_ANSWERS else LONG_ANSWER_WORDS
        return not looks_like_question(text) and len(text.split()) <= longest

    def interrupts(self, slot: str, tracker: Tracker) -> bool:
        """True when the latest message is a question or request rather than an answer."""
        text = (tracker.latest_message or {}).get("text") or ""
        intent, confidence = latest_intent(tracker)
        if text.startswith("/") or slot not in self.QUESTION_OK and looks_like_question(text):
            return True
        if confidence < CONFIDENT or is_skip(text):
            return False
        if intent == "request_human":
            return True
        if intent == "greet" and looks_like_greeting(text):
            return True
        if intent == "bot_challenge" and BOT_WORDS & set(normalise(text).split()):
            return True
        return intent in SOCIAL | QUESTIONS and not self.plausible(slot, text)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        requested = tracker.get_slot(REQUESTED_SLOT)
        short = requested not in self.QUESTION_OK and len(text.split()) <= SHORT_ANSWER_WORDS
        if short and requested and latest_intent(tracker)[0] != "cancel" and cancels_first(text):
            # The cancel rules need the NLU's `cancel`; the form is cancelled all the same.
            return [ActionExecutionRejected(self.form_name()), FollowupAction(CANCEL_FORM)]
        return await super().run(dispatcher, tracker, domain)

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        requested = tracker.get_slot(REQUESTED_SLOT)
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        intent, _ = latest_intent(tracker)
        mapped = requested in tracker.slots_to_validate() or any(
            event.get("name") == requested for event in events
        )
        if not requested or not text or mapped or is_explicit_cancel(text):
            return events
        if intent == "cancel" or not self.interrupts(requested, tracker):
            events.append(SlotSet(requested, text))  # an answer the NLU read as something else
        return events

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        if not requested:  # the form starts: a fresh count
            return [
                *await super().get_validation_events(dispatcher, tracker, domain),
                SlotSet(self.counter, 0.0),
            ]
        value = tracker.slots_to_validate().get(requested)
        if value is None:
            return await super().get_validation_events(dispatcher, tracker, domain)
        text = str(value)
        if requested not in self.QUESTION_OK and self.interrupts(requested, tracker):
            return [SlotSet(requested, None), *await self.answer_question(dispatcher, tracker)]
        if is_skip(text):
            return self.skip(requested, dispatcher, tracker)
        events = await super().get_validation_events(dispatcher, tracker, domain)
        refused = any(e.get("name") == requested and e.get("value") is None for e in events)
        return events + self.count(requested, refused, dispatcher, tracker)

    async def answer_question(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
        """A question the mapping took as an answer: answered as action_answer_faq would."""
        return await answer_faq(dispatcher, tracker)

    def skip(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> list:
        """Skip an optional question; a required one is asked again, with the way out."""
        if slot in self.OPTIONAL:
            return [SlotSet(slot, SKIPPED), SlotSet(self.counter, 0.0)]
        dispatcher.utter_message(
            text="Mohon maaf, pertanyaan ini perlu dijawab. Bila tidak ingin melanjutkan, "
            'ketik "batal".'
        )
        return [SlotSet(slot, None)]

    def count(
        self, slot: str, refused: bool, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list:
        """financial-demo's max_validation_failures: after two refusals offer skip or cancel."""
        failures = int(tracker.get_slot(self.counter) or 0) + 1 if refused else 0
        if failures >= MAX_FAILURES:
            buttons = [{"title": "Batalkan", "payload": "batal"}]
            if slot in self.OPTIONAL:
                buttons.insert(0, {"title": "Lewati pertanyaan ini", "payload": "lewati"})
            way_out = (
                "melewati pertanyaan ini atau membatalkan"
                if slot in self.OPTIONAL
                else ("membatalkan permintaan ini")
            )
            dispatcher.utter_message(
                text=f"Bapak/Ibu dapat mencoba menjawab lagi, {way_out}.", buttons=buttons
            )
            failures = 0
        return [SlotSet(self.counter, float(failures))]
