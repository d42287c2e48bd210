"""Concurrent creates: one ticket per conversation, no duplicate numbers (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bot.tickets.records import NewTicket
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel

THREADS = 8


def _race(count: int, action):
    barrier = threading.Barrier(count)

    def run(index: int):
        barrier.wait()
        return action(index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_double_taps_from_threads_make_one_ticket(store: SqlTicketStore, now: datetime) -> None:
    results = _race(
        THREADS,
        lambda i: store.create_for_conversation(
            NewTicket("c1", Channel.WHATSAPP, summary=f"{i}"), now
        ),
    )
    assert len({ticket.id for ticket, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert store.count() == 1


def test_parallel_conversations_get_distinct_sequential_numbers(
    store: SqlTicketStore, now: datetime
) -> None:
    results = _race(
        THREADS * 2,
        lambda i: store.create_for_conversation(NewTicket(f"c{i}", Channel.REST), now)[0],
    )
    numbers = sorted(ticket.number for ticket in results)
    assert numbers == [f"DJPK-20261130-{n:04d}" for n in range(1, THREADS * 2 + 1)]


def test_lost_race_returns_the_winner(store: SqlTicketStore, now: datetime, monkeypatch) -> None:
    winner = store.create_for_conversation(NewTicket("c1", Channel.REST), now)[0]
    real = store._handoff
    calls = {"n": 0}

    def stale_first_read(session, conversation_id: str):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(session, conversation_id)

    monkeypatch.setattr(store, "_handoff", stale_first_read)
    ticket, created = store.create_for_conversation(NewTicket("c1", Channel.REST), now)
    assert (ticket.id, created) == (winner.id, False)
    assert store.count() == 1 and calls["n"] == 2
    # The loser's rolled-back transaction gave its number back.
    assert store.create_for_conversation(NewTicket("c2", Channel.REST), now)[0].number.endswith(
        "-0002"
    )
