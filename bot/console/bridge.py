"""The console's side of a conversation inside the Rasa server: push agent replies, resume the bot.

Rasa's agent (`app.ctx.agent`) owns trackers and the lock store; the input channels
(`app.ctx.input_channels`) know how to reach a user. An agent reply goes out on the channel the
user last wrote from and is appended to the tracker as a BotUttered with the agent's name; a
resolve triggers the external intent `handoff_resolved`, whose rule asks the CSAT questions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel
from rasa.shared.core.events import BotUttered

logger = logging.getLogger(__name__)

RESOLVED_INTENT = "handoff_resolved"


@dataclass(frozen=True)
class Delivery:
    """What happened to one push: sent on `channel`, or why not."""

    pushed: bool
    channel: str | None
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the line the console shows ("not pushed: rest")."""
        note = f"sent via {self.channel}" if self.pushed else f"not pushed: {self.reason}"
        return {"pushed": self.pushed, "channel": self.channel, "note": note}


class ConversationBridge:
    """Talks to a user's conversation through Rasa's agent and input channels."""

    def __init__(self, agent: Any, channels: Iterable[InputChannel]) -> None:
        self.agent = agent
        self.channels = list(channels)

    def _output(self, channel_name: str | None) -> tuple[OutputChannel | None, str]:
        """The output channel for this input channel name, or None and the reason."""
        if not channel_name:
            return None, "no channel on record"
        channel = next((c for c in self.channels if c.name() == channel_name), None)
        if channel is None:
            return None, f"{channel_name} is not enabled on this server"
        try:
            output = channel.get_output_channel()
        except Exception as error:  # a misconfigured channel must not lose the reply
            logger.exception("no output channel from %s", channel_name)
            return None, f"{channel_name} error: {error}"[:200]
        if output is None:
            return None, channel_name.upper() if channel_name == "rest" else channel_name
        return output, ""

    async def send(self, conversation_id: str, text: str, agent_name: str | None) -> Delivery:
        """Push an agent's reply (or, without `agent_name`, the bot's own notice, e.g. at closing
        time) to the user and record it in the tracker."""
        if self.agent is None or getattr(self.agent, "processor", None) is None:
            return Delivery(False, None, "the assistant is not loaded")
        processor = self.agent.processor
        async with self.agent.lock_store.lock(conversation_id):
            tracker = await processor.get_tracker(conversation_id)
            name = tracker.get_latest_input_channel()
            output, reason = self._output(name)
            delivery = Delivery(False, name, reason)
            if output is not None:
                try:
                    await output.send_text_message(conversation_id, text)
                    delivery = Delivery(True, name)
                except Exception as error:  # the reply is stored; the agent sees it failed
                    logger.exception("agent reply to %s not delivered", conversation_id)
                    delivery = Delivery(False, name, f"{name} error: {error}"[:200])
            metadata = {"agent": agent_name} if agent_name else {}
            tracker.update(BotUttered(text, metadata=metadata))
            await processor.save_tracker(tracker)
        return delivery

    async def resume(self, conversation_id: str) -> Delivery:
        """Hand the conversation back to the bot: trigger `handoff_resolved` (asks for CSAT)."""
        if self.agent is None or getattr(self.agent, "processor", None) is None:
            return Delivery(False, None, "the assistant is not loaded")
        processor = self.agent.processor
        async with self.agent.lock_store.lock(conversation_id):
            tracker = await processor.get_tracker(conversation_id)
            name = tracker.get_latest_input_channel()
            output, reason = self._output(name)
            await processor.trigger_external_user_uttered(
                RESOLVED_INTENT, None, tracker, output or CollectingOutputChannel()
            )
            await processor.save_tracker(tracker)
        return Delivery(output is not None, name, reason)
