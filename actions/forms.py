"""Free-text form answers: "tidak ada" answers the question, only explicit words cancel a form."""

from __future__ import annotations

import re
from abc import abstractmethod

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.text import normalise

# What cancels a form; anything else the NLU happens to call `cancel` ("tidak ada", "belum")
# is the user's answer to the question.
EXPLICIT_CANCEL = re.compile(
    r"\b(?:batal\w*|cancel|stop|berhenti|tidak jadi|(?:sudah )?tidak usah|keluar)\b"
)


def is_explicit_cancel(text: str) -> bool:
    """True for "batal", "tidak jadi", "stop"...; False for "tidak ada" or "belum"."""
    return EXPLICIT_CANCEL.search(normalise(text)) is not None


class FreeTextForm(FormValidationAction):
    """A form whose requested slot takes the user's text unless they clearly cancel."""

    @abstractmethod
    def name(self) -> str:
        """Each form names itself (abstract, so the action server does not register this class)."""

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        latest = tracker.latest_message or {}
        text = (latest.get("text") or "").strip()
        intent = (latest.get("intent") or {}).get("name")
        already = any(event.get("name") == requested for event in events)
        answered = requested and text and intent == "cancel" and not already
        if answered and not is_explicit_cancel(text):
            events.append(SlotSet(requested, text))
        return events


class ValidateComplaintForm(FreeTextForm):
    """Complaint answers are free text; evidence may be a file or "tidak ada"."""

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
