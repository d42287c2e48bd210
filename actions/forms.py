"""Forms that bend: questions inside a form are answered, only explicit words cancel, and
after two refused answers the user may skip (optional questions) or cancel."""

from __future__ import annotations

import re
from abc import abstractmethod

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecutionRejected, ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from bot.text import normalise

# What cancels a form; anything else the NLU happens to call `cancel` ("tidak ada", "belum")
# is the user's answer to the question.
EXPLICIT_CANCEL = re.compile(
    r"\b(?:batal\w*|cancel|stop|berhenti|tidak jadi|gajadi|(?:sudah )?tidak usah|keluar)\b"
)
LEADING_CANCEL = re.compile(
    r"^(?:(?:eh|oh|maaf|min|kak|ya)\W+)?(?:batal\w*|cancel|stop|tidak jadi|gajadi|"
    r"(?:sudah )?tidak usah)\b"
)
SKIP = re.compile(r"^(?:lewati|lewat|skip|lompati|tidak mau (?:menyebutkan|disebutkan))\b")
SKIPPED = "(tidak disebutkan)"


def words(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


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
QUESTION_WORDS = words(
    "apa apakah bagaimana berapa kapan dimana kemana mengapa kenapa siapa bisakah bolehkah "
    "adakah gimana mana"
)
STARTERS = QUESTION_WORDS | {"cara"}
UNSURE = frozenset({"tahu", "lupa", "ingat"})  # "tidak tahu kapan" answers, it does not ask
FILLERS = words("eh oh oiya oya btw bentar sebentar maaf min kak pak bu halo")
PARTICLES = words("ya yah min kak pak bu dong sih nih deh kah dulu aja saja lagi")
GREETING_WORDS = words(
    "halo hai hi hello pagi siang sore malam selamat met assalamualaikum assalamu alaikum "
    "salam permisi punten djpk admin wr wb"
)
BOT_WORDS = words("bot robot chatbot mesin manusia otomatis ai sistem asli beneran")
# Words no personal name contains: they mark a question typed where the name was asked.
NOT_NAME = words(
    "djpk whatsapp email nomor telepon dau dbh dak tkd apbd syarat cair jam layanan surat "
    "undangan bot petugas admin npwp efin alamat kantor ya tidak iya belum sudah oke ok "
    "halo hai pagi siang sore malam selamat terima kasih kamu anda robot mesin manusia"
)


def is_explicit_cancel(text: str) -> bool:
    """True for "batal", "tidak jadi", "stop"...; False for "tidak ada" or "belum"."""
    return EXPLICIT_CANCEL.search(normalise(text)) is not None


def is_skip(text: str) -> bool:
    """True for "lewati", "skip": the user declines an optional question."""
    return SKIP.search(normalise(text)) is not None


def looks_like_question(text: str) -> bool:
    """Opens with a question word or "cara", or holds one and ends with it or with '?'."""
    tokens = [w for w in normalise(text).split() if w not in PARTICLES]
    if not tokens:
        return False
    if next((w for w in tokens if w not in FILLERS), "") in STARTERS:
        return True
    asked = bool(QUESTION_WORDS & set(tokens)) and not UNSURE & set(tokens)
    return asked and (text.rstrip().endswith("?") or tokens[-1] in QUESTION_WORDS)


def looks_like_greeting(text: str) -> bool:
    """Only greeting words ("selamat pagi min", "assalamualaikum"), nothing else."""
    tokens = set(normalise(text).split())
    return bool(tokens) and tokens <= GREETING_WORDS | FILLERS | PARTICLES


def cancels_first(text: str) -> bool:
    """A message that opens with a cancel word ("batal, saya tanya bot aja"), whatever the NLU."""
    return LEADING_CANCEL.match(normalise(text)) is not None


def looks_like_name(text: str) -> bool:
    """One to five words of letters (titles and commas allowed) that are not DJPK vocabulary."""
    tokens = normalise(text).split()
    plain = re.fullmatch(r"[^\W\d_][\w .,'’-]*", text.strip()) is not None
    return plain and 1 <= len(tokens) <= 5 and not set(tokens) & NOT_NAME


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
            return [ActionExecutionRejected(self.form_name()),
                    FollowupAction(ActionCancelForm.NAME)]  # fmt: skip
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
            return [*await super().get_validation_events(dispatcher, tracker, domain),
                    SlotSet(self.counter, 0.0)]  # fmt: skip
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
        from actions.faq import ActionAnswerFaq  # actions.faq imports this module

        return await ActionAnswerFaq().run(dispatcher, tracker, {})

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
            way_out = "melewati pertanyaan ini atau membatalkan" if slot in self.OPTIONAL else (
                "membatalkan permintaan ini"
            )  # fmt: skip
            dispatcher.utter_message(
                text=f"Bapak/Ibu dapat mencoba menjawab lagi, {way_out}.", buttons=buttons
            )
            failures = 0
        return [SlotSet(self.counter, float(failures))]


class ActionCancelForm(Action):
    """Cancel the active form: forget its answers (not who the user is) and confirm briefly."""

    NAME = "action_cancel_form"
    KEEP = frozenset({"user_name", "user_instansi"})

    def name(self) -> str:
        return self.NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        form = (tracker.active_loop or {}).get("name")
        slots = (domain.get("forms") or {}).get(form, {}).get("required_slots") or []
        dispatcher.utter_message(response="utter_cancelled")
        cleared = [SlotSet(slot, None) for slot in slots if slot not in self.KEEP]
        counter = [SlotSet(f"{form}_failures", 0.0)] if f"{form}_failures" in domain.get(
            "slots", {}
        ) else []  # fmt: skip
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), *cleared, *counter]


class ValidateComplaintForm(FreeTextForm):
    """Complaint answers are free text; evidence may be a file or "tidak ada"."""

    OPTIONAL = frozenset({"complaint_where", "complaint_when", "complaint_evidence"})
    QUESTION_OK = frozenset({"complaint_what"})

    def name(self) -> str:
        return "validate_complaint_form"


class ValidateDataRequestForm(FreeTextForm):
    """Data request answers are free text."""

    def name(self) -> str:
        return "validate_data_request_form"


class ValidateLetterStatusForm(FreeTextForm):
    """Letter status answers are free text."""

    def name(self) -> str:
        return "validate_letter_status_form"
