"""TicketDesk: the agents' side of TicketService (reads and transitions), the clock supplied."""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock, utcnow
from bot.tickets.records import Ticket, TicketEvent, TicketMessage, TicketQuery
from bot.tickets.store import TicketStore
from bot.tickets.taxonomy import Sender


class TicketDesk:
    """Find and read tickets, and carry them through; `now` defaults to the clock."""

    def __init__(self, store: TicketStore, clock: Clock = utcnow) -> None:
        self.store, self.clock = store, clock

    def get(self, ticket_id: int) -> Ticket | None:
        """The ticket with this id."""
        return self.store.get(ticket_id)

    def by_number(self, number: str) -> Ticket | None:
        """The ticket with this DJPK-YYYYMMDD-NNNN number (case-insensitive)."""
        return self.store.by_number(number)

    def active_for_conversation(self, conversation_id: str) -> Ticket | None:
        """The conversation's open, assigned or escalated ticket."""
        return self.store.active_for_conversation(conversation_id)

    def find(self, query: TicketQuery | None = None) -> list[Ticket]:
        """Tickets matching the query, in its order, one page."""
        return self.store.find(query)

    def count(self, query: TicketQuery | None = None) -> int:
        """How many tickets match the query's filters."""
        return self.store.count(query)

    def messages(self, ticket_id: int) -> list[TicketMessage]:
        """The transcript, oldest first."""
        return self.store.messages(ticket_id)

    def events(self, ticket_id: int) -> list[TicketEvent]:
        """The history, oldest first."""
        return self.store.events(ticket_id)

    def claim(self, ticket_id: int, agent: str, now: datetime | None = None) -> Ticket:
        """An agent takes the ticket and the conversation."""
        return self.store.claim(ticket_id, agent, now or self.clock())

    def assign(self, ticket_id: int, agent: str, actor: str, now: datetime | None = None) -> Ticket:
        """`actor` (a supervisor) gives the ticket, and the conversation, to `agent`."""
        return self.store.assign(ticket_id, agent, actor, now or self.clock())

    def reply(
        self,
        ticket_id: int,
        agent: str,
        text: str,
        now: datetime | None = None,
        faq_id: str | None = None,
    ) -> TicketMessage:
        """Store an agent's reply in the transcript (delivery is the channel's job).

        `faq_id` is the knowledge-base entry the reply started from (a suggested answer the
        agent inserted and may have edited), so the report can count answers reused.
        """
        return self.store.add_message(
            ticket_id, Sender.AGENT, text, now or self.clock(), faq_id=faq_id
        )

    def add_note(
        self, ticket_id: int, actor: str, text: str, now: datetime | None = None
    ) -> TicketEvent:
        """An internal note for agents and unit PICs, never shown to the user."""
        return self.store.add_note(ticket_id, actor, text, now or self.clock())

    def escalate(
        self, ticket_id: int, unit: str, actor: str, note: str = "", now: datetime | None = None
    ) -> Ticket:
        """Pass the ticket to a DJPK unit."""
        return self.store.escalate(ticket_id, unit, actor, now or self.clock(), note)

    def resolve(
        self, ticket_id: int, agent: str, now: datetime | None = None, note: str = ""
    ) -> Ticket:
        """The agent is done; the bot resumes and should ask the two CSAT questions."""
        return self.store.resolve(ticket_id, agent, now or self.clock(), note)
