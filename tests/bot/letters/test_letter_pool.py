"""The worker pool: bounded; a timed-out or crashed worker is killed and replaced; loop free."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from bot.letters.pool import JobFailed, JobTimeout, PoolBusy, ProcessPool

JOB = "tests.bot.letters.pool_jobs:run"


@pytest.fixture
async def pool():
    pool = ProcessPool(JOB, size=2, queue=1, timeout=20)
    yield pool
    await pool.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


async def test_a_job_runs_in_another_process_without_the_secrets(
    pool: ProcessPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WHATSAPP_APP_SECRET", "not-for-parsers")
    answer = await pool.run(b"abc", {})
    assert answer["size"] == 3 and answer["pid"] != os.getpid()
    assert "PATH" in answer["env"] and "WHATSAPP_APP_SECRET" not in answer["env"]
    again = await pool.run(b"abcd", {})
    assert again["pid"] == answer["pid"] and pool.spawned == 1  # the worker is reused


async def test_timeout_kills_the_worker_and_the_next_job_gets_a_fresh_one(
    pool: ProcessPool,
) -> None:
    first = await pool.run(b"", {})
    with pytest.raises(JobTimeout):
        await pool.run(b"", {"sleep": 30}, timeout=0.5)
    assert pool.killed == 1 and not alive(first["pid"])
    after = await pool.run(b"xy", {})
    assert after["size"] == 2 and after["pid"] != first["pid"]


async def test_timeout_also_kills_the_workers_children(pool: ProcessPool, tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    with pytest.raises(JobTimeout):
        await pool.run(b"", {"child_pid_file": str(pid_file)}, timeout=2)
    child = int(pid_file.read_text())
    for _ in range(50):  # the orphan is reaped by init shortly after the kill
        if not alive(child):
            break
        await asyncio.sleep(0.05)
    assert not alive(child)


async def test_a_crashed_worker_is_replaced(pool: ProcessPool) -> None:
    with pytest.raises(JobFailed):
        await pool.run(b"", {"crash": True})
    with pytest.raises(JobFailed, match="boom"):  # an exception keeps the worker
        await pool.run(b"", {"raise": "boom"})
    assert (await pool.run(b"z", {}))["size"] == 1
    assert pool.killed == 1 and pool.spawned == 2


async def test_the_pool_is_bounded_and_refuses_past_its_queue_at_once(pool: ProcessPool) -> None:
    slow = [asyncio.ensure_future(pool.run(b"", {"sleep": 1.5})) for _ in range(3)]
    await asyncio.sleep(0.2)  # two run, one waits: the queue (1) is full
    started = time.monotonic()
    with pytest.raises(PoolBusy):
        await pool.run(b"", {})
    assert time.monotonic() - started < 1.0  # refused fast, not after the others
    answers = await asyncio.gather(*slow)
    assert len({answer["pid"] for answer in answers}) == 2
    assert pool.peak_busy == 2 and pool.spawned == 2


async def test_a_wait_longer_than_the_timeout_is_refused_as_busy(pool: ProcessPool) -> None:
    slow = [asyncio.ensure_future(pool.run(b"", {"sleep": 3})) for _ in range(2)]
    await asyncio.sleep(0.2)
    with pytest.raises(PoolBusy):
        await pool.run(b"", {}, timeout=0.3)
    await asyncio.gather(*slow)


async def test_the_event_loop_keeps_running_while_workers_are_busy(pool: ProcessPool) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.05)
            ticks += 1

    clock = asyncio.ensure_future(ticker())
    await asyncio.gather(pool.run(b"", {"sleep": 1}), pool.run(b"", {"sleep": 1}))
    clock.cancel()
    assert ticks >= 10  # about 20 in one second; a blocked loop would give 0 or 1


async def test_a_cancelled_caller_kills_the_worker(pool: ProcessPool) -> None:
    first = await pool.run(b"", {})
    task = asyncio.ensure_future(pool.run(b"", {"sleep": 30}))
    await asyncio.sleep(0.3)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not alive(first["pid"]) and (await pool.run(b"", {}))["size"] == 0
