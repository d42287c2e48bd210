"""The inbox queue and its workers on SQLite: claims, leases, per-sender order, retries, resume."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from bot.channels.inbound import Delivery, Inbound, Kind, Status
from bot.channels.queue import FAILED, InboxQueue, InboxRow, rows_of
from bot.channels.workers import InboxWorkers, Timing
from bot.db import engine_for

LEASE = timedelta(seconds=30)
QUICK = Timing(lease=30.0, poll=0.05, retry_base=0.01, retry_max=0.05, max_attempts=3)


class Clock:
    """A settable clock for the queue (leases are compared with it, never with the wall)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def messages(*names: str) -> Delivery:
    """Text messages whose sender is the name's first letter and whose wamid is the name."""
    return Delivery(messages=tuple(Inbound(f"w.{n}", n[0], Kind.TEXT, text=n) for n in names))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(db_url: str, clock: Clock) -> InboxQueue:
    """The queue on a settable clock (claims and leases)."""
    return InboxQueue(engine_for(db_url), clock)


@pytest.fixture
def live(db_url: str) -> InboxQueue:
    """The queue on the real clock (running workers, whose retries wait real seconds)."""
    return InboxQueue(engine_for(db_url))


class Handler:
    """Processes rows behind a gate, recording the order and the overlap per sender."""

    def __init__(self, fail: Callable[[InboxRow], bool] = lambda _: False) -> None:
        self.gate = asyncio.Event()
        self.fail = fail
        self.started: list[str] = []
        self.busy: set[str | None] = set()
        self.overlap = False

    async def __call__(self, row: InboxRow) -> None:
        self.started.append(row.key)
        if row.sender in self.busy:
            self.overlap = True
        self.busy.add(row.sender)
        try:
            await self.gate.wait()
            if self.fail(row):
                raise RuntimeError("the bot fell over")
        finally:
            self.busy.discard(row.sender)

    async def until_started(self, count: int) -> None:
        for _ in range(500):
            if len(self.started) >= count:
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"only {self.started} started")


def test_a_redelivered_key_is_a_no_op_insert(queue: InboxQueue) -> None:
    delivery = messages("a1", "a1", "b1")
    status = Status("w.out", "a", "read")
    assert queue.add(rows_of(Delivery(delivery.messages, (status,)))) == 3
    assert queue.add(rows_of(messages("a1"))) == 0
    assert queue.unfinished() == {"w.a1", "w.b1", "s:w.out:read"}


def test_a_row_keeps_the_parsed_message_and_status(queue: InboxQueue) -> None:
    message = Inbound("w.x", "628", Kind.CHOICE, text="Ya", choice_id="c1", profile_name="Budi")
    status = Status("w.out", "628", "failed", "1700", 131047, "Re-engagement message")
    queue.add(rows_of(Delivery((message,), (status,))))
    first, second = queue.claim("w1", LEASE), queue.claim("w1", LEASE)
    assert first is not None and second is not None
    assert {first.item(), second.item()} == {message, status}


def test_one_senders_rows_are_claimed_one_at_a_time_in_order(queue: InboxQueue) -> None:
    queue.add(rows_of(messages("a1", "b1", "a2")))
    first, second = queue.claim("w1", LEASE), queue.claim("w2", LEASE)
    assert (first.key, second.key) == ("w.a1", "w.b1")
    assert queue.claim("w3", LEASE) is None  # a2 waits until a1 is finished
    queue.finish(first)
    third = queue.claim("w3", LEASE)
    assert third is not None and third.key == "w.a2" and third.attempts == 1


def test_an_expired_lease_makes_the_row_claimable_again(queue: InboxQueue, clock: Clock) -> None:
    queue.add(rows_of(messages("a1", "a2")))
    held = queue.claim("crashed", LEASE)
    clock.advance(29)
    assert queue.claim("w2", LEASE) is None
    clock.advance(2)
    again = queue.claim("w2", LEASE)
    assert again is not None and again.key == "w.a1" and again.attempts == 2
    assert not queue.renew(held, "crashed", LEASE)  # the old holder lost it
    assert queue.renew(again, "w2", LEASE)


def test_a_renewed_lease_holds_and_a_release_can_delay(queue: InboxQueue, clock: Clock) -> None:
    queue.add(rows_of(messages("a1")))
    row = queue.claim("w1", LEASE)
    clock.advance(25)
    assert queue.renew(row, "w1", LEASE)
    clock.advance(25)
    assert queue.claim("w2", LEASE) is None
    queue.release(row, "w1", timedelta(seconds=10))
    clock.advance(9)
    assert queue.claim("w2", LEASE) is None
    clock.advance(1)
    assert queue.claim("w2", LEASE).attempts == 2
    assert queue.waiting() == 0


