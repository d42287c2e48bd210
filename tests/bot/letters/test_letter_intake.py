"""DocumentIntake: hostile uploads are refused through the real worker pool, good ones judged."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.db import engine_for
from bot.letters.intake import DocumentIntake
from bot.letters.limits import Refusal, UploadLimits
from bot.letters.pool import ProcessPool
from bot.letters.quota import UploadQuota
from bot.letters.verdict import VerdictKind
from bot.letters.verifier import Verifier
from harness.bad_uploads import huge_png, long_pdf, many_images_pdf, renamed_zip
from harness.letter_samples import letter_lines, render_pdf
from tests.bot.letters.conftest import FIXTURES

LIMITS = UploadLimits(timeout_s=20)


@pytest.fixture
async def intake(tmp_path: Path, verifier: Verifier):
    pool = ProcessPool(size=1, queue=2, timeout=LIMITS.timeout_s)
    quota = UploadQuota(engine_for(f"sqlite:///{tmp_path / 'djpk.db'}"), per_hour=50)
    yield DocumentIntake(verifier, pool, quota, LIMITS)
    await pool.close()


def stored(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


async def test_bad_uploads_are_refused_each_with_its_reason(
    intake: DocumentIntake, tmp_path: Path
) -> None:
    cases = {
        "images.pdf": (many_images_pdf(4500), Refusal.IMAGES, 4500),
        "huge.png": (huge_png(), Refusal.PIXELS, None),
        "surat.pdf": (renamed_zip(), Refusal.TYPE, None),
        "long.pdf": (long_pdf(30), Refusal.PAGES, 30),
        "big.pdf": (b"%PDF-1.4\n".ljust(LIMITS.max_bytes + 1, b"0"), Refusal.SIZE, None),
    }
    for name, (data, reason, found) in cases.items():
        outcome = await intake.check(stored(tmp_path, name, data), "628111", "whatsapp")
        assert (name, outcome.refusal, outcome.found) == (name, reason, found)
        assert outcome.verdict is None and outcome.text(LIMITS).startswith("Mohon maaf Bapak/Ibu")


async def test_a_letter_pdf_is_read_in_a_worker_and_judged(
    intake: DocumentIntake, tmp_path: Path
) -> None:
    pdf = render_pdf(letter_lines("UND-77/PK/2023", "Bimtek JF AKPD"), tmp_path / "letter.pdf")
    outcome = await intake.check(pdf, "628111", "whatsapp")
    assert outcome.refusal is None and outcome.verdict.number == "UND-77/PK/2023"
    assert outcome.verdict.verdict is not VerdictKind.GENUINE
    assert intake.pool.spawned == 1


async def test_a_registered_file_is_judged_by_its_hash_without_a_worker(
    intake: DocumentIntake,
) -> None:
    outcome = await intake.check(FIXTURES / "UND-901_PK.3_2099.pdf", "628111", "whatsapp")
    assert outcome.verdict.verdict is VerdictKind.GENUINE and intake.pool.spawned == 0


async def test_a_document_past_the_timeout_is_refused_and_the_worker_replaced(
    tmp_path: Path, verifier: Verifier
) -> None:
    pool = ProcessPool("tests.bot.letters.pool_jobs:slow_read", size=1, queue=0)
    quota = UploadQuota(engine_for(f"sqlite:///{tmp_path / 'q.db'}"), per_hour=5)
    slow = DocumentIntake(verifier, pool, quota, UploadLimits(timeout_s=0.5))
    try:
        path = stored(tmp_path, "slow.pdf", long_pdf(1))
        outcome = await slow.check(path, "u", "rest")
        assert outcome.refusal is Refusal.TIMEOUT and pool.killed == 1
        assert "terlalu lama" in outcome.text(slow.limits)
        assert (await slow.check(path, "u", "rest")).refusal is Refusal.TIMEOUT
        assert pool.spawned == 2  # a fresh worker for the next document
    finally:
        await pool.close()


async def test_the_sender_limit_comes_first(tmp_path: Path, verifier: Verifier) -> None:
    pool = ProcessPool(size=1)
    quota = UploadQuota(engine_for(f"sqlite:///{tmp_path / 'r.db'}"), per_hour=2)
    intake = DocumentIntake(verifier, pool, quota, LIMITS)
    path = stored(tmp_path, "z.pdf", renamed_zip())
    reasons = [(await intake.check(path, "a", "webchat")).refusal for _ in range(3)]
    assert reasons == [Refusal.TYPE, Refusal.TYPE, Refusal.RATE]
    assert (await intake.check(path, "b", "webchat")).refusal is Refusal.TYPE
    await pool.close()


async def test_a_full_pool_and_a_dead_worker_get_their_own_refusals(
    tmp_path: Path, verifier: Verifier
) -> None:
    quota = UploadQuota(engine_for(f"sqlite:///{tmp_path / 'b.db'}"), per_hour=9)
    path = stored(tmp_path, "one.pdf", long_pdf(1))
    slow_pool = ProcessPool("tests.bot.letters.pool_jobs:slow_read", size=1, queue=0)
    crash_pool = ProcessPool("tests.bot.letters.pool_jobs:crash_read", size=1)
    try:
        slow = DocumentIntake(verifier, slow_pool, quota, UploadLimits(timeout_s=3))
        first = asyncio.ensure_future(slow.check(path, "a", "rest"))
        await asyncio.sleep(0.5)
        busy = await slow.check(path, "b", "rest")
        assert busy.refusal is Refusal.BUSY and "sedang penuh" in busy.text(slow.limits)
        assert (await first).refusal is Refusal.TIMEOUT
        dead = await DocumentIntake(verifier, crash_pool, quota, LIMITS).check(path, "c", "rest")
        assert dead.refusal is Refusal.FAILED and "hubungi petugas" in dead.text(LIMITS)
    finally:
        await slow_pool.close()
        await crash_pool.close()
