"""The delivery state machine of agent replies and its SQL store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.db import engine_for
from bot.delivery.records import State, advance, retryable, window_open
from bot.delivery.sql import DeliveryStore

T0 = datetime(2026, 3, 6, 10, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.mark.parametrize(
    ("current", "new", "expected"),
    [
        (State.QUEUED, State.SENT, State.SENT),
        (State.SENT, State.DELIVERED, State.DELIVERED),
        (State.DELIVERED, State.READ, State.READ),
        (State.QUEUED, State.READ, State.READ),  # a late "sent" webhook must not matter
        (State.READ, State.DELIVERED, State.READ),
        (State.READ, State.SENT, State.READ),
        (State.DELIVERED, State.SENT, State.DELIVERED),
        (State.SENT, State.FAILED, State.FAILED),
        (State.DELIVERED, State.FAILED, State.FAILED),
        (State.READ, State.FAILED, State.READ),
        (State.FAILED, State.SENT, State.FAILED),
        (State.FAILED, State.READ, State.FAILED),
        (State.SENT, State.QUEUED, State.SENT),
    ],
)
def test_states_only_move_forward(current: State, new: State, expected: State) -> None:
    assert advance(current, new) is expected


def test_only_failed_replies_can_be_retried() -> None:
    assert [s for s in State if retryable(s)] == [State.FAILED]


def test_the_whatsapp_window_is_24_hours() -> None:
    assert window_open(T0 - timedelta(hours=23, minutes=59), T0)
    assert not window_open(T0 - timedelta(hours=24), T0)
    assert not window_open(None, T0)


@pytest.fixture
def store(tmp_path: Path) -> tuple[DeliveryStore, Clock]:
    clock = Clock()
    return DeliveryStore(engine_for(f"sqlite:///{tmp_path / 'd.db'}"), clock), clock


def test_a_reply_goes_from_queued_to_read_by_its_wamid(store) -> None:
    deliveries, clock = store
    created = deliveries.create(7, 1, "62811", "whatsapp", "Selamat siang")
    assert created.state is State.QUEUED
    assert deliveries.create(7, 1, "62811", "whatsapp", "lain").text == "Selamat siang"
    deliveries.mark(7, State.SENT, wamid="wamid.A", attempt=True)
    clock.now = T0 + timedelta(minutes=1)
    assert deliveries.by_status("wamid.A", State.READ).state is State.READ
    late = deliveries.by_status("wamid.A", State.DELIVERED)
    assert (late.state, late.attempts, late.updated_at) == (State.READ, 1, clock.now)
    assert deliveries.by_status("wamid.other", State.READ) is None
    assert deliveries.for_ticket(1)[7].to_dict()["label"] == "dibaca"


def test_a_failed_reply_keeps_its_reason_until_retried(store) -> None:
    deliveries, _ = store
    deliveries.create(8, 1, "62811", "whatsapp", "Halo")
    deliveries.mark(8, State.SENT, wamid="wamid.B")
    failed = deliveries.by_status("wamid.B", State.FAILED, "131047 Re-engagement message")
    assert (failed.state, failed.reason) == (State.FAILED, "131047 Re-engagement message")
    assert failed.to_dict()["retryable"] is True
    assert deliveries.requeue(8).state is State.QUEUED
    assert deliveries.get(8).wamid is None
    assert deliveries.requeue(8) is None  # only a failed reply is requeued


def test_queued_replies_are_listed_per_conversation_and_channel(store) -> None:
    deliveries, _ = store
    for message_id, conversation in ((3, "web-1"), (1, "web-1"), (2, "web-2")):
        deliveries.create(message_id, 1, conversation, "socketio", f"pesan {message_id}")
    deliveries.mark(3, State.SENT)
    assert [d.message_id for d in deliveries.queued_for("web-1", "socketio")] == [1]
    assert deliveries.queued_for("web-1", "whatsapp") == []


@pytest.mark.postgres
def test_the_store_on_postgresql(postgres_url: str) -> None:
    deliveries = DeliveryStore(engine_for(postgres_url), Clock())
    deliveries.create(1, 9, "62811", "whatsapp", "Halo")
    deliveries.mark(1, State.SENT, wamid="wamid.P", attempt=True)
    assert deliveries.by_status("wamid.P", State.FAILED, "131047: di luar").state is State.FAILED
    assert deliveries.requeue(1).state is State.QUEUED
    assert [d.text for d in deliveries.queued_for("62811", "whatsapp")] == ["Halo"]
