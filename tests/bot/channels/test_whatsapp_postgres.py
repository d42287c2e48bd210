"""The channel's tables on PostgreSQL: inbox claims across servers, statuses, offers."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from bot.channels.inbound import Status
from bot.channels.payloads import PayloadGuard
from bot.channels.queue import InboxQueue, InboxRow, rows_of
from bot.channels.sql import Resolution, WhatsAppStore
from bot.channels.workers import InboxWorkers, Timing
from bot.db import engine_for, make_engine, upgrade
from tests.bot.channels.test_workers import messages

pytestmark = pytest.mark.postgres
LEASE = timedelta(seconds=30)


def test_concurrent_claims_take_each_row_once_and_one_sender_at_a_time(postgres_url: str) -> None:
    upgrade(make_engine(postgres_url))
    queues = [InboxQueue(make_engine(postgres_url)) for _ in range(4)]
    names = [f"{sender}{n}" for n in range(10) for sender in "abcde"]
    assert queues[0].add(rows_of(messages(*names))) == 50
    assert queues[1].add(rows_of(messages(*names))) == 0  # Meta's redeliveries: no-op inserts
    lock, busy, overlap, order = threading.Lock(), set(), [], []

    def work(queue: InboxQueue, worker: str) -> list[str]:
        taken = []
        while (row := queue.claim(worker, LEASE)) is not None or queue.unfinished():
            if row is None:
                time.sleep(0.001)
                continue
            with lock:
                overlap.append(row.sender in busy)
                busy.add(row.sender)
                order.append(row.key)
            taken.append(row.key)
            time.sleep(0.001)  # "processing": another claim of this sender would overlap
            with lock:
                busy.discard(row.sender)
            queue.finish(row)
        return taken

    jobs = [(queue, f"server-{i}-{j}") for i, queue in enumerate(queues) for j in range(2)]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        taken = [key for keys in pool.map(lambda job: work(*job), jobs) for key in keys]
    assert sorted(taken) == sorted(f"w.{n}" for n in names)  # each row exactly once
    assert not any(overlap)
    for sender in "abcde":
        assert [k for k in order if k[2] == sender] == [f"w.{sender}{n}" for n in range(10)]
    for queue in queues:
        queue.engine.dispose()


async def test_two_pools_on_one_database_never_process_a_row_twice(postgres_url: str) -> None:
    upgrade(make_engine(postgres_url))
    queues = [InboxQueue(make_engine(postgres_url)) for _ in range(2)]
    seen: list[tuple[str, int]] = []

    async def handle(row: InboxRow) -> None:
        seen.append((row.key, row.attempts))
        await asyncio.sleep(0.005)

    timing = Timing(poll=0.05)
    pools = [InboxWorkers(queue, handle, 3, timing) for queue in queues]
    names = [f"{sender}{n}" for n in range(8) for sender in "abcdef"]
    for pool in pools:
        pool.start()
    for start in range(0, len(names), 6):  # both servers receive every delivery, as behind a
        chunk = rows_of(messages(*names[start : start + 6]))  # load balancer with retries
        for queue, pool in zip(queues, pools, strict=True):
            await asyncio.to_thread(queue.add, chunk)
            pool.accepted(row["key"] for row in chunk)
    for pool in pools:
        assert await pool.drain(timeout=30)
        await pool.stop(timeout=5)
    assert sorted(key for key, _ in seen) == sorted(f"w.{n}" for n in names)
    assert all(attempts == 1 for _, attempts in seen)
    for queue in queues:
        queue.engine.dispose()


def test_statuses_failures_and_offers(postgres_url: str) -> None:
    engine = engine_for(postgres_url)
    store, guard = WhatsAppStore(engine), PayloadGuard(engine)
    assert store.record_status(Status("w1", "628", "delivered"))
    assert not store.record_status(Status("w1", "628", "delivered"))
    store.record_sent("w2", "628", "Jawaban")
    assert store.sent_text("w2") == "Jawaban"
    store.record_failure("628", "Jawaban", 131047, "Re-engagement message", Resolution.RECORDED)
    assert [f.error_code for f in store.failures("628")] == [131047]
    ids = guard.offer("628", ["/affirm", "/x" + "y" * 300])
    assert guard.sanitize_inbound("628", "/affirm") == "/affirm"
    assert guard.sanitize_inbound("628", "/deny") == "deny"
    assert guard.resolve_choice("628", ids[1]).startswith("/xyy")
    engine.dispose()
