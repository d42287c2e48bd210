"""Retention and prune jobs on a real SQLite database and upload folder, the clock injected."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import maintenance
from bot.channels.payloads import PayloadGuard
from bot.db import engine_for
from bot.letters.reports import LetterReport, ReportLog
from bot.maintenance import Maintenance, run_forever
from bot.settings import Settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def _real_now() -> datetime:
    """For the jobs the server runs by its own clock."""
    return datetime.now(timezone.utc)


@pytest.fixture
def jobs(tmp_path: Path) -> Maintenance:
    engine = engine_for(f"sqlite:///{tmp_path / 'djpk.db'}")
    return Maintenance(engine, tmp_path / "uploads", timedelta(days=90))


def _file(folder: Path, name: str, age: timedelta, base: datetime = NOW) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"%PDF-1.4 surat")
    stamp = (base - age).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def test_uploads_past_the_retention_are_deleted(jobs: Maintenance) -> None:
    folder = jobs.upload_dir
    old = _file(folder, "a" * 64 + ".pdf", timedelta(days=91))
    young = _file(folder, "b" * 64 + ".jpg", timedelta(days=89))
    stale_draft = _file(folder, f".{'c' * 64}.123.tmp", timedelta(hours=25))
    fresh_draft = _file(folder, f".{'d' * 64}.124.tmp", timedelta(minutes=5))
    (folder / "sub").mkdir()
    old_inside = _file(folder / "sub", "e.pdf", timedelta(days=400))
    (folder / "link.pdf").symlink_to(old_inside)
    assert jobs.prune_uploads(NOW) == 2
    assert not old.exists() and not stale_draft.exists()
    assert young.exists() and fresh_draft.exists() and old_inside.exists()
    assert jobs.prune_uploads(NOW) == 0
    assert jobs.prune_uploads(NOW + timedelta(days=2)) == 2  # past 90 days, and the draft 1 day
    assert not young.exists() and not fresh_draft.exists() and old_inside.exists()


def test_no_upload_folder_is_nothing_to_do(jobs: Maintenance) -> None:
    assert jobs.prune_uploads(NOW) == 0


def test_letter_text_is_blanked_after_the_retention_and_the_report_kept(
    jobs: Maintenance,
) -> None:
    log = ReportLog(jobs.engine)
    for days in (91, 89):
        log.submit(
            conversation_id=f"c-{days}",
            channel="whatsapp",
            verdict="known_hoax",
            number="S-1/PK/2026",
            evidence_text=f"isi surat {days}",
            at=NOW - timedelta(days=days),
        )
    assert jobs.prune_letter_text(NOW) == 1
    assert jobs.prune_letter_text(NOW) == 0
    with jobs.engine.connect() as connection:
        rows = connection.execute(
            select(LetterReport.conversation_id, LetterReport.evidence_text).order_by(
                LetterReport.id
            )
        ).all()
    assert [tuple(r) for r in rows] == [("c-91", ""), ("c-89", "isi surat 89")]


def test_offered_payloads_past_their_window(jobs: Maintenance) -> None:
    PayloadGuard(jobs.engine).offer("628111", ["/affirm", "/deny"])
    real_now = datetime.now(timezone.utc)
    assert jobs.prune_payloads(real_now) == 0
    assert jobs.prune_payloads(real_now + timedelta(hours=25)) == 2


class _RecordingStore:
    calls: list[dict] = []

    def __init__(self, _engine: object) -> None:
        pass

    def prune(self, older_than: timedelta, now: datetime) -> int:
        self.calls.append({"older_than": older_than, "now": now})
        return 3


def test_whatsapp_dedup_goes_through_the_store_with_the_given_now(jobs, monkeypatch) -> None:
    _RecordingStore.calls = []
    monkeypatch.setattr(maintenance, "WhatsAppStore", _RecordingStore)
    assert jobs.prune_whatsapp(NOW) == 3
    assert _RecordingStore.calls == [{"older_than": timedelta(days=30), "now": NOW}]


def test_the_real_whatsapp_store_prunes_without_error(jobs: Maintenance) -> None:
    (result,) = [r for r in jobs.run(datetime.now(timezone.utc)) if r.name == "whatsapp_dedup"]
    assert result.error is None


def test_a_failing_job_is_recorded_and_the_others_still_run(jobs, monkeypatch) -> None:
    _file(jobs.upload_dir, "a.pdf", timedelta(days=100))

    def broken(_now: datetime) -> int:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(jobs, "prune_payloads", broken)
    results = {r.name: r for r in jobs.run(NOW)}
    assert list(results) == list(jobs.jobs())
    assert "database is locked" in results["offered_payloads"].error
    assert results["uploads"].removed == 1 and results["uploads"].error is None
    assert "FAILED" in results["offered_payloads"].describe()


async def test_run_forever_repeats_and_survives_errors(jobs, monkeypatch) -> None:
    seen: list[datetime] = []

    def run(now: datetime) -> list:
        seen.append(now)
        if len(seen) == 1:
            raise RuntimeError("first round breaks")
        return []

    monkeypatch.setattr(jobs, "run", run)
    await run_forever(jobs, 0.0, clock=lambda: NOW, rounds=3)
    assert seen == [NOW] * 3


def test_the_command_runs_every_job_once(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DJPK_DB_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("DJPK_VAR_DIR", str(tmp_path / "var"))
    _file(tmp_path / "var" / "uploads", "old.pdf", timedelta(days=95), _real_now())
    assert maintenance.main([]) == 0
    out = capsys.readouterr().out
    assert "uploads: 1 removed" in out and "letter_text: 0 removed" in out
    assert not (tmp_path / "var" / "uploads" / "old.pdf").exists()


def test_retention_and_interval_settings() -> None:
    assert Settings.from_env({}).upload_retention_days == 90
    settings = Settings.from_env({"DJPK_UPLOAD_RETENTION_DAYS": "30", "DJPK_PRUNE_INTERVAL_S": "0"})
    assert (settings.upload_retention_days, settings.prune_interval_s) == (30, 0.0)
    assert Settings.from_env({}).prune_interval_s == 3600.0


async def test_the_console_channel_runs_the_jobs_on_a_schedule(tmp_path) -> None:
    from bot.console.channel import ConsoleInput
    from bot.console.services import ConsoleServices
    from tests.bot.console.conftest import make_settings
    from tests.bot.console.support import serve

    settings = replace(make_settings(tmp_path), prune_interval_s=0.05)
    old = _file(settings.var_dir / "uploads", "old.pdf", timedelta(days=95), _real_now())
    console = ConsoleInput(settings, ConsoleServices(settings, bcrypt_rounds=4))
    async with serve(console):
        task = console._maintenance_task
        assert task is not None
        for _ in range(100):
            if not old.exists():
                break
            await asyncio.sleep(0.05)
        assert not old.exists()
        _file(settings.var_dir / "uploads", "again.pdf", timedelta(days=95), _real_now())
        for _ in range(100):  # it runs again on the interval
            if not (settings.var_dir / "uploads" / "again.pdf").exists():
                break
            await asyncio.sleep(0.05)
        assert not (settings.var_dir / "uploads" / "again.pdf").exists()
    assert task.done() and console._maintenance_task is None


async def test_interval_zero_starts_no_task(tmp_path) -> None:
    from bot.console.channel import ConsoleInput
    from bot.console.services import ConsoleServices
    from tests.bot.console.conftest import make_settings
    from tests.bot.console.support import serve

    settings = replace(make_settings(tmp_path), prune_interval_s=0)
    console = ConsoleInput(settings, ConsoleServices(settings, bcrypt_rounds=4))
    async with serve(console):
        assert console._maintenance_task is None
