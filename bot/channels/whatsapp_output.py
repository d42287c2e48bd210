"""The WhatsApp output channel: the bot's responses as Graph API messages, each send journaled
when it answers an inbox row."""

from __future__ import annotations

import copy
import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel

from bot.channels import outbound
from bot.channels.fallback import Fallback, safely
from bot.channels.graph_api import GraphClient, GraphError
from bot.channels.journal import ReplyJournal, Turn
from bot.channels.payloads import PayloadGuard
from bot.channels.sql import WhatsAppStore

logger = logging.getLogger(__name__)


class WhatsAppOutput(OutputChannel):
    """Sends the bot's responses through the Graph API; undeliverable ones are recorded.

    The copy `for_turn` returns answers one inbox row: with a journal, each of its sends is
    recorded by number, and a send an earlier run of the row already made is skipped.
    """

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def __init__(
        self,
        client: GraphClient,
        store: WhatsAppStore,
        guard: PayloadGuard,
        fallback_template: str = "",
        journal: ReplyJournal | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.guard = guard
        self.fallback = Fallback(client, store, fallback_template)
        self.journal = journal
        self.turn: Turn | None = None

    def for_turn(self, key: str) -> WhatsAppOutput:
        """This channel answering the inbox row `key` (sends numbered and journaled)."""
        bound = copy.copy(self)
        bound.turn = Turn(self.journal, key) if self.journal is not None else None
        return bound

    async def _deliver(self, recipient_id: str, body: dict[str, Any], text: str) -> None:
        seq = None
        if self.turn is not None:
            seq = await self.turn.begin(recipient_id, text)
            if seq is None:
                return
        try:
            wamid = await self.client.send(body)
        except GraphError as error:
            if seq is not None:
                assert self.turn is not None  # seq comes from the turn
                await self.turn.end(seq, delivered=False)
            await self.undelivered(recipient_id, text, error.code, error.title)
            return
        if seq is not None:  # the journal keeps the sent text too (one transaction)
            assert self.turn is not None  # seq comes from the turn
            await self.turn.end(seq, delivered=True, wamid=wamid)
            return
        await safely(self.store.record_sent, wamid, recipient_id, text, default=None)

    async def send_agent_text(self, recipient_id: str, text: str) -> str:
        """An agent's reply as plain text, not journaled; the wamid of its last part.

        A GraphError (131047 outside the 24-hour window) propagates: the console shows it.
        """
        wamid = ""
        for chunk in outbound.split_text(text):
            wamid = await self.client.send(outbound.text_message(recipient_id, chunk))
            await safely(self.store.record_sent, wamid, recipient_id, chunk, default=None)
        return wamid

    async def send_reopen_template(
        self, recipient_id: str, name: str, language: str, params: list[str]
    ) -> str:
        """The approved template that reopens the 24-hour window; its wamid (GraphError raised)."""
        body = outbound.template_with_body(recipient_id, name, language, params)
        wamid = await self.client.send(body)
        mark = f"[template] {name}"
        await safely(self.store.record_sent, wamid, recipient_id, mark, default=None)
        return wamid

    async def undelivered(self, recipient_id: str, text: str, code: int | None, title: str) -> None:
        """A reply WhatsApp refused: template outside the 24-hour window, and a record."""
        await self.fallback.handle(recipient_id, text, code, title)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send text, split at 4,096 characters on paragraph, line, then word boundaries."""
        for chunk in outbound.split_text(text):
            await self._deliver(recipient_id, outbound.text_message(recipient_id, chunk), chunk)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """1-3 buttons as reply buttons, 4-10 as a list, more as numbered text."""
        links = [b for b in buttons if b.get("url") and not b.get("payload")]
        choices = [b for b in buttons if b.get("payload")]
        if links:
            lines = "\n".join(f"{b.get('title') or b['url']}: {b['url']}" for b in links)
            text = f"{text}\n\n{lines}" if text else lines
        if not choices:
            await self.send_text_message(recipient_id, text)
            return
        payloads = [str(b["payload"]) for b in choices]
        titles = [str(b.get("title") or b["payload"]) for b in choices]
        if len(choices) > outbound.MAX_ROWS:
            await safely(self.guard.offer, recipient_id, payloads, True, default=payloads)
            await self.send_text_message(recipient_id, outbound.numbered_text(text, titles))
            return
        as_buttons = len(choices) <= outbound.MAX_BUTTONS
        limit = outbound.BUTTON_ID_LIMIT if as_buttons else outbound.ROW_ID_LIMIT
        ids = await safely(self.guard.offer, recipient_id, payloads, False, limit, default=payloads)
        options = [outbound.Option(i, t) for i, t in zip(ids, titles, strict=True)]
        if len(text) > outbound.BODY_LIMIT:
            await self.send_text_message(recipient_id, text)
            text = ""
        build = outbound.buttons_message if as_buttons else outbound.list_message
        record = "\n".join([text, *(f"[{t}]" for t in titles)]).strip()
        await self._deliver(recipient_id, build(recipient_id, text, options), record)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Send an image by link."""
        await self._deliver(recipient_id, outbound.image_message(recipient_id, image), image)

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        """Send a document by link: a URL, or {"url"|"link", "filename", "caption"}."""
        if isinstance(attachment, dict):
            link = str(attachment.get("url") or attachment.get("link") or "")
            filename = str(attachment.get("filename", ""))
            caption = str(attachment.get("caption", ""))
        else:
            link, filename, caption = str(attachment), "", ""
        body = outbound.document_message(recipient_id, link, filename, caption)
        await self._deliver(recipient_id, body, link)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Send a Graph API message body as is ({"type": ..., ...} or {"whatsapp": {...}})."""
        body = dict(json_message.get("whatsapp") or json_message)
        if "type" not in body:
            logger.warning("Custom payload without a WhatsApp message type skipped: %s", body)
            return
        body.update(messaging_product="whatsapp", to=recipient_id)
        await self._deliver(recipient_id, body, f"[{body['type']}]")
