"""The console's side of a conversation inside the Rasa server: push agent replies, resume the bot.

Rasa's agent (`app.ctx.agent`) owns trackers and the lock store; the input channels
(`app.ctx.input_channels`) know how to reach a user. An agent reply goes out on the channel the
user last wrote from and is appended to the tracker as a BotUttered with the agent's name; a
resolve triggers the external intent `handoff_resolved`, whose rule asks the CSAT questions.

Each agent reply has a delivery state (`bot.delivery`): queued, then sent or failed from the send
result. A web chat user who is not connected gets the reply when the session comes back
(`SecureSocketIOInput.deliver_waiting`). Meta's 24-hour window counts from the `timestamp` Meta
put on the user's last message (kept in the UserUttered metadata), so a webhook that reached the
server late does not stretch it. On WhatsApp, outside the window and with
WHATSAPP_REOPEN_TEMPLATE set, the approved template goes out instead and the reply stays queued
until the user answers (`bot.channels.inbox`); without a template the reply is tried and Meta's
131047 refusal marks it failed.

The CSAT questions after a resolve follow the same window: past it the approved template
`WHATSAPP_CSAT_TEMPLATE` ("name" or "name:language") is sent instead and the questions are
recorded as asked, so the user's typed answer is read; without a template nothing is sent and the
`Delivery` says why (the console records it as a ticket note). Without an agent name, `send`
pushes the bot's own notice (the release at closing time).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel
from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
from rasa.shared.core.events import BotUttered, UserUttered

from bot.channels import outbound
from bot.channels.agent_replies import graph_reason
from bot.channels.graph_api import GraphError
from bot.clock import Clock, utcnow
from bot.delivery.records import MessageDelivery, Reopen, State, window_open
from bot.delivery.sql import DeliveryStore

logger = logging.getLogger(__name__)

RESOLVED_INTENT = "handoff_resolved"
CSAT_NOT_ASKED = (
    "Penilaian kepuasan tidak dikirim: pengguna WhatsApp di luar jendela 24 jam "
    "dan WHATSAPP_CSAT_TEMPLATE belum diatur."
)
CSAT_BY_TEMPLATE = (
    "Penilaian kepuasan dikirim dengan template WhatsApp {template} (di luar 24 jam)."
)


@dataclass(frozen=True)
class Delivery:
    """What happened to one push: sent on `channel`, or why not."""

    pushed: bool
    channel: str | None
    reason: str = ""
    state: State = State.FAILED
    wamid: str | None = None
    note: str = ""  # for the ticket's history (CSAT sent by template, or not sent and why)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the line the console shows ("not pushed: rest")."""
        note = f"sent via {self.channel}" if self.pushed else f"not pushed: {self.reason}"
        return {"pushed": self.pushed, "channel": self.channel, "note": note}


WAITING_FOR_SOCKET = "pengguna sedang tidak terhubung; dikirim saat kembali"
WAITING_FOR_TEMPLATE = "di luar 24 jam: template terkirim, balasan dikirim saat pengguna menjawab"


def sent_at(event: UserUttered) -> datetime | None:
    """When the user sent this message: the channel's own timestamp when it gives one (Meta's
    `timestamp` of a WhatsApp message, which is what its 24-hour window counts from, even when
    the webhook reached us late), else when the server recorded it."""
    stamp = str((event.metadata or {}).get("timestamp") or "")
    if stamp.isdigit():
        return datetime.fromtimestamp(int(stamp), timezone.utc)
    return datetime.fromtimestamp(event.timestamp, timezone.utc) if event.timestamp else None


def last_user_at(tracker: Any) -> datetime | None:
    """When the user last wrote (from the tracker), or None."""
    for event in reversed(tracker.events):
        if not isinstance(event, UserUttered) or not event.timestamp:
            continue
        if not (event.text or "").startswith(EXTERNAL_MESSAGE_PREFIX):
            return sent_at(event)
    return None


