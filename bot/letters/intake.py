"""From a stored upload to a verdict or a polite refusal: quota, limits, worker pool, verifier.

Both channels (WhatsApp media and web chat uploads) end here through `action_verify_document`,
so the per-sender limit and every document limit apply once, in one place. Nothing slow runs on
the event loop: file reading and hashing in a thread, pypdf/OCR/QR in the worker pool.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.letters.documents import DocumentKind, Reading, quick_refusal, refused, sha256_of
from bot.letters.limits import Refusal, UploadLimits, refusal_text
from bot.letters.pool import JobFailed, JobTimeout, PoolBusy, ProcessPool
from bot.letters.quota import UploadQuota
from bot.letters.verdict import Verdict
from bot.letters.verifier import Verifier


@dataclass(frozen=True)
class Outcome:
    """A verdict, or the refusal (with the count that passed a limit) to explain to the user."""

    verdict: Verdict | None = None
    refusal: Refusal | None = None
    found: int | None = None
    sha256: str | None = None

    def text(self, limits: UploadLimits) -> str:
        """The refusal's reply (only when refused)."""
        assert self.refusal is not None
        return refusal_text(self.refusal, limits, self.found)


def _read(path: Path, limits: UploadLimits) -> tuple[bytes, str, Reading | None]:
    """The bytes, their hash, and what the bytes alone refuse (in a thread: 10 MB take a while)."""
    if path.stat().st_size > limits.max_bytes:
        return b"", "", refused(DocumentKind.UNKNOWN, "", Refusal.SIZE)
    data = path.read_bytes()
    digest = sha256_of(data)
    return data, digest, quick_refusal(data, digest, limits)


class DocumentIntake:
    """Checks one uploaded document for one sender; the verifier is asked only within limits."""

    def __init__(
        self, verifier: Verifier, pool: ProcessPool, quota: UploadQuota, limits: UploadLimits
    ) -> None:
        self.verifier = verifier
        self.pool = pool
        self.quota = quota
        self.limits = limits

    async def check(self, path: Path, sender: str, channel: str) -> Outcome:
        """Count the upload for the sender, then read and judge it (or say why not)."""
        if not await asyncio.to_thread(self.quota.take, sender, channel):
            return Outcome(refusal=Refusal.RATE)
        data, digest, stop = await asyncio.to_thread(_read, path, self.limits)
        known = self.verifier.verify_hash(digest) if digest else None
        if known is not None:  # a registered file is known whatever it holds
            return Outcome(verdict=known, sha256=digest)
        if stop is not None:
            return Outcome(refusal=stop.refusal, found=stop.found, sha256=digest or None)
        return await self._read_in_worker(data, digest)

    async def _read_in_worker(self, data: bytes, digest: str) -> Outcome:
        params = {"digest": digest, "limits": self.limits.as_dict()}
        try:
            reading = Reading.from_dict(await self.pool.run(data, params, self.limits.timeout_s))
        except PoolBusy:
            return Outcome(refusal=Refusal.BUSY, sha256=digest)
        except JobTimeout:
            return Outcome(refusal=Refusal.TIMEOUT, sha256=digest)
        except (JobFailed, KeyError, ValueError, TypeError):
            return Outcome(refusal=Refusal.FAILED, sha256=digest)
        if reading.refusal is not None:
            return Outcome(refusal=reading.refusal, found=reading.found, sha256=digest)
        return Outcome(verdict=self.verifier.verify_reading(reading), sha256=digest)
