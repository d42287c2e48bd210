"""Processing of one kept inbox row: a status recorded, or a message routed by type to Rasa.

See `bot.channels.resume` for what a row taken up again after a crash does differently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

from bot.channels import agent_replies, notices
from bot.channels.graph_api import OUTSIDE_WINDOW, GraphClient, GraphError
from bot.channels.inbound import Inbound, Kind, Status
from bot.channels.media import MediaFetcher, MediaRejected
from bot.channels.payloads import PayloadGuard, neutralise
from bot.channels.queue import InboxQueue, InboxRow
from bot.channels.sql import WhatsAppStore
from bot.delivery.sql import DeliveryStore

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
Handler = Callable[[UserMessage], Awaitable[Any]]
Seen = Callable[[str, str], Awaitable[bool]]  # (sender, wamid): does the bot hold it already?


class Inbox:
    """Turns kept inbox rows into UserMessages and recorded statuses.

    A message row gets an output channel bound to its key, so each of its replies is sent once
    even when the row is processed again (`bot.channels.journal`). A row taken up again
    (attempts > 1) is first looked up with `seen`: a message the bot already recorded in its
    tracker is finished without being fed to Rasa twice. An exception (the database, Rasa)
    propagates: the workers give the row back and retry it later.
    """

    def __init__(
        self,
        store: WhatsAppStore,
        guard: PayloadGuard,
        client: GraphClient,
        fetcher: MediaFetcher,
        output: Any,
        queue: InboxQueue,
        seen: Seen | None = None,
        deliveries: DeliveryStore | None = None,
    ) -> None:
        self.store = store
        self.guard = guard
        self.client = client
        self.fetcher = fetcher
        self.output = output
        self.queue = queue
        self.seen = seen
        self.deliveries = deliveries

    async def handle(self, row: InboxRow, on_new_message: Handler) -> None:
        """Process one row (the workers hand over one sender's rows one at a time, in order)."""
        item = row.item()
        resumed = row.attempts > 1
        if isinstance(item, Status):
            await self._status(item, resumed)
            return
        if resumed and self.seen is not None and await self.seen(item.sender, item.wamid):
            logger.info("WhatsApp message %s was handled before a restart: finished", row.key)
            return
        await self._message(item, self.output.for_turn(row.key), on_new_message)

    async def _status(self, status: Status, resumed: bool = False) -> None:
        await self._agent_status(status)
        if not await asyncio.to_thread(self.store.record_status, status) and not resumed:
            return
        if status.status == "failed":
            logger.warning(
                "WhatsApp reported %s to %s failed: code=%s title=%r",
                status.wamid,
                status.recipient,
                status.error_code,
                status.error_title,
            )
            text = await asyncio.to_thread(self.store.sent_text, status.wamid)
            if status.error_code == OUTSIDE_WINDOW or text is not None:
                await self.output.undelivered(
                    status.recipient,
                    text if text is not None else f"(pesan {status.wamid} tidak tercatat)",
                    status.error_code,
                    status.error_title,
                )

    async def _agent_status(self, status: Status) -> None:
        """The status moves an agent reply's delivery state (when it is one)."""
        if self.deliveries is not None:
            await agent_replies.apply_status(self.deliveries, status)

    async def _agent_replies_waiting(self, sender: str) -> None:
        """The user wrote again: the window is open, send the agent replies that waited."""
        if self.deliveries is None:
            return
        try:
            await agent_replies.deliver_queued(
                self.deliveries, sender, CHANNEL, self.output.send_agent_text
            )
        except Exception:  # the user's own message goes on to Rasa whatever happens
            logger.exception("queued agent replies to %s not delivered", sender)

    def _metadata(self, message: Inbound) -> dict[str, Any]:
        return {
            "wa_id": message.sender,
            "profile_name": message.profile_name,
            "wamid": message.wamid,
            "timestamp": message.timestamp,
            "phone_number_id": message.phone_number_id,
        }

    async def _message(self, message: Inbound, output: Any, on_new_message: Handler) -> None:
        if message.kind is Kind.IGNORED:
            return
        await self._agent_replies_waiting(message.sender)
        with contextlib.suppress(GraphError):  # logged by the client; a tick is not essential
            await self.client.mark_read(message.wamid)
        metadata = self._metadata(message)
        if message.kind is Kind.TEXT:
            text = await asyncio.to_thread(self._text, message.sender, message.text)
        elif message.kind is Kind.CHOICE:
            payload = await asyncio.to_thread(
                self.guard.resolve_choice, message.sender, message.choice_id
            )
            text = payload if payload is not None else neutralise(message.text)
        elif message.kind in (Kind.DOCUMENT, Kind.IMAGE):
            try:
                saved = await self.fetcher.fetch(message.media_id, message.mime_type)
            except MediaRejected as rejected:
                logger.info("WhatsApp media %s refused: %s", message.media_id, rejected)
                await output.send_text_message(
                    message.sender, notices.refused(rejected.reason, self.fetcher.max_bytes)
                )
                return
            text = saved.message_text  # /share_document with the upload id, never a path
            metadata.update(saved.metadata(message.filename or saved.path.name))
            metadata.update(caption=message.text)
        else:
            await output.send_text_message(message.sender, notices.unsupported(message.kind))
            return
        user_message = UserMessage(
            text,
            output,
            message.sender,
            input_channel=CHANNEL,
            message_id=message.wamid,
            metadata=metadata,
        )
        await on_new_message(user_message)

    def _text(self, sender: str, text: str) -> str:
        chosen = self.guard.resolve_number(sender, text)
        return chosen if chosen is not None else self.guard.sanitize_inbound(sender, text)
