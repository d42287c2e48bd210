"""A policy that keeps the bot silent while an agent owns the conversation, and that sends a
typed answer to a pending satisfaction question to `action_store_csat`.

The pause lives in the ticket database (bot.tickets), not in the tracker: Rasa's SQL tracker
store falls back to memory when its database fails, which would silently drop a pause. When that
state cannot be read, the policy fails closed: the bot does not answer (an agent may own the
chat) and `action_handoff_unavailable` tells the user the message was recorded.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

if TYPE_CHECKING:
    from bot.tickets.service import TicketService

logger = logging.getLogger(__name__)

RELAY_ACTION = "action_relay_to_agent"
# Predicted when the hand-off state cannot be read (actions/handoff.py, ActionHandoffUnavailable).
UNAVAILABLE_ACTION = "action_handoff_unavailable"
# While the slot names a pending CSAT question (actions/csat.py), every message goes to the
# action that reads it as a score ("5", "lima", "sangat puas"), except these.
CSAT_ACTION = "action_store_csat"
CSAT_SLOT = "csat_asking"
NOT_A_SCORE = frozenset({"request_human", "handoff_resolved"})
# A pending question never swallows a new request: a message of these intents, or shaped like a
# question, that does not read as a score goes to the rules; the question stays pending.
REQUESTS = frozenset(
    {
        "ask_faq",
        "menu_ask_info",
        "verify_letter",
        "report_fake",
        "ask_non_djpk",
        "request_reservation",
        "request_data",
        "complain",
        "ask_letter_status",
        "submit_report",
    }
)
# Intents that never go to the agent: the console's own signal that the agent is done.
BOT_INTENTS = frozenset({"handoff_resolved"})
# While a ticket waits for an agent outside service hours the bot answers questions, but these
# messages are about the wait itself ("halo? masih ada orang?", "batal"): the relay answers them.
ABOUT_THE_WAIT = frozenset(
    {"greet", "cancel", "nlu_fallback", "bot_challenge", "request_human", "out_of_scope"}
)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class HandoffPolicy(Policy):
    """Predicts the relay action for every user message of a paused conversation."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Above RulePolicy (6) so a pause always wins."""
        return {"priority": 7}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._state: TicketService | None = None

    def train(
        self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        """Nothing to learn."""
        return self._resource

    def _store(self) -> TicketService:
        if self._state is None:
            from bot.settings import Settings
            from bot.tickets.service import TicketService

            self._state = TicketService.from_settings(Settings.from_env())
        return self._state

    def _paused(self, conversation_id: str) -> bool:
        return self._store().is_paused(conversation_id)

    def _waiting(self, conversation_id: str) -> bool:
        """An active ticket no agent has taken yet."""
        ticket = self._store().active_for_conversation(conversation_id)
        return ticket is not None and not ticket.assigned_agent

    @staticmethod
    def _csat_pending(tracker: DialogueStateTracker, latest: UserUttered) -> bool:
        """A satisfaction question waits for this message (not a form's, not a hand-off, not a
        new question or request: "kapan dau cair?" is answered, "5" or "oke" goes to the score)."""
        if not tracker.get_slot(CSAT_SLOT) or tracker.active_loop_name is not None:
            return False
        if latest.intent_name in NOT_A_SCORE:
            return False
        from bot.forms import looks_like_question
        from bot.tickets.satisfaction import read_score

        text = latest.text or ""
        asks = latest.intent_name in REQUESTS or looks_like_question(text)
        return read_score(text) is not None or not asks

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Any = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Relay after a user message when paused; say "recorded" when the state cannot be read;
        read a pending CSAT answer; listen right after any of them."""
        abstain = self._prediction(self._default_predictions(domain))
        if tracker.latest_action_name in (RELAY_ACTION, UNAVAILABLE_ACTION, CSAT_ACTION):
            return self._prediction(confidence_scores_for(ACTION_LISTEN_NAME, 1.0, domain))
        latest = tracker.latest_message
        if tracker.latest_action_name != ACTION_LISTEN_NAME or not isinstance(latest, UserUttered):
            return abstain
        if latest.intent_name in BOT_INTENTS:
            return abstain
        try:
            relay = self._paused(tracker.sender_id) or (
                latest.intent_name in ABOUT_THE_WAIT
                and tracker.active_loop_name is None
                and self._waiting(tracker.sender_id)
            )
        except Exception:  # the database is down: an agent may own the chat, so fail closed
            logger.exception("hand-off state unavailable, not answering")
            return self._prediction(confidence_scores_for(UNAVAILABLE_ACTION, 1.0, domain))
        if not relay:
            if self._csat_pending(tracker, latest):
                return self._prediction(confidence_scores_for(CSAT_ACTION, 1.0, domain))
            return abstain
        return self._prediction(confidence_scores_for(RELAY_ACTION, 1.0, domain))
