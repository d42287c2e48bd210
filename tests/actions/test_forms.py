"""Free-text forms: only explicit words cancel; other answers fill the requested slot."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.forms import ValidateComplaintForm, is_explicit_cancel
from tests.actions.trackers import make_tracker


@pytest.mark.parametrize(
    ("text", "cancels"),
    [
        ("batal", True),
        ("batalkan saja", True),
        ("gak jadi min", True),
        ("stop", True),
        ("tidak ada", False),
        ("belum ada bukti", False),
        ("tidak tahu tanggalnya", False),
    ],
)
def test_explicit_cancel(text, cancels):
    assert is_explicit_cancel(text) is cancels


async def test_an_answer_the_nlu_called_cancel_still_answers_the_question():
    tracker = make_tracker(
        "tidak ada", intent="cancel", slots={"requested_slot": "complaint_evidence"}
    )
    events = await ValidateComplaintForm().get_extraction_events(
        CollectingDispatcher(),
        tracker,
        {
            "forms": {"complaint_form": {"required_slots": ["complaint_evidence"]}},
            "slots": {"complaint_evidence": {}},
        },
    )
    assert SlotSet("complaint_evidence", "tidak ada") in events


async def test_a_real_cancel_fills_nothing():
    tracker = make_tracker("batal", intent="cancel", slots={"requested_slot": "complaint_evidence"})
    events = await ValidateComplaintForm().get_extraction_events(
        CollectingDispatcher(),
        tracker,
        {
            "forms": {"complaint_form": {"required_slots": ["complaint_evidence"]}},
            "slots": {"complaint_evidence": {}},
        },
    )
    assert events == []
