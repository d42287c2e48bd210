"""Taking up an inbox row again after a crash without answering it twice.

Where a SIGKILL can land while one row is processed, and what the next claim of the row does
(the row is finished, `done_at`, only after Rasa's `handle_message` returned):

1. Before the row is kept (the POST not yet answered 200): nothing is kept, Meta retries.
2. Kept, not yet claimed or claimed and not yet handed to Rasa (read receipt, media download):
   the row is claimed again when its lease runs out and processed as if for the first time.
3. Inside Rasa's `MessageProcessor.handle_message`, which logs the user message into the
   tracker in memory, runs the prediction loop and sends each bot message through the output
   channel as its action runs, and saves the tracker only at the very end: the tracker store
   holds nothing of this turn. The row is fed to Rasa again; the same tracker and model predict
   the same actions, and the output channel, bound to the row's key, skips every send the
   journal (`bot.channels.journal`) has as made, so only the missing replies go out. Actions
   run again on the action server (a custom action with side effects must tolerate that, as it
   must tolerate Rasa's own retries); a send cut during its Graph API call may come twice.
4. After `save_tracker` and before the row was marked finished: the tracker holds the user
   event with `message_id` equal to the wamid (Rasa stores `UserMessage.message_id` there).
   `seen` finds it and the row is finished without Rasa (every reply of that turn was sent or
   failed before the save), so the user message is never recorded twice.
5. After the row was finished: a redelivery by Meta is a no-op insert (the wamid is kept).

The over-long-message gate (`bot.channels.overlong`) records its turn the same way (user event
with the wamid, then its one reply, then the save), so the same reasoning holds for it.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.shared.core.events import UserUttered

logger = logging.getLogger(__name__)


class TrackerSeen:
    """Looks a wamid up in the latest session of the sender's tracker, through Rasa's agent."""

    def __init__(self) -> None:
        self.app: Any = None

    def bind(self, app: Any) -> None:
        """Remember the server whose agent (app.ctx.agent) holds the trackers."""
        self.app = app

    def agent(self) -> Any:
        """Rasa's agent, or None (a stand-in bot in the channel tests)."""
        return getattr(self.app.ctx, "agent", None) if self.app is not None else None

    def ready(self) -> bool:
        """False while a Rasa agent exists but has no model loaded: rows wait."""
        agent = self.agent()
        return agent is None or bool(agent.is_ready())

    async def __call__(self, sender: str, wamid: str) -> bool:
        agent = self.agent()
        if agent is None or agent.tracker_store is None:
            return False
        tracker = await agent.tracker_store.retrieve(sender)
        if tracker is None:
            return False
        return any(
            isinstance(event, UserUttered) and event.message_id == wamid for event in tracker.events
        )
