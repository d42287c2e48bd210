"""A few worker tasks on the running event loop that process the durable inbox.

Rasa's inference runs synchronously on the event loop, so every message being processed adds
a blocking segment to a loop iteration; a few workers keep those segments few and the webhook
ack, which only checks, parses and inserts, gets the loop quickly. Workers claim rows from the
database (`bot.channels.queue`), never from memory: a row a crashed process held comes back when
its lease runs out, a row this process gave back on stop at once. A worker wakes when this
process inserts rows and polls every `poll` seconds for rows other processes left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import SQLAlchemyError

from bot.channels.queue import FAILED, InboxQueue, InboxRow

logger = logging.getLogger(__name__)

Handler = Callable[[InboxRow], Awaitable[None]]
CANCEL_GRACE = 1.0  # seconds a stopped worker gives its cancelled row to clean up


@dataclass(frozen=True)
class Timing:
    """Lease, polling and retry of the workers (seconds)."""

    lease: float = 30.0  # renewed every lease / 3 while a row is processed
    poll: float = 2.0  # how often an idle worker looks for rows other processes left
    retry_base: float = 1.0  # a row whose processing raised waits base * 2**(attempts - 1)
    retry_max: float = 60.0
    max_attempts: int = 5  # claims of one row before it is given up (outcome "failed")
    stop_grace: float = 10.0  # how long a stopping server waits for the rows in progress

    def retry_in(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.retry_max, self.retry_base * 2 ** max(0, attempts - 1)))


class InboxWorkers:
    """`size` tasks claiming inbox rows and handing each to `handle`, one row at a time each.

    `ready` says whether the bot can take messages yet (Rasa's model loaded); until it does,
    the workers leave the rows where they are.
    """

    def __init__(
        self,
        queue: InboxQueue,
        handle: Handler,
        size: int,
        timing: Timing | None = None,
        ready: Callable[[], bool] = lambda: True,
        name: str = "WhatsApp inbox",
    ) -> None:
        if size < 1:
            raise ValueError("the inbox needs at least one worker")
        self.queue, self.handle, self.size = queue, handle, size
        self.timing = timing or Timing()
        self.ready = ready
        self.name = name
        self.identity = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._workers: list[asyncio.Task[None]] = []
        self._wake: asyncio.Event | None = None
        self._progress: asyncio.Event | None = None
        self._accepted: set[str] = set()
        self._stopping = False

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.timing.lease)

    def start(self) -> None:
        """Start the workers on the running loop; idempotent."""
        if self._workers:
            return
        self._wake, self._progress = asyncio.Event(), asyncio.Event()
        self._stopping = False
        loop = asyncio.get_running_loop()
        self._workers = [
            loop.create_task(self._work(), name=f"{self.name}-{n}") for n in range(self.size)
        ]

    def accepted(self, keys: Iterable[str]) -> None:
        """Rows this process just kept: wake the workers, and let `drain` wait for them."""
        self._accepted.update(keys)
        if self._wake is not None:
            self._wake.set()

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every row accepted here is finished (by any process); False on timeout."""
        try:
            await asyncio.wait_for(self._drain(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    async def _drain(self) -> None:
        while self._accepted:
            asked = set(self._accepted)  # rows kept meanwhile are asked about next round
            try:
                self._accepted -= asked - await asyncio.to_thread(self.queue.unfinished, asked)
            except SQLAlchemyError as error:
                logger.warning("%s: drain could not look at the inbox (%s)", self.name, error)
            if not self._accepted:
                return
            progress = self._progress or asyncio.Event()
            progress.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(progress.wait(), 0.1)

    async def stop(self, timeout: float | None = None) -> None:
        """Claim nothing more, wait up to `timeout` for the rows being processed, then end the
        workers; a row still being processed is given back (the next start takes it up)."""
        if not self._workers:
            return
        workers, self._workers = self._workers, []
        self._stopping = True
        if self._wake is not None:
            self._wake.set()
        _, unfinished = await asyncio.wait(workers, timeout=timeout)
        for worker in unfinished:
            worker.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
        if unfinished:
            logger.warning("%s stopped with %d rows given back", self.name, len(unfinished))

    async def _work(self) -> None:
        while not self._stopping:
            row = await self._next_row()
            if row is None:
                await self._idle()
                continue
            try:
                await self._process(row)
            except Exception:  # a bug here must not end the worker; the lease brings it back
                logger.exception("%s: processing %s broke the worker's loop", self.name, row.key)
            finally:
                if self._progress is not None:
                    self._progress.set()

    async def _next_row(self) -> InboxRow | None:
        if not self.ready():
            return None
        try:
            return await asyncio.to_thread(self.queue.claim, self.identity, self.lease)
        except SQLAlchemyError as error:
            logger.warning("%s: claiming a row failed (%s)", self.name, error)
            return None

    async def _idle(self) -> None:
        assert self._wake is not None
        try:
            await asyncio.wait_for(self._wake.wait(), self.timing.poll)
        except asyncio.TimeoutError:
            return
        self._wake.clear()

    async def _process(self, row: InboxRow) -> None:
        if row.attempts > self.timing.max_attempts:
            logger.error("%s: %s given up after %d attempts", self.name, row.key, row.attempts - 1)
            await self._safely(self.queue.finish, row, FAILED)
            return
        renewal = asyncio.ensure_future(self._renew(row))
        # The row runs as its own task so that its failure never ends the worker, while
        # cancelling the worker (stop) gives it a moment and then cancels it too.
        task = asyncio.ensure_future(self.handle(row))
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError:
            task.cancel()
            await asyncio.wait({task}, timeout=CANCEL_GRACE)
            await self._safely(self.queue.release, row, self.identity)
            raise
        finally:
            renewal.cancel()
        error = asyncio.CancelledError() if task.cancelled() else task.exception()
        if error is not None:
            logger.error("%s: %s failed", self.name, row.key, exc_info=error)
            retry = self.timing.retry_in(row.attempts)
            await self._safely(self.queue.release, row, self.identity, retry)
            return
        await self._safely(self.queue.finish, row)

    async def _renew(self, row: InboxRow) -> None:
        while True:
            await asyncio.sleep(self.timing.lease / 3)
            if not await self._safely(self.queue.renew, row, self.identity, self.lease):
                logger.warning("%s: the lease on %s was lost", self.name, row.key)

    async def _safely(self, call: Callable[..., object], *args: object) -> object:
        """A queue call that must not end a worker: a database error is logged (the lease
        runs out and the row comes back)."""
        try:
            return await asyncio.to_thread(call, *args)
        except SQLAlchemyError as error:
            logger.warning("%s: %s failed (%s)", self.name, getattr(call, "__name__", call), error)
            return None
