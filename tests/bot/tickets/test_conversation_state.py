"""Profiles remembered across conversations, and daily conversation labels (both databases)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.hours import Zone
from bot.tickets.records import ConversationLabel, UserProfile
from bot.tickets.store import SqlConversationState
from bot.tickets.taxonomy import Category, Channel, Topic


def test_profile_is_remembered_per_sender_and_channel(
    state: SqlConversationState, now: datetime
) -> None:
    assert state.get_profile("62811", Channel.WHATSAPP) is None
    profile = UserProfile(
        "62811",
        Channel.WHATSAPP,
        "Budi",
        "BPKAD Kab. Brebes",
        Category.PEMDA,
        "Kab. Brebes",
        Zone.WIB,
    )
    stored = state.put_profile(profile, now)
    assert stored.name == "Budi" and stored.zone is Zone.WIB and stored.updated_at == now
    assert state.get_profile("62811", Channel.WHATSAPP) == stored
    assert state.get_profile("62811", Channel.LIVECHAT) is None


def test_profile_update_keeps_known_fields(state: SqlConversationState, now: datetime) -> None:
    state.put_profile(UserProfile("u1", Channel.REST, "Budi", "Pemkab Sumbawa"), now)
    later = now + timedelta(days=3)
    updated = state.put_profile(UserProfile("u1", Channel.REST, instansi="Pemprov NTB"), later)
    assert (updated.name, updated.instansi, updated.updated_at) == ("Budi", "Pemprov NTB", later)


def test_label_per_conversation_and_day(state: SqlConversationState, now: datetime) -> None:
    first = state.put_label(ConversationLabel("c1", Channel.LIVECHAT, now, Topic.DAU))
    assert first.bot_only is True and first.topic is Topic.DAU
    handed = state.put_label(
        ConversationLabel("c1", Channel.LIVECHAT, now + timedelta(hours=1), bot_only=False)
    )
    assert handed.bot_only is False and handed.topic is Topic.DAU
    again = state.put_label(ConversationLabel("c1", Channel.LIVECHAT, now, Topic.DBH))
    assert again.bot_only is False, "a hand-off that day is never undone"
    assert again.topic is Topic.DBH
    state.put_label(ConversationLabel("c1", Channel.LIVECHAT, now + timedelta(days=1)))
    state.put_label(ConversationLabel("c2", Channel.WHATSAPP, now, Topic.SPAM))
    day = state.labels(now - timedelta(hours=1), now + timedelta(hours=12))
    assert sorted((label.conversation_id, label.bot_only) for label in day) == [
        ("c1", False),
        ("c2", True),
    ]
    assert len(state.labels(now - timedelta(days=1), now + timedelta(days=2))) == 3
