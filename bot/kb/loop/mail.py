"""The monthly review: at the start of each month, each unit's summary of the month just ended,
recorded once per unit and month, and e-mailed to the unit's PICs when SMTP is configured.

Settings (environment only; the password never leaves it): DJPK_SMTP_HOST (unset: nothing is
sent, and `mail_status` says so), DJPK_SMTP_PORT (default 587 with STARTTLS, 465 with SSL, else
25), DJPK_SMTP_USER, DJPK_SMTP_PASSWORD, DJPK_SMTP_FROM (default the user, else
asisten-djpk@localhost), DJPK_SMTP_TLS = starttls (default) | ssl | off.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.clock import as_utc
from bot.db import session_factory
from bot.kb.live import KnowledgeBase
from bot.kb.loader import faq_dir, faq_files
from bot.kb.loop.records import ReviewRun, ReviewSummary
from bot.kb.loop.review import month_of, previous_month, review_summary
from bot.kb.loop.sql import review_run_record
from bot.kb.loop.tables import KbReviewRunRow
from bot.kb.yamlfile import KbError

log = logging.getLogger(__name__)
TLS_MODES = ("starttls", "ssl", "off")
TIMEOUT_S = 30.0


@dataclass(frozen=True)
class SmtpSettings:
    """Where the summaries are sent from; `host` empty: e-mail is off."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = ""
    tls: str = "starttls"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings:
        """Read DJPK_SMTP_*; ValueError on a bad port or TLS mode."""
        env = os.environ if env is None else env
        tls = (env.get("DJPK_SMTP_TLS") or "starttls").strip().lower()
        if tls not in TLS_MODES:
            raise ValueError(f"DJPK_SMTP_TLS must be one of {', '.join(TLS_MODES)}, not {tls!r}")
        default_port = {"starttls": 587, "ssl": 465, "off": 25}[tls]
        port_text = (env.get("DJPK_SMTP_PORT") or "").strip()
        if port_text and not port_text.isdigit():
            raise ValueError(f"DJPK_SMTP_PORT must be a port number, not {port_text!r}")
        user = (env.get("DJPK_SMTP_USER") or "").strip()
        return cls(
            host=(env.get("DJPK_SMTP_HOST") or "").strip(),
            port=int(port_text) if port_text else default_port,
            user=user,
            password=env.get("DJPK_SMTP_PASSWORD") or "",
            sender=(env.get("DJPK_SMTP_FROM") or "").strip() or user or "asisten-djpk@localhost",
            tls=tls,
        )

    @property
    def enabled(self) -> bool:
        """Whether summaries are e-mailed."""
        return bool(self.host)


def mail_status(smtp: SmtpSettings) -> str | None:
    """Why no e-mail is sent (an Indonesian sentence for the console), or None when it is."""
    if not smtp.enabled:
        return (
            "Ringkasan bulanan tidak dikirim melalui e-mail karena server e-mail (DJPK_SMTP_HOST) "
            "belum diatur; ringkasan tetap tersedia di konsol."
        )
    return None


def summary_text(summary: ReviewSummary, unit_name: str = "") -> str:
    """The summary as a plain-text e-mail body (Indonesian)."""
    name = unit_name or summary.unit
    lines = [
        "Yth. Bapak/Ibu PIC " + name + ",",
        "",
        f"Berikut ringkasan tinjauan basis pengetahuan untuk bulan {summary.month}:",
        "",
        f"- Entri yang perlu ditinjau: {len(summary.entries_due)}",
        *(f"    {entry_id}" for entry_id in summary.entries_due),
        f"- Entri yang menunggu konfirmasi: {len(summary.flagged)}",
        *(f"    {entry_id}" for entry_id in summary.flagged),
        f"- Kelompok pertanyaan terbuka: {summary.open_groups}",
        f"- Jawaban yang dinilai tidak membantu: {summary.unhelpful_votes}",
    ]
    if summary.top_topics:
        lines += ["", "Pertanyaan yang paling sering diajukan bulan ini:"]
        lines += [f"- {t.text} ({t.count} kali)" for t in summary.top_topics]
    lines += [
        "",
        "Silakan buka menu Basis Pengetahuan di konsol untuk menindaklanjuti.",
        "",
        "Terima kasih.",
        "Asisten Virtual DJPK",
    ]
    return "\n".join(lines) + "\n"


