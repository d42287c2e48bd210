"""Forms that bend: questions inside a form are answered, only explicit words cancel, and
after two refused answers the user may skip (optional questions) or cancel.

The base class, FreeTextForm, is shared with the other features' forms: actions/common/forms.py.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common.forms import CANCEL_FORM, FreeTextForm


class ActionCancelForm(Action):
    """Cancel the active form: forget its answers (not who the user is) and confirm briefly."""

    NAME = CANCEL_FORM
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
        counter = (
            [SlotSet(f"{form}_failures", 0.0)]
            if f"{form}_failures" in domain.get("slots", {})
            else []
        )
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