def test_a_finished_row_is_never_claimed_and_keeps_its_outcome(queue: InboxQueue) -> None:
    queue.add(rows_of(messages("a1")))
    row = queue.claim("w1", LEASE)
    queue.finish(row, FAILED)
    queue.release(row, "w1")  # too late: nothing changes
    assert queue.claim("w1", LEASE) is None
    assert queue.outcome("w.a1") == (1, FAILED)
    assert queue.unfinished() == set()


async def test_two_workers_keep_each_senders_order(live: InboxQueue) -> None:
    handler = Handler()
    workers = InboxWorkers(live, handler, 2, QUICK)
    names = ["a1", "b1", "a2", "c1", "a3", "b2"]
    live.add(rows_of(messages(*names)))
    workers.start()
    workers.accepted(f"w.{n}" for n in names)
    await handler.until_started(2)
    assert not await workers.drain(timeout=0.1)  # held at the gate: drain does not pretend
    handler.gate.set()
    assert await workers.drain(timeout=10)
    await workers.stop(timeout=5)
    assert not handler.overlap
    for sender in "abc":
        mine = [key for key in handler.started if key.startswith(f"w.{sender}")]
        assert mine == sorted(mine)
    assert sorted(handler.started) == sorted(f"w.{n}" for n in names)


async def test_rows_left_by_a_crashed_process_are_taken_up_on_start(
    queue: InboxQueue, live: InboxQueue, clock: Clock
) -> None:
    queue.add(rows_of(messages("a1", "a2", "b1")))
    clock.now = datetime.now(timezone.utc) - timedelta(seconds=31)
    assert queue.claim("crashed", LEASE).key == "w.a1"  # it died holding a1, its lease ran out
    handler = Handler()
    handler.gate.set()
    workers = InboxWorkers(live, handler, 2, QUICK)
    workers.start()
    workers.accepted(["w.a1", "w.a2", "w.b1"])  # as if this process had kept them
    assert await workers.drain(timeout=10)
    await workers.stop(timeout=5)
    assert [k for k in handler.started if k.startswith("w.a")] == ["w.a1", "w.a2"]
    assert queue.outcome("w.a1") == (2, "done")


async def test_a_failing_row_is_retried_then_given_up_and_the_sender_goes_on(
    live: InboxQueue, caplog: pytest.LogCaptureFixture
) -> None:
    handler = Handler(fail=lambda row: row.key == "w.a1")
    handler.gate.set()
    workers = InboxWorkers(live, handler, 1, QUICK)
    live.add(rows_of(messages("a1", "a2")))
    workers.start()
    workers.accepted(["w.a1", "w.a2"])
    with caplog.at_level(logging.ERROR):
        assert await workers.drain(timeout=10)
    await workers.stop(timeout=5)
    assert handler.started == ["w.a1"] * QUICK.max_attempts + ["w.a2"]
    assert live.outcome("w.a1") == (QUICK.max_attempts + 1, FAILED)
    assert any("given up" in record.message for record in caplog.records)


async def test_no_row_is_claimed_before_the_bot_is_ready(live: InboxQueue) -> None:
    handler, ready = Handler(), False
    handler.gate.set()
    workers = InboxWorkers(live, handler, 1, QUICK, ready=lambda: ready)
    live.add(rows_of(messages("a1")))
    workers.start()
    workers.accepted(["w.a1"])
    assert not await workers.drain(timeout=0.2)
    ready = True
    assert await workers.drain(timeout=10)
    await workers.stop(timeout=5)
    assert handler.started == ["w.a1"]


async def test_stop_gives_a_row_in_progress_back_at_once(live: InboxQueue) -> None:
    handler = Handler()
    workers = InboxWorkers(live, handler, 1, QUICK)
    live.add(rows_of(messages("a1")))
    workers.start()
    workers.accepted(["w.a1"])
    await handler.until_started(1)
    await workers.stop(timeout=0.05)
    again = live.claim("next", LEASE)  # no lease to wait for
    assert again is not None and again.key == "w.a1" and again.attempts == 2


def test_a_pool_needs_a_worker(queue: InboxQueue) -> None:
    with pytest.raises(ValueError):
        InboxWorkers(queue, Handler(), 0)