def send_summary(
    smtp: SmtpSettings, recipients: Sequence[str], summary: ReviewSummary, now: datetime
) -> None:
    """E-mail one summary; smtplib/OSError when the server refuses or cannot be reached."""
    message = EmailMessage()
    message["Subject"] = f"Ringkasan basis pengetahuan {summary.unit} bulan {summary.month}"
    message["From"] = smtp.sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(now.timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain="djpk.local")
    message.set_content(summary_text(summary))
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if smtp.tls == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_S, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_S)
    with client:
        if smtp.tls == "starttls":
            client.starttls(context=context)
        if smtp.user:
            client.login(smtp.user, smtp.password)
        client.send_message(message)


def units_of(kb_dir: Path) -> list[str]:
    """The units that have a FAQ file."""
    folder = faq_dir(Path(kb_dir))
    return [p.stem for p in faq_files(folder)] if folder.is_dir() else []


def monthly_review(
    engine: Engine,
    kb_dir: Path,
    now: datetime,
    smtp: SmtpSettings,
    recipients: Mapping[str, Sequence[str]],
    kb: KnowledgeBase | None = None,
) -> list[ReviewRun]:
    """The summary of the month before `now`'s for each unit not done yet: sent or why not.

    Idempotent: one recorded run per unit and month, sent once; until it is sent (no SMTP, no
    PIC with an address, a failure) every call tries again and records why not.
    """
    month = previous_month(month_of(now))
    sessions = session_factory(engine)
    with sessions() as session:
        done = {
            row.unit: row
            for row in session.execute(
                select(KbReviewRunRow).where(KbReviewRunRow.month == month)
            ).scalars()
        }
    runs = []
    for unit in units_of(kb_dir):
        if unit in done and done[unit].status == "sent":
            continue
        to = tuple(sorted(set(recipients.get(unit, ()))))
        status, detail = _send(engine, kb_dir, unit, month, now, smtp, to, kb)
        with sessions() as session, session.begin():
            row = session.execute(
                select(KbReviewRunRow).where(
                    KbReviewRunRow.month == month, KbReviewRunRow.unit == unit
                )
            ).scalar_one_or_none()
            if row is None:
                row = KbReviewRunRow(month=month, unit=unit)
                session.add(row)
            row.at, row.status, row.detail = as_utc(now), status, detail
            row.recipients = ",".join(to)
            session.flush()
            runs.append(review_run_record(row))
    return runs


def _send(
    engine: Engine,
    kb_dir: Path,
    unit: str,
    month: str,
    now: datetime,
    smtp: SmtpSettings,
    to: tuple[str, ...],
    kb: KnowledgeBase | None,
) -> tuple[str, str]:
    reason = mail_status(smtp)
    if reason is not None:
        return "no_smtp", reason
    if not to:
        return "no_recipients", (
            "Ringkasan tidak dikirim: belum ada PIC unit ini dengan alamat e-mail "
            "(tambahkan dengan add-user --email)."
        )
    try:
        summary = review_summary(engine, kb_dir, unit, month, now.date(), kb)
        send_summary(smtp, to, summary, now)
    except (smtplib.SMTPException, OSError, ValueError, KbError) as exc:
        log.warning("review summary of %s for %s not sent: %s", unit, month, exc)
        return "failed", f"Ringkasan gagal dikirim: {type(exc).__name__}: {exc}"[:500]
    return "sent", f"Ringkasan dikirim ke {', '.join(to)}."
