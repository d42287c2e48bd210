"""A small FIFO worker pool on the running event loop: bounds how much work runs at once.

Rasa's inference runs synchronously on the event loop, so every message being processed adds
a blocking segment to a loop iteration. Running accepted deliveries through a few workers
instead of one task each keeps those segments few per iteration, and the webhook ack, which
only checks, parses and enqueues, gets the loop quickly.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass

logger = logging.getLogger(__name__)

Job = Callable[[], Awaitable[object]]
CANCEL_GRACE = 1.0  # seconds a stopped worker gives its cancelled job to clean up


@dataclass(frozen=True)
class _Entry:
    key: Hashable | None
    job: Job
    done: asyncio.Future[None]


class WorkerPool:
    """`size` worker tasks running jobs (zero-argument coroutine functions) in arrival order.

    Jobs with the same key (a sender) run one at a time in the order they were submitted; a
    job whose key is busy waits in that key's lane, not in a worker, so one slow sender never
    holds more than one worker. Jobs without a key have no order among themselves.

    At most `limit` jobs wait at once: `submit` refuses more (returns False) so the caller can
    answer 503 and let the sender retry, instead of accepting work it will not keep. A job that
    raises is logged and the worker goes on with the next one. Jobs live in memory only:
    whatever is still waiting when the process dies is lost.
    """

    def __init__(self, size: int, limit: int, warn_depth: int = 50, name: str = "worker") -> None:
        if size < 1 or limit < 1 or warn_depth < 1:
            raise ValueError("a worker pool needs size, limit and warn_depth of at least 1")
        self.size = size
        self.limit = limit
        self.warn_depth = warn_depth
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready: asyncio.Queue[_Entry] | None = None
        self._lanes: dict[Hashable, deque[_Entry]] = {}  # a key is here while it has a job out
        self._workers: list[asyncio.Task[None]] = []
        self._pending: set[asyncio.Future[None]] = set()
        self._waiting = 0
        self._stopping = False
        self._next_warning = warn_depth

    @property
    def depth(self) -> int:
        """Jobs accepted and not yet started by a worker."""
        return self._waiting

    def start(self) -> None:
        """Start the workers on the running loop (again after `stop`); idempotent."""
        loop = asyncio.get_running_loop()
        if self._workers and self._loop is loop:
            return
        if self._loop is not loop:  # a queue belongs to one loop; the old one is gone
            self._ready, self._lanes, self._pending, self._waiting = asyncio.Queue(), {}, set(), 0
            self._loop, self._workers = loop, []
        self._stopping = False
        self._workers = [
            loop.create_task(self._work(), name=f"{self.name}-{number}")
            for number in range(self.size)
        ]

    def submit(self, jobs: Sequence[tuple[Hashable | None, Job]]) -> bool:
        """Accept all the (key, job) pairs, or none: False if the queue is full or stopped."""
        if self._stopping:
            return False
        self.start()
        assert self._ready is not None and self._loop is not None
        if self._waiting + len(jobs) > self.limit:
            logger.warning("%s queue full (%d waiting): refused", self.name, self._waiting)
            return False
        for key, job in jobs:
            entry = _Entry(key, job, self._loop.create_future())
            self._pending.add(entry.done)
            self._waiting += 1
            if key is None:
                self._ready.put_nowait(entry)
            elif key in self._lanes:
                self._lanes[key].append(entry)
            else:
                self._lanes[key] = deque()
                self._ready.put_nowait(entry)
        if self._waiting >= self._next_warning:
            logger.warning(
                "%s queue is growing: %d waiting for %d workers",
                self.name,
                self._waiting,
                self.size,
            )
            self._next_warning = self._waiting + self.warn_depth
        return True

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every job accepted so far has finished; False if `timeout` ran out first."""
        if not self._pending:
            return True
        _, unfinished = await asyncio.wait(set(self._pending), timeout=timeout)
        return not unfinished

    async def stop(self, timeout: float | None = None) -> None:
        """Refuse new jobs, wait up to `timeout` for the accepted ones, then end the workers.

        Jobs not finished by then are cancelled or dropped (and counted in a warning).
        """
        if not self._workers:
            return
        self._stopping = True
        if not await self.drain(timeout):
            logger.warning("%s stopped with %d jobs unfinished", self.name, len(self._pending))
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []
        assert self._ready is not None
        while not self._ready.empty():
            self._ready.get_nowait()
        self._lanes.clear()
        for done in self._pending:
            done.cancel()
        self._pending.clear()
        self._waiting = 0

    async def _work(self) -> None:
        ready = self._ready
        assert ready is not None
        while True:
            entry = await ready.get()
            self._waiting -= 1
            if self._waiting == 0:
                self._next_warning = self.warn_depth
            # The job runs as its own task so that its failure or cancellation never ends the
            # worker, while cancelling the worker (stop, loop shutdown) still ends both.
            task = asyncio.ensure_future(_run(entry.job))
            try:
                await asyncio.wait({task})
            except asyncio.CancelledError:
                task.cancel()
                await asyncio.wait({task}, timeout=CANCEL_GRACE)
                raise
            finally:
                self._pending.discard(entry.done)
                if not entry.done.done():
                    entry.done.set_result(None)
                self._next_in_lane(entry.key)
            try:
                task.result()
            except asyncio.CancelledError:
                logger.error("%s job was cancelled", self.name)
            except Exception:
                logger.exception("%s job failed", self.name)

    def _next_in_lane(self, key: Hashable | None) -> None:
        """The key's job is over: its next one (if any) joins the back of the ready queue."""
        if key is None or key not in self._lanes:
            return
        lane = self._lanes[key]
        if lane:
            assert self._ready is not None
            self._ready.put_nowait(lane.popleft())
        else:
            del self._lanes[key]


async def _run(job: Job) -> None:
    await job()
