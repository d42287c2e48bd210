"""A small pool of worker processes for document reading, awaited from the event loop.

Processes, not threads: a stuck pypdf or Tesseract is killed (with its process group, so
Tesseract's own child goes too) when its time is up, and the next job gets a fresh worker. At
most `size` documents are read at once, at most `queue` more wait for a worker; beyond that a
document is refused at once (PoolBusy) rather than queued without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.letters.worker import HEADER, frame
from bot.settings import Settings

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
READ_JOB = "bot.letters.documents:read_job"
ANSWER_LIMIT = 8 * 1024 * 1024
_PASSED_ENV = (
    "PATH",
    "HOME",
    "LANG",
    "LC_",
    "TMPDIR",
    "TESSDATA_PREFIX",
    "PYTHON",
    "VIRTUAL_ENV",
    "LD_LIBRARY_PATH",
)


class PoolError(Exception):
    """A job that produced no answer."""


class PoolBusy(PoolError):
    """Every worker is busy and the queue is full (or no worker came free in time)."""


class JobTimeout(PoolError):
    """The job ran past the timeout; its worker was killed."""


class JobFailed(PoolError):
    """The job raised, or its worker died."""


@dataclass
class _Worker:
    process: asyncio.subprocess.Process
    jobs: int = 0


@dataclass
class _State:
    """What belongs to one event loop (tests run several loops one after another)."""

    loop: asyncio.AbstractEventLoop
    slots: asyncio.Semaphore
    idle: list[_Worker] = field(default_factory=list)
    waiting: int = 0
    busy: int = 0


class ProcessPool:
    """Runs `job` ('module:function', called as f(data, params)) in up to `size` processes."""

    def __init__(
        self,
        job: str = READ_JOB,
        size: int = 2,
        queue: int = 8,
        timeout: float = 40.0,
        cwd: Path = ROOT,
    ) -> None:
        self.job, self.size, self.queue, self.timeout = job, max(1, size), max(0, queue), timeout
        self.cwd = cwd
        self.spawned = 0  # worker processes started so far
        self.killed = 0  # workers killed (timeout, crash, cancellation)
        self.peak_busy = 0  # most jobs that ran at the same time
        self._state: _State | None = None
        self._pids: set[int] = set()

    @classmethod
    def from_settings(cls, settings: Settings) -> ProcessPool:
        """The document reading pool configured in Settings."""
        return cls(
            READ_JOB, settings.letter_workers, settings.letter_queue, settings.upload_timeout_s
        )

    def _bound(self) -> _State:
        loop = asyncio.get_running_loop()
        if self._state is None or self._state.loop is not loop:
            self._kill_all()  # workers of a finished loop cannot be awaited here
            self._state = _State(loop, asyncio.Semaphore(self.size))
        return self._state

    async def run(self, data: bytes, params: dict[str, Any], timeout: float | None = None) -> Any:
        """The job's value; PoolBusy, JobTimeout or JobFailed otherwise."""
        state = self._bound()
        limit = self.timeout if timeout is None else timeout
        if state.slots.locked() and state.waiting >= self.queue:
            raise PoolBusy(f"{self.size} busy, {state.waiting} waiting")
        state.waiting += 1
        try:
            await asyncio.wait_for(state.slots.acquire(), limit)
        except asyncio.TimeoutError as exc:
            raise PoolBusy(f"no worker free within {limit:.0f} s") from exc
        finally:
            state.waiting -= 1
        state.busy += 1
        self.peak_busy = max(self.peak_busy, state.busy)
        try:
            return await self._run_on_worker(state, data, params, limit)
        finally:
            state.busy -= 1
            state.slots.release()

    async def _run_on_worker(
        self, state: _State, data: bytes, params: dict[str, Any], limit: float
    ) -> Any:
        try:
            worker = state.idle.pop() if state.idle else await self._spawn()
        except OSError as exc:
            raise JobFailed(f"no worker process: {exc!r}") from exc
        try:
            answer = await asyncio.wait_for(self._exchange(worker, params, data), limit)
        except asyncio.TimeoutError as exc:
            await self._kill(worker)
            raise JobTimeout(f"no answer within {limit:.1f} s") from exc
        except (OSError, EOFError, asyncio.IncompleteReadError, ValueError) as exc:
            await self._kill(worker)
            raise JobFailed(f"worker died: {exc!r}") from exc
        except BaseException:  # cancelled mid-job: the worker's state is unknown
            await self._kill(worker)
            raise
        worker.jobs += 1
        state.idle.append(worker)
        if not answer.get("ok"):
            raise JobFailed(str(answer.get("error")))
        return answer.get("value")

    async def _spawn(self) -> _Worker:
        env = {key: value for key, value in os.environ.items() if key.startswith(_PASSED_ENV)}
        env["OMP_THREAD_LIMIT"] = "1"  # the worker that parses untrusted files gets no secrets
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.letters.worker",
            self.job,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=str(self.cwd),
            env=env,
            start_new_session=True,
        )
        self.spawned += 1
        self._pids.add(process.pid)
        return _Worker(process)

    @staticmethod
    async def _exchange(worker: _Worker, params: dict[str, Any], data: bytes) -> dict[str, Any]:
        stdin, stdout = worker.process.stdin, worker.process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(frame(json.dumps(params).encode("utf-8")) + frame(data))
        await stdin.drain()
        size = int.from_bytes(await stdout.readexactly(HEADER), "big")
        if size > ANSWER_LIMIT:
            raise ValueError(f"answer of {size} bytes")
        answer: dict[str, Any] = json.loads(await stdout.readexactly(size))
        return answer

    async def _kill(self, worker: _Worker) -> None:
        self.killed += 1
        self._signal(worker.process.pid)
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            await worker.process.wait()
        logger.warning("Document worker %s killed after %d jobs", worker.process.pid, worker.jobs)

    def _signal(self, pid: int) -> None:
        self._pids.discard(pid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)

    def _kill_all(self) -> None:
        for pid in list(self._pids):
            self._signal(pid)
        if self._state is not None:
            self._state.idle.clear()

    async def close(self) -> None:
        """Stop every worker (idle ones end when their input closes; the rest are killed)."""
        state, self._state = self._state, None
        for worker in state.idle if state else []:
            if worker.process.stdin is not None:
                worker.process.stdin.close()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(worker.process.wait(), 5)
            self._pids.discard(worker.process.pid)
        self._kill_all()
