"""Conversation state in SQL: hand-off (paused, owner), remembered profiles, daily labels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import session_factory
from bot.hours import Zone
from bot.tickets.numbering import service_day
from bot.tickets.records import ConversationLabel, Handoff, UserProfile
from bot.tickets.rows import utc
from bot.tickets.tables import ConversationLabelRow, HandoffRow, UserProfileRow
from bot.tickets.taxonomy import Category, Channel, Topic

T = TypeVar("T")
E = TypeVar("E", bound=Enum)


def _enum(kind: type[E], value: str | None) -> E | None:
    return kind(value) if value is not None else None


def handoff_record(row: HandoffRow) -> Handoff:
    """Row to record."""
    return Handoff(
        row.conversation_id,
        Channel(row.channel),
        row.paused,
        row.ticket_id,
        row.owner,
        utc(row.updated_at),
    )


def _profile_record(row: UserProfileRow) -> UserProfile:
    return UserProfile(
        row.sender_id,
        Channel(row.channel),
        row.name,
        row.instansi,
        _enum(Category, row.category),
        row.pemda,
        _enum(Zone, row.zone),
        utc(row.updated_at),
    )


def _label_record(row: ConversationLabelRow) -> ConversationLabel:
    return ConversationLabel(
        row.conversation_id,
        Channel(row.channel),
        utc(row.created_at),
        _enum(Topic, row.topic),
        _enum(Category, row.category),
        row.pemda,
        _enum(Zone, row.zone),
        row.bot_only,
        row.in_service_hours,
    )


def _value(item: Category | Zone | Topic | None) -> str | None:
    return item.value if item is not None else None


def write_pause(
    session: Session,
    conversation_id: str,
    channel: Channel,
    at: datetime,
    ticket_id: int | None = None,
    owner: str | None = None,
) -> Handoff:
    """Upsert a paused hand-off inside the caller's transaction."""
    row = session.get(HandoffRow, conversation_id)
    if row is None:
        row = HandoffRow(conversation_id=conversation_id)
        session.add(row)
    row.channel, row.paused, row.updated_at = Channel(channel).value, True, at
    row.ticket_id = ticket_id if ticket_id is not None else row.ticket_id
    row.owner = owner if owner is not None else row.owner
    session.flush()
    return handoff_record(row)


def write_profile(session: Session, profile: UserProfile, at: datetime) -> UserProfile:
    """Upsert a profile inside the caller's transaction; None fields keep what was known."""
    key = (profile.sender_id, Channel(profile.channel).value)
    row = session.get(UserProfileRow, key)
    if row is None:
        row = UserProfileRow(sender_id=key[0], channel=key[1])
        session.add(row)
    for name in ("name", "instansi", "pemda"):
        if getattr(profile, name) is not None:
            setattr(row, name, getattr(profile, name))
    row.category = _value(profile.category) or row.category
    row.zone = _value(profile.zone) or row.zone
    row.updated_at = at
    session.flush()
    return _profile_record(row)


def write_label(session: Session, label: ConversationLabel) -> ConversationLabel:
    """Upsert the conversation's label for its WIB day inside the caller's transaction."""
    day = f"{service_day(label.created_at):%Y%m%d}"
    row = session.execute(
        select(ConversationLabelRow).where(
            ConversationLabelRow.conversation_id == label.conversation_id,
            ConversationLabelRow.day == day,
        )
    ).scalar_one_or_none()
    if row is None:
        row = ConversationLabelRow(
            conversation_id=label.conversation_id,
            day=day,
            created_at=label.created_at,
            bot_only=True,
            in_service_hours=label.in_service_hours,
        )
        session.add(row)
    if row.in_service_hours is None:
        row.in_service_hours = label.in_service_hours
    row.channel = Channel(label.channel).value
    row.topic = _value(label.topic) or row.topic
    row.category = _value(label.category) or row.category
    row.pemda = label.pemda or row.pemda
    row.zone = _value(label.zone) or row.zone
    row.bot_only = bool(row.bot_only and label.bot_only)
    session.flush()
    return _label_record(row)


class SqlConversationState:
    """Upserts that tolerate two processes writing the same conversation at once."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = session_factory(engine)

    def _upsert(self, write: Callable[[Session], T]) -> T:
        """Run `write(session)` in a transaction; on a racing insert, run it once more."""
        for attempt in range(2):
            try:
                with self._sessions() as session, session.begin():
                    return write(session)
            except IntegrityError:
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def pause(
        self,
        conversation_id: str,
        channel: Channel,
        at: datetime,
        ticket_id: int | None = None,
        owner: str | None = None,
    ) -> Handoff:
        """Silence the bot in this conversation (see ConversationStore.pause)."""
        return self._upsert(
            lambda session: write_pause(session, conversation_id, channel, at, ticket_id, owner)
        )

    def resume(self, conversation_id: str, at: datetime) -> Handoff | None:
        """Let the bot answer again; the last ticket id stays for reference."""
        with self._sessions() as session, session.begin():
            row = session.get(HandoffRow, conversation_id)
            if row is None:
                return None
            row.paused, row.owner, row.updated_at = False, None, at
            return handoff_record(row)

    def handoff(self, conversation_id: str) -> Handoff | None:
        """The conversation's hand-off state."""
        with self._sessions() as session:
            row = session.get(HandoffRow, conversation_id)
            return handoff_record(row) if row else None

    def is_paused(self, conversation_id: str) -> bool:
        """Whether the bot must stay silent."""
        with self._sessions() as session:
            paused = session.execute(
                select(HandoffRow.paused).where(HandoffRow.conversation_id == conversation_id)
            ).scalar()
            return bool(paused)

    def get_profile(self, sender_id: str, channel: Channel) -> UserProfile | None:
        """The remembered profile."""
        with self._sessions() as session:
            row = session.get(UserProfileRow, (sender_id, Channel(channel).value))
            return _profile_record(row) if row else None

    def put_profile(self, profile: UserProfile, at: datetime) -> UserProfile:
        """Remember a profile; None fields keep what was known."""
        return self._upsert(lambda session: write_profile(session, profile, at))

    def put_label(self, label: ConversationLabel) -> ConversationLabel:
        """One label per conversation and WIB day; later puts fill gaps, bot_only only drops."""
        return self._upsert(lambda session: write_label(session, label))

    def labels(self, start: datetime, end: datetime) -> list[ConversationLabel]:
        """Labels created in [start, end), oldest first."""
        with self._sessions() as session:
            rows = session.execute(
                select(ConversationLabelRow)
                .where(ConversationLabelRow.created_at >= start)
                .where(ConversationLabelRow.created_at < end)
                .order_by(ConversationLabelRow.created_at, ConversationLabelRow.id)
            ).scalars()
            return [_label_record(row) for row in rows]
