"""TicketService: the one door to tickets, for the bot and the console (hand-offs, complaints,
profiles, labels, CSAT; the agents' side is TicketDesk, reservations ReservationDesk), on the
pemda list and service hours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Union

from bot.clock import Clock, utcnow
from bot.hours import ServiceHours, Zone
from bot.regions import RegionIndex
from bot.reservations import ReservationRules
from bot.settings import Settings
from bot.tickets import taxonomy as keys
from bot.tickets.bookings import ReservationDesk
from bot.tickets.classify import classify_category, classify_topic, is_video_conference
from bot.tickets.desk import TicketDesk
from bot.tickets.records import (
    ConversationLabel,
    Escalation,
    HandoffResult,
    Identity,
    NewMessage,
    NewTicket,
    Ticket,
    TicketQuery,
    UserProfile,
    Waiting,
)
from bot.tickets.satisfaction import read_score
from bot.tickets.store import ConversationStore, SqlConversationState, SqlTicketStore, TicketStore
from bot.tickets.taxonomy import Category, Channel, EventKind, Sender, Status, Topic

TranscriptLine = Union[NewMessage, tuple[str, str, datetime]]
SUMMARY_LIMIT = 2000

__all__ = ["HandoffResult", "Identity", "TicketService", "TranscriptLine", "Waiting"]


def _lines(transcript: Sequence[TranscriptLine]) -> tuple[NewMessage, ...]:
    return tuple(
        line if isinstance(line, NewMessage) else NewMessage(Sender(line[0]), line[1], line[2])
        for line in transcript
    )


def parse_score(value: int | str | None) -> int | None:
    """A CSAT answer as an int: a button's 5, or typed text ('5', 'lima', 'sangat puas',
    bot.tickets.satisfaction); the store rejects ints outside 1-5."""
    if value is None or isinstance(value, int):
        return value
    score = read_score(str(value))
    if score is None:
        raise ValueError(f"CSAT score must be a number from 1 to 5, got {value!r}")
    return score


class TicketService(TicketDesk, ReservationDesk):
    """Opens hand-offs and carries them through; every method takes `now` for testability.

    `conversations` defaults to the SQL conversation state on the ticket store's engine.
    """

    def __init__(
        self,
        store: TicketStore,
        regions: RegionIndex,
        hours: ServiceHours,
        clock: Clock = utcnow,
        conversations: ConversationStore | None = None,
        reservation_rules: ReservationRules | None = None,
    ) -> None:
        super().__init__(store, clock)
        self.regions, self.hours = regions, hours
        self.reservation_rules = reservation_rules or ReservationRules()
        self.conversations: ConversationStore = conversations or SqlConversationState(
            getattr(store, "engine")  # noqa: B009  (only the SQL store has one)
        )

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> TicketService:
        """Stores on DJPK_DB_URL (migrated), regions and hours from DJPK_KB_DIR."""
        settings = settings or Settings.from_env()
        store = SqlTicketStore.from_url(settings.db_url)
        return cls(
            store,
            RegionIndex.load(settings.kb_dir),
            ServiceHours.load(settings.kb_dir),
            conversations=SqlConversationState(store.engine),
            reservation_rules=ReservationRules.load(settings.kb_dir),
        )

    def identify(self, instansi: str | None) -> Identity:
        """Pemda, zone and user category from the instansi the user typed."""
        region = self.regions.match(instansi) if instansi else None
        category = classify_category(instansi, pemda_matched=region is not None)
        pemda = region.name if region and category is Category.PEMDA else None
        return Identity(region, category, region.zone if region else None, pemda)

    def open_handoff(
        self,
        *,
        conversation_id: str,
        channel: Channel | str,
        name: str | None,
        instansi: str | None,
        topic_text: str,
        transcript: Sequence[TranscriptLine] = (),
        context: Mapping[str, Any] | None = None,
        now: datetime | None = None,
        topic: Topic | None = None,
        category: Category | None = None,
        pause: bool | None = None,
        escalation: Escalation | None = None,
        separate: bool = False,
    ) -> HandoffResult:
        """Queue a ticket and say when an agent will answer.

        A hand-off ("mau bicara dengan petugas") is idempotent per conversation: while its ticket
        is active, asking again returns it. A `separate` ticket is one request (reservation, data
        request, complaint, letter status, fake-letter report): always its own ticket with its own
        summary and context, whatever else is open in the conversation.

        `pause` defaults to "inside service hours": the bot goes silent because an agent is about
        to take over. Outside hours the bot keeps answering until an agent claims the ticket.
        With an `escalation`, the ticket goes to that unit in the same transaction.
        """
        now = now or self.clock()
        channel = Channel(channel)
        who = self.identify(instansi)
        category = category or who.category
        topic = topic or classify_topic(topic_text)
        context = dict(context or {})
        if topic is Topic.RESERVASI and is_video_conference(topic_text):
            context.setdefault(keys.RESERVATION, keys.VIDEO)
        in_hours = self.hours.is_open(now)
        new = NewTicket(
            conversation_id=conversation_id,
            channel=channel,
            topic=topic,
            summary=(topic_text or "").strip()[:SUMMARY_LIMIT],
            user_name=name,
            instansi=instansi,
            category=category,
            pemda=who.pemda,
            zone=who.zone,
            in_service_hours=in_hours,
            context=context,
            transcript=_lines(transcript),
        )
        paused = in_hours if pause is None else pause
        profile = UserProfile(
            conversation_id, channel, name, instansi, category, who.pemda, who.zone
        )
        label = ConversationLabel(
            conversation_id,
            channel,
            now,
            topic,
            category,
            who.pemda,
            who.zone,
            bot_only=False,
            in_service_hours=in_hours,
        )
        ticket, created = self.store.open_handoff(
            new, now, paused, profile, label, escalation, separate=separate
        )
        opening = None if in_hours else self.hours.format_opening(now, who.zone or Zone.WIB)
        return HandoffResult(ticket, created, in_hours, who.zone, opening, paused)

    def open_complaint(
        self, *, unit: str, note: str = "", actor: str = "bot", **handoff: Any
    ) -> HandoffResult:
        """open_handoff (same keywords) and escalate to `unit`, in one transaction."""
        return self.open_handoff(**handoff, escalation=Escalation(unit, actor, note))

    def profile(self, sender_id: str, channel: Channel | str) -> UserProfile | None:
        """The profile remembered from an earlier conversation, to skip known questions."""
        return self.conversations.get_profile(sender_id, Channel(channel))

    def remember_identity(
        self, sender_id: str, channel: Channel | str, instansi: str, now: datetime | None = None
    ) -> Identity:
        """Keep who the sender is (instansi, category, pemda, zone) in their profile."""
        who, channel = self.identify(instansi), Channel(channel)
        old = self.conversations.get_profile(sender_id, channel)
        name = old.name if old else None
        profile = UserProfile(sender_id, channel, name, instansi, who.category, who.pemda, who.zone)
        self.conversations.put_profile(profile, now or self.clock())
        return who

    def is_paused(self, conversation_id: str) -> bool:
        """Whether the bot must stay silent (an agent owns the conversation)."""
        return self.conversations.is_paused(conversation_id)

    def record_user_message(self, conversation_id: str, text: str, now: datetime) -> Ticket | None:
        """Add what the user wrote, at the time they wrote it, to the active ticket."""
        ticket = self.store.active_for_conversation(conversation_id)
        if ticket is not None:
            self.store.add_message(ticket.id, Sender.USER, text, now)
        return ticket

    def waiting(self, conversation_id: str) -> Waiting | None:
        """The conversation's ticket while no agent has taken it, with its place in the queue.

        With several tickets open it is the one active_for_conversation names (the ticket an
        agent paused the conversation for, else the hand-off ticket, else the newest request);
        the relay adds messages to that same ticket."""
        ticket = self.store.active_for_conversation(conversation_id)
        if ticket is None or ticket.status is not Status.OPEN or ticket.assigned_agent:
            return None
        query = TicketQuery(status=Status.OPEN, created_to=ticket.created_at, limit=None)
        return Waiting(ticket, self.store.count(query) + 1)

    def cancel_waiting(self, conversation_id: str, now: datetime) -> Ticket | None:
        """The user stops waiting: close the untaken ticket as cancelled, the bot answers again."""
        waiting = self.waiting(conversation_id)
        if waiting is None:
            return None
        return self.store.close(waiting.ticket.id, "user", now, note="dibatalkan oleh pengguna")

    def release_due(self, now: datetime) -> list[Ticket]:
        """Tickets to release at closing time: outside service hours, opened in hours (the bot
        was paused for them), still open and untaken, not released before."""
        if self.hours.is_open(now):
            return []
        query = TicketQuery(status=Status.OPEN, in_hours=True, order="oldest", limit=None)
        return [
            ticket
            for ticket in self.store.find(query)
            if not ticket.assigned_agent
            and ticket.created_at <= now
            and all(event.kind is not EventKind.RELEASED for event in self.store.events(ticket.id))
        ]

    def release(self, ticket_id: int, now: datetime, notice: str) -> Ticket:
        """Release one ticket (TicketStateError when taken or released meanwhile) and keep the
        notice the user is sent in its transcript."""
        ticket = self.store.release(ticket_id, now, note="jam layanan berakhir")
        self.store.add_message(ticket_id, Sender.BOT, notice, now)
        return ticket

    def submit_csat(
        self,
        ticket_id: int,
        service: int | str | None = None,
        answer: int | str | None = None,
        now: datetime | None = None,
    ) -> Ticket:
        """Store Kepuasan Layanan and/or Substansi Jawaban: button scores or typed answers."""
        return self.store.set_csat(
            ticket_id, now or self.clock(), parse_score(service), parse_score(answer)
        )

    def label(
        self,
        conversation_id: str,
        channel: Channel | str,
        topic: Topic | None = None,
        now: datetime | None = None,
        instansi: str | None = None,
    ) -> ConversationLabel:
        """Count a conversation the bot handled (bot_only unless a ticket was opened that day)."""
        who = self.identify(instansi) if instansi else None
        at = now or self.clock()
        return self.conversations.put_label(
            ConversationLabel(
                conversation_id,
                Channel(channel),
                at,
                topic,
                who.category if who else None,
                who.pemda if who else None,
                who.zone if who else None,
                in_service_hours=self.hours.is_open(at),
            )
        )
