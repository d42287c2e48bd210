"""Retention and prune jobs (dedup keys, offered payloads, uploads and letter text) and the monthly
knowledge-base review.

Every job takes `now` and returns how many rows or files it removed. `Maintenance.run(now)` runs
them all; one failing job is logged and the others still run. Two ways to run them:
- inside the Rasa server: the console channel starts `run_forever` once the server is up
  (every `DJPK_PRUNE_INTERVAL_S` seconds, default 3600; 0 turns it off), cancelled on stop;
- from cron: `make prune` (`.venv/bin/python -m bot.maintenance`), for example
  `17 * * * * cd /srv/djpk && make prune >> var/prune.log 2>&1`; exit 1 when a job failed.

Retention: uploads under `var/uploads` and the letter text kept in `letter_reports.evidence_text`
are removed after `DJPK_UPLOAD_RETENTION_DAYS` days (default 90); the report row itself stays (its
verdict, number and file hash are counted by the monthly report). WhatsApp dedup keys and sent
texts are forgotten after 30 days (Meta retries a delivery for up to 7), offered payloads after
their 24-hour window. Console sessions are the console's own: each login deletes the sessions
past their lifetime or idle timeout (`bot/console/sessions.py`); login attempts live in memory.

The monthly review (`knowledge_review`, bot/kb/loop/mail.py): from the first round of a month on,
each unit's summary of the month just ended is recorded once and e-mailed to the unit's PICs when
DJPK_SMTP_HOST is set; until it is sent (no SMTP, no PIC address, a failure) each round tries again.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import Engine

from bot.channels.payloads import PayloadGuard
from bot.channels.sql import WhatsAppStore
from bot.clock import Clock, utcnow
from bot.console.users import UserStore
from bot.db import engine_for, session_factory
from bot.kb.live import KnowledgeBase
from bot.kb.loop.mail import SmtpSettings, monthly_review
from bot.letters.reports import LetterReport
from bot.settings import Settings
from bot.uploads import UploadStore, upload_dir

logger = logging.getLogger(__name__)

WHATSAPP_RETENTION = timedelta(days=30)
DRAFT_AGE = timedelta(days=1)  # a half-written upload (.<sha>.<random>.tmp) left by a crash


@dataclass(frozen=True)
class JobResult:
    """What one job did: rows or files removed (None when the job cannot count), or its error."""

    name: str
    removed: int | None = None
    error: str | None = None

    def describe(self) -> str:
        """One line for logs and the console."""
        if self.error is not None:
            return f"{self.name}: FAILED ({self.error})"
        return f"{self.name}: {'done' if self.removed is None else f'{self.removed} removed'}"


class Maintenance:
    """The jobs over one database and upload folder."""

    def __init__(
        self,
        engine: Engine,
        upload_dir: Path,
        upload_retention: timedelta = timedelta(days=90),
        kb_dir: Path | None = None,
        smtp: SmtpSettings | None = None,
        knowledge: Callable[[], KnowledgeBase] | None = None,
    ) -> None:
        self.engine, self.upload_dir = engine, Path(upload_dir)
        self.upload_retention = upload_retention
        self.kb_dir, self.smtp, self.knowledge = kb_dir, smtp or SmtpSettings(), knowledge
        self.smtp_error: str | None = None  # DJPK_SMTP_* could not be read
        self._sessions = session_factory(engine)

    @classmethod
    def from_settings(cls, settings: Settings) -> Maintenance:
        """Jobs over the configured database and `var/uploads`."""
        retention = timedelta(days=settings.upload_retention_days)
        try:
            smtp, smtp_error = SmtpSettings.from_env(), None
        except ValueError as exc:  # a mail setting typo fails the review job, not the prunes
            smtp, smtp_error = None, str(exc)
        jobs = cls(
            engine_for(settings.db_url),
            upload_dir(settings),
            retention,
            kb_dir=settings.kb_dir,
            smtp=smtp,
            knowledge=lambda: KnowledgeBase.from_settings(settings),
        )
        jobs.smtp_error = smtp_error
        return jobs

    def jobs(self) -> dict[str, Callable[[datetime], int | None]]:
        """Every job by name, in the order they run."""
        jobs: dict[str, Callable[[datetime], int | None]] = {
            "whatsapp_dedup": self.prune_whatsapp,
            "offered_payloads": self.prune_payloads,
            "uploads": self.prune_uploads,
            "letter_text": self.prune_letter_text,
        }
        if self.kb_dir is not None:
            jobs["knowledge_review"] = self.knowledge_review
        return jobs

    def run(self, now: datetime) -> list[JobResult]:
        """Run every job at `now`; a failure is logged and recorded, never raised."""
        results = []
        for name, job in self.jobs().items():
            try:
                results.append(JobResult(name, job(now)))
            except Exception as exc:  # one broken job must not stop the others
                logger.exception("Maintenance job %s failed", name)
                results.append(JobResult(name, error=f"{type(exc).__name__}: {exc}"[:300]))
        return results

    def prune_whatsapp(self, now: datetime) -> int | None:
        """WhatsApp dedup keys and sent texts, through the store's own prune (it owns the SQL)."""
        return WhatsAppStore(self.engine).prune(older_than=WHATSAPP_RETENTION, now=now)

    def prune_payloads(self, now: datetime) -> int:
        """Offered payloads past their window."""
        return PayloadGuard(self.engine).prune(now=now)

    def prune_uploads(self, now: datetime) -> int:
        """Uploaded files (both channels) older than the retention, and stale drafts."""
        removed = 0
        for path, draft in UploadStore(self.upload_dir).files():
            age = now - datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
            limit = DRAFT_AGE if draft else self.upload_retention
            if age > limit:
                with contextlib.suppress(FileNotFoundError):  # another server removed it
                    path.unlink()
                    removed += 1
        return removed

    def prune_letter_text(self, now: datetime) -> int:
        """Blank the letter text of reports older than the retention (the row is counted on)."""
        cutoff = now - self.upload_retention
        with self._sessions.begin() as session:
            result = session.execute(
                update(LetterReport)
                .where(LetterReport.created_at < cutoff, LetterReport.evidence_text != "")
                .values(evidence_text="")
                .execution_options(synchronize_session=False)
            )
        return result.rowcount or 0

    def knowledge_review(self, now: datetime) -> int | None:
        """Record (and e-mail) the monthly review summaries not sent yet."""
        assert self.kb_dir is not None
        if self.smtp_error:
            raise ValueError(self.smtp_error)
        recipients = UserStore(self.engine).pic_emails() if self.smtp.enabled else {}
        kb = self.knowledge() if self.knowledge and self.smtp.enabled else None
        for run in monthly_review(self.engine, self.kb_dir, now, self.smtp, recipients, kb):
            logger.info("Knowledge review %s %s: %s", run.month, run.unit, run.status)
        return None


async def run_forever(
    maintenance: Maintenance,
    interval: float,
    clock: Clock = utcnow,
    rounds: int | None = None,
) -> None:
    """Run the jobs now and every `interval` seconds until cancelled (or `rounds` times)."""
    done = 0
    while rounds is None or done < rounds:
        try:
            results = await asyncio.to_thread(maintenance.run, clock())
            logger.info("Maintenance: %s", "; ".join(r.describe() for r in results))
        except Exception:  # never fatal for the server
            logger.exception("Maintenance round failed")
        done += 1
        if rounds is None or done < rounds:
            await asyncio.sleep(interval)


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.maintenance`: run every job once; exit 1 when one failed."""
    parser = argparse.ArgumentParser(prog="python -m bot.maintenance", description=__doc__)
    parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    results = Maintenance.from_settings(Settings.from_env()).run(utcnow())
    for result in results:
        print(result.describe())
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
