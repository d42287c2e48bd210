"""Processing of one verified webhook delivery: dedup, statuses, routing by type, hand-over."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from sqlalchemy.exc import SQLAlchemyError

from bot.channels import notices
from bot.channels.graph_api import OUTSIDE_WINDOW, GraphClient, GraphError
from bot.channels.inbound import Delivery, Inbound, Kind, Status
from bot.channels.media import MediaFetcher, MediaRejected
from bot.channels.payloads import PayloadGuard, neutralise
from bot.channels.store import WhatsAppStore

logger = logging.getLogger(__name__)

SHARE_DOCUMENT = "/share_document"
CLAIM_ATTEMPTS = 3
CLAIM_BACKOFF = 0.2
CHANNEL = "whatsapp"
Handler = Callable[[UserMessage], Awaitable[Any]]


def by_sender(delivery: Delivery) -> list[tuple[str | None, Delivery]]:
    """Split a delivery into its statuses (no sender) and each sender's messages, in order."""
    parts: list[tuple[str | None, Delivery]] = []
    if delivery.statuses:
        parts.append((None, Delivery(statuses=delivery.statuses)))
    messages: dict[str, list[Inbound]] = {}
    for message in delivery.messages:
        messages.setdefault(message.sender, []).append(message)
    parts.extend((sender, Delivery(messages=tuple(own))) for sender, own in messages.items())
    return parts


class Inbox:
    """Turns inbound WhatsApp messages into UserMessages (each wamid once) and records statuses."""

    def __init__(
        self,
        store: WhatsAppStore,
        guard: PayloadGuard,
        client: GraphClient,
        fetcher: MediaFetcher,
        output: Any,
    ) -> None:
        self.store = store
        self.guard = guard
        self.client = client
        self.fetcher = fetcher
        self.output = output
        self._turns: dict[str, asyncio.Future] = {}

    async def process(self, delivery: Delivery, on_new_message: Handler) -> None:
        """Handle every status, then every message; one user's messages in arrival order."""
        turns = [self._take_turn(message.sender) for message in delivery.messages]
        try:
            for status in delivery.statuses:
                try:
                    await self._status(status)
                except Exception:
                    logger.exception("Recording WhatsApp status %s failed", status.wamid)
            for message, (previous, turn) in zip(delivery.messages, turns, strict=True):
                if previous is not None:
                    await previous
                try:
                    await self._message(message, on_new_message)
                except Exception:
                    logger.exception("Processing WhatsApp message %s failed", message.wamid)
                self._end_turn(message.sender, turn)
        finally:
            for message, (_, turn) in zip(delivery.messages, turns, strict=True):
                self._end_turn(message.sender, turn)

    def _take_turn(self, sender: str) -> tuple[asyncio.Future | None, asyncio.Future]:
        """Queue behind the sender's previous message (in this process), in arrival order."""
        previous = self._turns.get(sender)
        turn = asyncio.get_running_loop().create_future()
        self._turns[sender] = turn
        return previous, turn

    def _end_turn(self, sender: str, turn: asyncio.Future) -> None:
        if not turn.done():
            turn.set_result(None)
        if self._turns.get(sender) is turn:
            del self._turns[sender]

    async def _status(self, status: Status) -> None:
        if not await asyncio.to_thread(self.store.record_status, status):
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

    def _metadata(self, message: Inbound) -> dict[str, Any]:
        return {
            "wa_id": message.sender,
            "profile_name": message.profile_name,
            "wamid": message.wamid,
            "timestamp": message.timestamp,
            "phone_number_id": message.phone_number_id,
        }

    async def _claim(self, message: Inbound) -> bool:
        """Claim the wamid; if the database keeps failing, better a rare duplicate than a loss."""
        for attempt in range(CLAIM_ATTEMPTS):
            try:
                return await asyncio.to_thread(self.store.claim, message.wamid, message.sender)
            except SQLAlchemyError as error:
                logger.warning("Claiming %s failed (%s), retrying", message.wamid, error)
                await asyncio.sleep(CLAIM_BACKOFF * 2**attempt)
        logger.error("Could not record %s as processed; handling it anyway", message.wamid)
        return True

    async def _message(self, message: Inbound, on_new_message: Handler) -> None:
        if not await self._claim(message):
            logger.info("Duplicate WhatsApp delivery of %s ignored", message.wamid)
            return
        if message.kind is Kind.IGNORED:
            return
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
                await self.output.send_text_message(
                    message.sender, notices.refused(rejected.reason)
                )
                return
            text = SHARE_DOCUMENT + json.dumps({"document_path": str(saved.path)})
            metadata.update(
                document_path=str(saved.path),
                mime_type=saved.mime_type,
                filename=message.filename or saved.path.name,
                caption=message.text,
            )
        else:
            await self.output.send_text_message(message.sender, notices.unsupported(message.kind))
            return
        user_message = UserMessage(
            text,
            self.output,
            message.sender,
            input_channel=CHANNEL,
            message_id=message.wamid,
            metadata=metadata,
        )
        await on_new_message(user_message)

    def _text(self, sender: str, text: str) -> str:
        chosen = self.guard.resolve_number(sender, text)
        return chosen if chosen is not None else self.guard.sanitize_inbound(sender, text)