class ConversationBridge:
    """Talks to a user's conversation through Rasa's agent and input channels."""

    def __init__(
        self,
        agent: Any,
        channels: Iterable[InputChannel],
        deliveries: DeliveryStore | None = None,
        reopen: Reopen | None = None,
        clock: Clock = utcnow,
        csat_template: str = "",
    ) -> None:
        self.agent = agent
        self.channels = list(channels)
        self.deliveries = deliveries
        self.reopen = reopen
        self.clock = clock
        self.csat_template = csat_template.strip()

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

    async def send(
        self,
        conversation_id: str,
        text: str,
        agent_name: str | None,
        message_id: int | None = None,
        ticket_id: int | None = None,
        template_params: Sequence[str] = (),
    ) -> Delivery:
        """Push an agent's reply (or, without `agent_name`, the bot's own notice) to the user
        and record it in the tracker.

        With `message_id` (the ticket message) its delivery state is stored and kept up to date.
        """
        if self.agent is None or getattr(self.agent, "processor", None) is None:
            return Delivery(False, None, "the assistant is not loaded")
        processor = self.agent.processor
        async with self.agent.lock_store.lock(conversation_id):
            tracker = await processor.get_tracker(conversation_id)
            name = tracker.get_latest_input_channel()
            if message_id is not None and self.deliveries is not None:
                await asyncio.to_thread(
                    self.deliveries.create,
                    message_id,
                    ticket_id or 0,
                    conversation_id,
                    name or "",
                    text,
                )
            delivery = await self._push(
                conversation_id, name, text, last_user_at(tracker), template_params
            )
            await self._record(message_id, delivery)
            metadata = {"agent": agent_name} if agent_name else {}
            tracker.update(BotUttered(text, metadata=metadata))
            await processor.save_tracker(tracker)
        return delivery

    async def retry(
        self, item: MessageDelivery, template_params: Sequence[str] = ()
    ) -> Delivery | None:
        """Send a failed reply again ("Kirim ulang"); None when it is no longer failed."""
        if self.deliveries is None:
            return None
        if self.agent is None or getattr(self.agent, "processor", None) is None:
            return Delivery(False, None, "the assistant is not loaded")
        requeued = await asyncio.to_thread(self.deliveries.requeue, item.message_id)
        if requeued is None:
            return None
        async with self.agent.lock_store.lock(item.conversation_id):
            tracker = await self.agent.processor.get_tracker(item.conversation_id)
            name = tracker.get_latest_input_channel() or item.channel
            delivery = await self._push(
                item.conversation_id, name, item.text, last_user_at(tracker), template_params
            )
        await self._record(item.message_id, delivery)
        return delivery

    async def window(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's channel and, on WhatsApp, whether Meta's 24-hour window is open."""
        if self.agent is None or getattr(self.agent, "processor", None) is None:
            return {"channel": None}
        tracker = await self.agent.processor.get_tracker(conversation_id)
        name = tracker.get_latest_input_channel()
        last = last_user_at(tracker)
        info: dict[str, Any] = {
            "channel": name,
            "last_user_at": last.isoformat() if last else None,
        }
        if name == "whatsapp":
            info["window_open"] = window_open(last, self.clock())
            info["template"] = self.reopen.name if self.reopen else None
        elif name == "socketio":
            channel = self._channel(name)
            connected = getattr(channel, "is_connected", None)
            info["connected"] = bool(connected(conversation_id)) if connected else True
        return info

    async def _record(self, message_id: int | None, delivery: Delivery) -> None:
        if message_id is None or self.deliveries is None:
            return
        await asyncio.to_thread(
            self.deliveries.mark,
            message_id,
            delivery.state,
            delivery.reason if delivery.state is not State.SENT else "",
            delivery.wamid,
            delivery.state is State.SENT,
        )

    def _channel(self, name: str | None) -> InputChannel | None:
        return next((c for c in self.channels if c.name() == name), None)

    async def _push(
        self,
        conversation_id: str,
        name: str | None,
        text: str,
        last_user: datetime | None,
        template_params: Sequence[str],
    ) -> Delivery:
        """Send on the user's channel now, or say why it waits or failed."""
        output, reason = self._output(name)
        if output is None:
            return Delivery(False, name, reason, State.FAILED)
        connected = getattr(self._channel(name), "is_connected", None)
        if connected is not None and not connected(conversation_id):
            return Delivery(False, name, WAITING_FOR_SOCKET, State.QUEUED)
        if (
            name == "whatsapp"
            and self.reopen is not None
            and not window_open(last_user, self.clock())
            and hasattr(output, "send_reopen_template")
        ):
            return await self._reopen(output, conversation_id, name, template_params)
        try:
            send_agent = getattr(output, "send_agent_text", None)
            if send_agent is not None:
                wamid = await send_agent(conversation_id, text) or None
            else:
                await output.send_text_message(conversation_id, text)
                wamid = None
        except GraphError as error:
            return Delivery(False, name, graph_reason(error), State.FAILED)
        except Exception as error:  # the reply is stored; the agent sees it failed
            logger.exception("agent reply to %s not delivered", conversation_id)
            return Delivery(False, name, f"{name} error: {error}"[:200], State.FAILED)
        return Delivery(True, name, "", State.SENT, wamid)

    async def _reopen(
        self, output: Any, conversation_id: str, name: str, template_params: Sequence[str]
    ) -> Delivery:
        """Outside the window: send the approved template; the reply waits for the user."""
        assert self.reopen is not None
        try:
            await output.send_reopen_template(
                conversation_id, self.reopen.name, self.reopen.language, list(template_params)
            )
        except GraphError as error:
            return Delivery(False, name, "template: " + graph_reason(error), State.FAILED)
        return Delivery(False, name, WAITING_FOR_TEMPLATE, State.QUEUED)

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
            closed = not window_open(last_user_at(tracker), self.clock())
            if output is not None and name == "whatsapp" and closed:
                if not self.csat_template:
                    return Delivery(False, name, "outside the 24-hour window", note=CSAT_NOT_ASKED)
                body = outbound.template_message(conversation_id, self.csat_template)
                await output.send_custom_json(conversation_id, body)
                note = CSAT_BY_TEMPLATE.format(template=self.csat_template)
                delivery = Delivery(True, name, "template", note=note)
                output = None  # the template asks; the questions are only recorded
            await processor.trigger_external_user_uttered(
                RESOLVED_INTENT, None, tracker, output or CollectingOutputChannel()
            )
            await processor.save_tracker(tracker)
        return delivery
