"""Agent replies on the public channels: WhatsApp statuses applied to them, and replies that
waited for the user (web chat closed, WhatsApp window closed) delivered when the user is back.

The rows are `bot.delivery` records; the console creates them when an agent replies
(`bot.console.bridge`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.channels.graph_api import GraphError
from bot.channels.inbound import Status
from bot.delivery.records import State
from bot.delivery.sql import DeliveryStore

logger = logging.getLogger(__name__)

STATUS_STATES = {
    "sent": State.SENT,
    "delivered": State.DELIVERED,
    "read": State.READ,
    "failed": State.FAILED,
}
Send = Callable[[str, str], Awaitable["str | None"]]  # (recipient, text) -> wamid or None


def graph_reason(error: GraphError) -> str:
    """The line the console shows for a refused WhatsApp send (Meta's code first)."""
    if error.outside_window:
        return "131047: di luar jendela 24 jam WhatsApp (pengguna belum menulis lagi)"
    return f"{error.code or error.status}: {error.title}"[:300]


def status_reason(status: Status) -> str:
    """The reason of a failed status webhook."""
    if status.error_code is None and not status.error_title:
        return ""
    if status.error_code == 131047:
        return "131047: di luar jendela 24 jam WhatsApp (pengguna belum menulis lagi)"
    return f"{status.error_code}: {status.error_title}"[:300]


async def apply_status(deliveries: DeliveryStore, status: Status) -> None:
    """A WhatsApp status webhook moves the agent reply that got this wamid (if it is one)."""
    state = STATUS_STATES.get(status.status)
    if state is None:
        return
    reason = status_reason(status) if state is State.FAILED else ""
    await asyncio.to_thread(deliveries.by_status, status.wamid, state, reason)


async def deliver_queued(
    deliveries: DeliveryStore, conversation_id: str, channel: str, send: Send
) -> int:
    """Send the replies queued for this user on `channel`, oldest first; how many went out.

    A refused send marks that reply failed (with the reason) and the next ones still go.
    """
    queued = await asyncio.to_thread(deliveries.queued_for, conversation_id, channel)
    sent = 0
    for item in queued:
        try:
            wamid = await send(conversation_id, item.text)
        except GraphError as error:
            await asyncio.to_thread(
                deliveries.mark, item.message_id, State.FAILED, graph_reason(error)
            )
            continue
        except Exception as error:  # one broken send must not hold back the others
            logger.exception("queued agent reply %s not delivered", item.message_id)
            reason = f"{channel} error: {error}"[:300]
            await asyncio.to_thread(deliveries.mark, item.message_id, State.FAILED, reason)
            continue
        await asyncio.to_thread(
            deliveries.mark, item.message_id, State.SENT, "", wamid or None, True
        )
        sent += 1
    if sent:
        logger.info("%d queued agent replies delivered on %s", sent, channel)
    return sent
