"""What becomes of a reply WhatsApp refused: the approved template (outside 24 h), and a record."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from bot.channels import outbound
from bot.channels.graph_api import OUTSIDE_WINDOW, GraphClient, GraphError
from bot.channels.sql import Resolution, WhatsAppStore

logger = logging.getLogger(__name__)

TEMPLATE_MARK = "[template] "
TEMPLATE_EVERY = timedelta(minutes=10)
T = TypeVar("T")


async def safely(call: Callable[..., T], *args: Any, default: T) -> T:
    """Run a store call in a thread; a database error is logged and never breaks a reply."""
    try:
        return await asyncio.to_thread(call, *args)
    except SQLAlchemyError:
        logger.exception("WhatsApp channel: database call %s failed", call.__name__)
        return default


class Fallback:
    """Sends the configured template at most every 10 minutes per user; records every failure."""

    def __init__(self, client: GraphClient, store: WhatsAppStore, template: str = "") -> None:
        self.client = client
        self.store = store
        self.template = template

    async def _send_template(self, recipient: str) -> bool:
        try:
            wamid = await self.client.send(outbound.template_message(recipient, self.template))
        except GraphError:
            return False  # logged by the client; the reply is recorded anyway
        mark = TEMPLATE_MARK + self.template
        await safely(self.store.record_sent, wamid, recipient, mark, default=None)
        return True

    async def handle(self, recipient: str, text: str, code: int | None, title: str) -> Resolution:
        """Handle one refused reply; the text is kept in outbound_failures (and the log)."""
        wants_template = (
            code == OUTSIDE_WINDOW
            and bool(self.template)
            and not text.startswith(TEMPLATE_MARK)
            and not await safely(
                self.store.template_sent_since, recipient, TEMPLATE_EVERY, default=False
            )
        )
        sent = wants_template and await self._send_template(recipient)
        resolution = Resolution.TEMPLATE_SENT if sent else Resolution.RECORDED
        logger.warning(
            "WhatsApp reply to %s not delivered (code=%s %r, %s): %.500s",
            recipient,
            code,
            title,
            resolution.value,
            text,
        )
        await safely(
            self.store.record_failure, recipient, text, code, title, resolution, default=None
        )
        return resolution
