"""The worker pool alone: bounded concurrency, arrival order per key, failures, full, stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Hashable

import pytest

from bot.channels.workers import Job, WorkerPool


class Jobs:
    """Jobs that wait on a gate and record when they start and end, and how many overlap."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.started: list[str] = []
        self.finished: list[str] = []
        self.active = 0
        self.peak = 0
        self._watch: tuple[Callable[[], bool], asyncio.Event] | None = None

    def job(self, name: str, fail: BaseException | None = None) -> Job:
        async def run() -> None:
            self.active += 1
            self.peak = max(self.peak, self.active)
            self.started.append(name)
            self._check()
            try:
                await self.gate.wait()
                if fail is not None:
                    raise fail
                self.finished.append(name)
            finally:
                self.active -= 1

        return run

    def _check(self) -> None:
        if self._watch is not None and self._watch[0]():
            self._watch[1].set()

    async def until(self, condition: Callable[[], bool]) -> None:
        """Wait (at most 5 s) until `condition` holds after some job started."""
        if condition():
            return
        event = asyncio.Event()
        self._watch = (condition, event)
        try:
            await asyncio.wait_for(event.wait(), timeout=5)
        finally:
            self._watch = None


def keyed(jobs: Jobs, *names: str) -> list[tuple[Hashable | None, Job]]:
    """One job per name; the key is the name's first letter (its sender)."""
    return [(name[0], jobs.job(name)) for name in names]


@pytest.mark.parametrize("size", [1, 2, 3])
async def test_never_more_jobs_at_once_than_workers(size: int) -> None:
    jobs, pool = Jobs(), WorkerPool(size, limit=100)
    names = [f"{sender}{n}" for n in range(4) for sender in "abcdefgh"]
    assert pool.submit(keyed(jobs, *names))
    await jobs.until(lambda: jobs.active == size)
    assert pool.depth == len(names) - size
    assert jobs.started == names[:size]  # the first ones, in arrival order
    jobs.gate.set()
    assert await pool.drain(timeout=5)
    assert jobs.peak == size
    assert sorted(jobs.finished) == sorted(names)
    for sender in "abcdefgh":
        assert [n for n in jobs.finished if n[0] == sender] == [f"{sender}{n}" for n in range(4)]
    await pool.stop()


async def test_a_busy_sender_waits_in_its_lane_not_in_a_worker() -> None:
    jobs, pool = Jobs(), WorkerPool(2, limit=100)
    assert pool.submit(keyed(jobs, "a1", "a2", "a3", "b1"))
    await jobs.until(lambda: jobs.started == ["a1", "b1"])
    assert jobs.active == 2
    jobs.gate.set()
    assert await pool.drain(timeout=5)
    assert [n for n in jobs.finished if n[0] == "a"] == ["a1", "a2", "a3"]
    await pool.stop()


async def test_jobs_without_a_key_have_no_lane() -> None:
    jobs, pool = Jobs(), WorkerPool(2, limit=100)
    assert pool.submit([(None, jobs.job("s1")), (None, jobs.job("s2"))])
    await jobs.until(lambda: jobs.active == 2)
    jobs.gate.set()
    assert await pool.drain(timeout=5)
    await pool.stop()


@pytest.mark.parametrize("failure", [RuntimeError("boom"), asyncio.CancelledError()])
async def test_a_failing_job_is_logged_and_the_worker_goes_on(
    failure: BaseException, caplog: pytest.LogCaptureFixture
) -> None:
    jobs, pool = Jobs(), WorkerPool(1, limit=100, name="test pool")
    jobs.gate.set()
    with caplog.at_level(logging.ERROR, logger="bot.channels.workers"):
        assert pool.submit([("a", jobs.job("a1", fail=failure)), ("a", jobs.job("a2"))])
        assert pool.submit([("b", jobs.job("b1"))])
        assert await pool.drain(timeout=5)
    assert jobs.started == ["a1", "b1", "a2"]  # a2 queued behind a1, and joins after b1
    assert jobs.finished == ["b1", "a2"]
    assert any(r.message.startswith("test pool job") for r in caplog.records)
    await pool.stop()


