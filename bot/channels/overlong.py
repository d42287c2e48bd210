"""Over-long user messages answered by the channel: one polite line, no NLU, a bounded record."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic

from bot.channels import length

logger = logging.getLogger(__name__)

Handler = Callable[[UserMessage], Awaitable[Any]]
MARK = "too_long"  # metadata key on both recorded events: {"chars": ..., "limit": ...}


def _unparsed(text: str) -> dict[str, Any]:
    """Parse data of a message NLU never saw: Rasa's own shape for an empty message."""
    return {"text": text, "intent": {"name": None, "confidence": 0.0}, "entities": []}


class LengthGate:
    """Hands messages of up to `limit` characters to Rasa and answers longer ones itself.

    A message acknowledged is a message kept: the tracker records a truncated copy with a marker
    (`length.kept_copy`) and the polite reply, under the conversation's lock, with no action run,
    so an active form and its requested slot stay as they were and the next message carries on.
    The full text never reaches NLU nor the database; the copy keeps the record small.
    """

    def __init__(self, limit: int = length.MAX_CHARS) -> None:
        self.limit = limit
        self.app: Sanic | None = None

    def bind(self, app: Sanic) -> None:
        """Remember the server whose Rasa agent (app.ctx.agent) records the conversations."""
        self.app = app

    def wrap(self, on_new_message: Handler) -> Handler:
        """The channel's handler with the cap in front of it."""

        async def guarded(message: UserMessage) -> Any:
            if not length.is_too_long(message.text, self.limit):
                return await on_new_message(message)
            await self.answer(message)
            return None

        return guarded

    def _agent(self) -> Any:
        agent = getattr(self.app.ctx, "agent", None) if self.app is not None else None
        return agent if agent is not None and agent.is_ready() else None

    async def answer(self, message: UserMessage) -> None:
        """Send the polite line; with a Rasa agent, also record both turns in the tracker."""
        chars = length.text_length(message.text)
        logger.info("A message of %d characters got the length cap's reply", chars)
        text = length.reply(self.limit)
        mark = {MARK: {"chars": chars, "limit": self.limit}}
        agent = self._agent()
        if agent is None:  # a stand-in bot (channel tests): nothing to record into
            await message.output_channel.send_text_message(message.sender_id, text)
            return
        processor = agent.processor
        async with agent.lock_store.lock(message.sender_id):
            tracker = await processor.fetch_tracker_and_update_session(
                message.sender_id, message.output_channel, message.metadata
            )
            parsed = _unparsed(length.kept_copy(message.text or "", self.limit))
            user = UserUttered(
                parsed["text"],
                parsed["intent"],
                parsed["entities"],
                parsed,
                input_channel=message.input_channel,
                message_id=message.message_id,
                metadata={**(message.metadata or {}), **mark},
            )
            tracker.update(user, processor.domain)
            tracker.update(BotUttered(text, metadata=mark), processor.domain)
            await message.output_channel.send_text_message(message.sender_id, text)
            await processor.save_tracker(tracker)
