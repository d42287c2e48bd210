"""HandoffPolicy: relays while paused, fails closed when the hand-off state cannot be read, and
sends a message answering a pending CSAT question to the action that reads the score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import OperationalError

from components.handoff_policy import CSAT_ACTION, RELAY_ACTION, UNAVAILABLE_ACTION, HandoffPolicy

ROOT = Path(__file__).resolve().parents[2]


class DownStore:
    """A ticket store whose database is unreachable."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def _fail(self, name: str) -> Any:
        self.calls.append(name)
        raise OperationalError("SELECT 1", {}, Exception("could not connect to server"))

    def is_paused(self, conversation_id: str) -> bool:
        return self._fail("is_paused")

    def active_for_conversation(self, conversation_id: str) -> Any:
        return self._fail("active_for_conversation")


class UpStore:
    """A ticket store that answers: paused or not, no waiting ticket."""

    def __init__(self, paused: bool) -> None:
        self.paused = paused

    def is_paused(self, conversation_id: str) -> bool:
        return self.paused

    def active_for_conversation(self, conversation_id: str) -> Any:
        return None


class WaitingDownStore(DownStore):
    """Not paused, but the waiting ticket cannot be read."""

    def is_paused(self, conversation_id: str) -> bool:
        return False


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def policy(tmp_path: Path, store: Any) -> HandoffPolicy:
    built = HandoffPolicy(
        HandoffPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("handoff_policy"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    built._state = store
    return built


def tracker(
    domain: Domain,
    intent: str = "ask_faq",
    after: str | None = None,
    text: str = "kapan dau tahap 1 cair?",
) -> Any:
    built = DialogueStateTracker.from_events(
        "628111111111",
        [
            ActionExecuted(ACTION_LISTEN_NAME),
            UserUttered(text, {"name": intent, "confidence": 0.9}),
        ],
        slots=domain.slots,
    )
    if after:
        built.update(ActionExecuted(after))
    return built


def predicted(prediction: Any, domain: Domain) -> tuple[str | None, float]:
    best = max(range(len(prediction.probabilities)), key=prediction.probabilities.__getitem__)
    score = prediction.probabilities[best]
    return (domain.action_names_or_texts[best] if score > 0 else None), score


def test_database_error_predicts_the_unavailable_action_not_an_answer(tmp_path, domain) -> None:
    store = DownStore()
    prediction = policy(tmp_path, store).predict_action_probabilities(tracker(domain), domain)
    assert predicted(prediction, domain) == (UNAVAILABLE_ACTION, 1.0)
    assert store.calls == ["is_paused"]


def test_error_reading_the_waiting_ticket_also_fails_closed(tmp_path, domain) -> None:
    store = WaitingDownStore()
    prediction = policy(tmp_path, store).predict_action_probabilities(
        tracker(domain, intent="greet"), domain
    )
    assert predicted(prediction, domain) == (UNAVAILABLE_ACTION, 1.0)
    assert store.calls == ["active_for_conversation"]


def test_listens_right_after_the_unavailable_action(tmp_path, domain) -> None:
    prediction = policy(tmp_path, DownStore()).predict_action_probabilities(
        tracker(domain, after=UNAVAILABLE_ACTION), domain
    )
    assert predicted(prediction, domain) == (ACTION_LISTEN_NAME, 1.0)


def test_paused_relays_and_unpaused_abstains(tmp_path, domain) -> None:
    paused = policy(tmp_path, UpStore(paused=True)).predict_action_probabilities(
        tracker(domain), domain
    )
    assert predicted(paused, domain) == (RELAY_ACTION, 1.0)
    free = policy(tmp_path, UpStore(paused=False)).predict_action_probabilities(
        tracker(domain), domain
    )
    assert predicted(free, domain) == (None, 0.0)


def test_the_agents_resolve_signal_is_never_held_back(tmp_path, domain) -> None:
    prediction = policy(tmp_path, DownStore()).predict_action_probabilities(
        tracker(domain, intent="handoff_resolved"), domain
    )
    assert predicted(prediction, domain) == (None, 0.0)


def asked(
    domain: Domain, intent: str, asking: str | None = "csat_service", text: str = "lima"
) -> Any:
    """A tracker whose CSAT question is pending (slot set by action_ask_csat) when `text` came,
    read as `intent`."""
    built = tracker(domain, intent=intent, text=text)
    built.update(SlotSet("csat_asking", asking))
    return built


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("ask_faq", "lima"),
        ("nlu_fallback", "4 bintang"),
        ("thanks", "oke makasih banyak ya"),
        ("csat", "/csat"),
        ("cancel", "batal"),
        ("nlu_fallback", "hmm"),
    ],
)
def test_a_message_while_a_csat_question_is_pending_goes_to_the_score(
    tmp_path, domain, intent, text
) -> None:
    prediction = policy(tmp_path, UpStore(paused=False)).predict_action_probabilities(
        asked(domain, intent, text=text), domain
    )
    assert predicted(prediction, domain) == (CSAT_ACTION, 1.0)


@pytest.mark.parametrize(
    ("intent", "text"),
    [
        ("ask_faq", "kapan dau tahap 1 cair?"),
        ("verify_letter", "cek surat S-123/PK/2026"),
        ("nlu_fallback", "bagaimana cara akses sikd?"),
    ],
)
def test_a_new_question_while_a_csat_question_is_pending_is_answered(
    tmp_path, domain, intent, text
) -> None:
    prediction = policy(tmp_path, UpStore(paused=False)).predict_action_probabilities(
        asked(domain, intent, text=text), domain
    )
    assert predicted(prediction, domain) == (None, 0.0)


def test_no_pending_question_or_a_hand_off_request_is_left_to_the_rules(tmp_path, domain) -> None:
    up = policy(tmp_path, UpStore(paused=False))
    none = up.predict_action_probabilities(asked(domain, "ask_faq", asking=None), domain)
    human = up.predict_action_probabilities(asked(domain, "request_human"), domain)
    assert predicted(none, domain) == predicted(human, domain) == (None, 0.0)
    paused = policy(tmp_path, UpStore(paused=True)).predict_action_probabilities(
        asked(domain, "ask_faq"), domain
    )
    assert predicted(paused, domain) == (RELAY_ACTION, 1.0)


def test_listens_right_after_storing_a_score(tmp_path, domain) -> None:
    prediction = policy(tmp_path, UpStore(paused=False)).predict_action_probabilities(
        tracker(domain, after=CSAT_ACTION), domain
    )
    assert predicted(prediction, domain) == (ACTION_LISTEN_NAME, 1.0)