async def test_a_full_queue_refuses_whole_submissions_until_there_is_room() -> None:
    jobs, pool = Jobs(), WorkerPool(1, limit=2)
    assert pool.submit(keyed(jobs, "a1"))
    await jobs.until(lambda: jobs.active == 1)  # a1 runs: the queue is empty again
    assert pool.submit(keyed(jobs, "b1"))
    assert not pool.submit(keyed(jobs, "c1", "d1"))  # all or nothing
    assert pool.submit(keyed(jobs, "c1"))
    assert not pool.submit(keyed(jobs, "d1"))
    assert pool.depth == 2
    jobs.gate.set()
    assert await pool.drain(timeout=5)
    assert jobs.finished == ["a1", "b1", "c1"]
    assert pool.submit(keyed(jobs, "d1"))
    assert await pool.drain(timeout=5)
    assert jobs.finished == ["a1", "b1", "c1", "d1"]
    await pool.stop()


async def test_drain_waits_for_what_was_accepted_before_it_not_after() -> None:
    first, later, pool = Jobs(), Jobs(), WorkerPool(2, limit=100)
    assert pool.submit(keyed(first, "a1", "b1", "c1"))
    draining = asyncio.ensure_future(pool.drain())
    await first.until(lambda: first.active == 2)
    assert pool.submit(keyed(later, "d1"))
    assert not draining.done()
    first.gate.set()
    assert await asyncio.wait_for(draining, timeout=5)
    assert sorted(first.finished) == ["a1", "b1", "c1"]
    assert later.finished == []  # still waiting on its gate, yet drain returned
    assert not await pool.drain(timeout=0.01)
    later.gate.set()
    assert await pool.drain(timeout=5)
    await pool.stop()


async def test_stop_finishes_accepted_work_then_refuses_until_started_again() -> None:
    jobs, pool = Jobs(), WorkerPool(2, limit=100)
    assert pool.submit(keyed(jobs, "a1", "a2", "b1"))
    await jobs.until(lambda: jobs.active == 2)
    stopping = asyncio.ensure_future(pool.stop(timeout=5))
    await asyncio.sleep(0)  # let stop begin: from now on new work is refused
    assert not pool.submit(keyed(jobs, "c1"))
    jobs.gate.set()
    await asyncio.wait_for(stopping, timeout=5)
    assert sorted(jobs.finished) == ["a1", "a2", "b1"]
    assert not pool.submit(keyed(jobs, "c1"))
    pool.start()
    assert pool.submit(keyed(jobs, "c1"))
    assert await pool.drain(timeout=5)
    assert jobs.finished[-1] == "c1"
    await pool.stop()


async def test_stop_after_its_timeout_cancels_what_is_left(
    caplog: pytest.LogCaptureFixture,
) -> None:
    jobs, pool = Jobs(), WorkerPool(1, limit=100)
    assert pool.submit(keyed(jobs, "a1", "b1"))
    await jobs.until(lambda: jobs.active == 1)
    with caplog.at_level(logging.WARNING, logger="bot.channels.workers"):
        await pool.stop(timeout=0.01)
    assert jobs.active == 0 and jobs.finished == []
    assert jobs.started == ["a1"]  # b1 was dropped, not started
    assert any("2 jobs unfinished" in r.message for r in caplog.records)
    assert await pool.drain(timeout=0)


async def test_the_depth_is_logged_as_the_queue_grows(caplog: pytest.LogCaptureFixture) -> None:
    jobs, pool = Jobs(), WorkerPool(1, limit=100, warn_depth=3)
    with caplog.at_level(logging.WARNING, logger="bot.channels.workers"):
        for n in range(8):
            assert pool.submit([(None, jobs.job(f"s{n}"))])
    grew = [r.message for r in caplog.records if "growing" in r.message]
    assert grew == [
        "worker queue is growing: 3 waiting for 1 workers",
        "worker queue is growing: 6 waiting for 1 workers",
    ]
    jobs.gate.set()
    assert await pool.drain(timeout=5)
    await pool.stop()


def test_a_pool_needs_at_least_one_worker() -> None:
    with pytest.raises(ValueError):
        WorkerPool(0, limit=10)
