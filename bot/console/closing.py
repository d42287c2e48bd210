"""The closing-time release as the Rasa server runs it: bot.tickets.release on the console's
TicketService, each notice sent to the user's channel through ConversationBridge (as an agent
reply is, recorded in the tracker without an agent name)."""

from __future__ import annotations

from collections.abc import Callable

from bot.console.bridge import ConversationBridge
from bot.tickets.release import ClosingRelease
from bot.tickets.service import TicketService


def closing_release(
    tickets: TicketService, bridge: Callable[[], ConversationBridge]
) -> ClosingRelease:
    """The job; `bridge` is called at each send (Rasa's agent may load after the server starts)."""

    async def send(conversation_id: str, text: str) -> bool:
        return (await bridge().send(conversation_id, text, agent_name=None)).pushed

    return ClosingRelease(tickets, send, clock=tickets.clock)
