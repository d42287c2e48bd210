"""The console's side of a conversation inside the Rasa server: push agent replies, resume the bot.

Rasa's agent (`app.ctx.agent`) owns trackers and the lock store; the input channels
(`app.ctx.input_channels`) know how to reach a user. An agent reply goes out on the channel the
user last wrote from and is appended to the tracker as a BotUttered with the agent's name; a
resolve triggers the external intent `handoff_resolved`, whose rule asks the CSAT questions.

On WhatsApp the questions can only reach a user who wrote within 24 hours. Past that window the
approved template `WHATSAPP_CSAT_TEMPLATE` ("name" or "name:language") is sent instead and the
questions are recorded as asked, so the user's typed answer is read; without a template nothing
is sent and the `Delivery` says why (the console records it as a ticket note).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel
from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels import outbound
from bot.clock import Clock, utcnow

logger = logging.getLogger(__name__)

RESOLVED_INTENT = "handoff_resolved"
WHATSAPP_WINDOW = timedelta(hours=24)
CSAT_NOT_ASKED = (
    "Penilaian kepuasan tidak dikirim: pengguna WhatsApp di luar jendela 24 jam "
    "dan WHATSAPP_CSAT_TEMPLATE belum diatur."
)
CSAT_BY_TEMPLATE = (
    "Penilaian kepuasan dikirim dengan template WhatsApp {template} (di luar 24 jam)."
)


def last_user_message_at(tracker: DialogueStateTracker) -> datetime | None:
    """When the user last wrote (an external intent such as the console's does not count)."""
    for event in reversed(tracker.events):
        external = (getattr(event, "text", None) or "").startswith(EXTERNAL_MESSAGE_PREFIX)
        if isinstance(event, UserUttered) and not external:
            return datetime.fromtimestamp(event.timestamp, timezone.utc)
    return None


@dataclass(frozen=True)
class Delivery:
    """What happened to one push: sent on `channel`, or why not."""

    pushed: bool
    channel: str | None
    reason: str = ""
    note: str = ""  # for the ticket's history (CSAT sent by template, or not sent and why)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the line the console shows ("not pushed: rest")."""
        note = f"sent via {self.channel}" if self.pushed else f"not pushed: {self.reason}"
        return {"pushed": self.pushed, "channel": self.channel, "note": note}


class ConversationBridge:
    """Talks to a user's conversation through Rasa's agent and input channels."""

    def __init__(
        self,
        agent: Any,
        channels: Iterable[InputChannel],
        csat_template: str = "",
        clock: Clock = utcnow,
    ) -> None:
        self.agent = agent
        self.channels = list(channels)
        self.csat_template = csat_template.strip()
        self.clock = clock

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
        """Hand the conversation back to the bot: trigger `handoff_resolved` (asks for CSAT),
        on WhatsApp outside the 24-hour window by template or not at all."""
        if self.agent is None or getattr(self.agent, "processor", None) is None:
            return Delivery(False, None, "the assistant is not loaded")
        processor = self.agent.processor
        async with self.agent.lock_store.lock(conversation_id):
            tracker = await processor.get_tracker(conversation_id)
            name = tracker.get_latest_input_channel()
            output, reason = self._output(name)
            delivery = Delivery(output is not None, name, reason)
            if output is not None and name == "whatsapp" and self._window_closed(tracker):
                if not self.csat_template:
                    return Delivery(False, name, "outside the 24-hour window", CSAT_NOT_ASKED)
                body = outbound.template_message(conversation_id, self.csat_template)
                await output.send_custom_json(conversation_id, body)
                note = CSAT_BY_TEMPLATE.format(template=self.csat_template)
                delivery = Delivery(True, name, "template", note)
                output = None  # the template asks; the questions are only recorded
            await processor.trigger_external_user_uttered(
                RESOLVED_INTENT, None, tracker, output or CollectingOutputChannel()
            )
            await processor.save_tracker(tracker)
        return delivery

    def _window_closed(self, tracker: DialogueStateTracker) -> bool:
        """True when the user's last own message is older than WhatsApp's 24 hours."""
        last = last_user_message_at(tracker)
        return last is None or self.clock() - last >= WHATSAPP_WINDOW
