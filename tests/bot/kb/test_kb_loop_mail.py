"""The monthly review: each unit's summary, recorded once per month, e-mailed to the unit's PICs
through a real SMTP server on loopback (aiosmtpd, with a login), and nothing sent, with the
reason recorded, when DJPK_SMTP_HOST is not set. The clock is injected."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from loop_samples import ask, copy_kb, sqlite

from bot.console.users import UserError, UserStore
from bot.kb.live import KnowledgeBase
from bot.kb.loop.mail import SmtpSettings, mail_status, monthly_review
from bot.kb.loop.review import month_of, previous_month, review_summary
from bot.kb.loop.sql import record_vote, review_runs
from bot.maintenance import Maintenance
from bot.settings import Settings

DTK, SEKRETARIAT = "dana-transfer-khusus", "sekretariat"
NOW = datetime(2026, 12, 1, 1, 30, tzinfo=timezone.utc)  # 08:30 WIB, the first of December
NOVEMBER = datetime(2026, 11, 10, 3, 0, tzinfo=timezone.utc)
USER, PASSWORD = "asisten@djpk.test", "sandi-smtp-uji"


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 Requested action aborted: try again later"
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, SmtpSettings]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=_login, auth_require_tls=False
    )
    controller.start()
    try:
        yield (
            inbox,
            SmtpSettings.from_env(
                {
                    "DJPK_SMTP_HOST": "127.0.0.1",
                    "DJPK_SMTP_PORT": str(port),
                    "DJPK_SMTP_USER": USER,
                    "DJPK_SMTP_PASSWORD": PASSWORD,
                    "DJPK_SMTP_FROM": "Asisten DJPK <asisten@djpk.test>",
                    "DJPK_SMTP_TLS": "off",
                }
            ),
        )
    finally:
        controller.stop()


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Any, Path, KnowledgeBase]:
    kb_dir = copy_kb(tmp_path / "kb")
    path = kb_dir / "faq" / f"{DTK}.yml"  # one entry reviewed for the quarter: not due
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: otsus-penyaluran")
    at = text.index("    review_every_days: 30", start)
    path.write_text(
        text[:at] + "    review_every_days: 90" + text[at + len("    review_every_days: 30") :],
        encoding="utf-8",
    )
    engine = sqlite(tmp_path)
    kb = KnowledgeBase(kb_dir)
    users = UserStore(engine, rounds=4)
    users.add("pic.dtk", "rahasia-pic-dtk", "unit_pic", DTK, email="Pic.DTK@djpk.test")
    users.add("pic.dtk2", "rahasia-pic-dtk2", "unit_pic", DTK)  # no address: not mailed
    users.add("pic.sekre", "rahasia-pic-sekre", "unit_pic", SEKRETARIAT, email="sekre@djpk.test")
    users.add("agen1", "rahasia-agen-1", "agent")
    for n, text in enumerate(
        ("jadwal kapal pelni ke kupang bulan depan", "jadwal kapal pelni ke kupang minggu depan")
    ):
        assert ask(engine, kb, text, NOVEMBER + timedelta(hours=n))
    for n in range(2):
        record_vote(
            engine,
            f"c{n}",
            "whatsapp",
            "dana desa tahap 2 kapan cair",
            "dana-desa-penyaluran",
            DTK,
            NOVEMBER + timedelta(days=n),
        )
    record_vote(
        engine,
        "c9",
        "rest",
        "dana desa tahap 2 kapan cair",
        "dana-desa-penyaluran",
        DTK,
        datetime(2026, 10, 20, tzinfo=timezone.utc),
    )  # October: not counted
    return engine, kb_dir, kb


def test_the_summary_counts_the_month_just_ended(setup: tuple[Any, Path, KnowledgeBase]) -> None:
    engine, kb_dir, kb = setup
    month = previous_month(month_of(NOW))
    assert month == "2026-11"
    summary = review_summary(engine, kb_dir, DTK, month, NOW.date(), kb)
    assert summary.unhelpful_votes == 2
    assert summary.open_groups == 1  # Dana Desa tahap 2 (three votes, one in October)
    assert [(t.text, t.count) for t in summary.top_topics] == [("dana desa tahap 2 kapan cair", 2)]
    assert "otsus-penyaluran" not in summary.entries_due  # due in February
    assert "dana-desa-penyaluran" in summary.entries_due  # reviewed 28 Nov, due 28 Dec
    sekre = review_summary(engine, kb_dir, SEKRETARIAT, month, NOW.date(), kb)
    assert sekre.top_topics[0].count == 2 and sekre.unhelpful_votes == 0


def test_without_smtp_nothing_is_sent_and_the_reason_is_recorded(
    setup: tuple[Any, Path, KnowledgeBase],
) -> None:
    engine, kb_dir, kb = setup
    smtp = SmtpSettings.from_env({})
    assert not smtp.enabled
    reason = mail_status(smtp)
    assert reason is not None and "DJPK_SMTP_HOST" in reason
    runs = monthly_review(engine, kb_dir, NOW, smtp, {DTK: ["pic.dtk@djpk.test"]}, kb)
    assert {r.unit for r in runs} == {p.stem for p in (kb_dir / "faq").glob("*.yml")}
    assert {(r.status, r.detail, r.month) for r in runs} == {("no_smtp", reason, "2026-11")}
    assert [r.status for r in review_runs(engine, DTK)] == ["no_smtp"]


def test_the_summary_is_mailed_to_the_units_pics_once_a_month(
    setup: tuple[Any, Path, KnowledgeBase], smtp_server: tuple[Inbox, SmtpSettings]
) -> None:
    engine, kb_dir, kb = setup
    inbox, smtp = smtp_server
    assert mail_status(smtp) is None
    recipients = UserStore(engine, rounds=4).pic_emails()
    assert recipients == {DTK: ["pic.dtk@djpk.test"], SEKRETARIAT: ["sekre@djpk.test"]}

    runs = {r.unit: r for r in monthly_review(engine, kb_dir, NOW, smtp, recipients, kb)}
    assert runs[DTK].status == runs[SEKRETARIAT].status == "sent"
    assert runs["pajak-daerah"].status == "no_recipients"
    sent = {tuple(to): message for to, message in inbox.messages}
    assert set(sent) == {("pic.dtk@djpk.test",), ("sekre@djpk.test",)}
    dtk = sent[("pic.dtk@djpk.test",)]
    assert dtk["Subject"] == f"Ringkasan basis pengetahuan {DTK} bulan 2026-11"
    assert dtk["From"] == "Asisten DJPK <asisten@djpk.test>"
    body = dtk.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n")
    assert body.startswith(f"Yth. Bapak/Ibu PIC {DTK},")
    assert "- Jawaban yang dinilai tidak membantu: 2\n" in body
    assert "- Kelompok pertanyaan terbuka: 1\n" in body
    assert "- dana desa tahap 2 kapan cair (2 kali)\n" in body
    due = body.split("- Entri yang perlu ditinjau: ")[1].split("- Entri yang menunggu")[0]
    assert "otsus-penyaluran" not in due and "    dana-desa-penyaluran\n" in due
    flagged = body.split("- Entri yang menunggu konfirmasi: ")[1].split("- Kelompok")[0]
    assert "    otsus-penyaluran\n" in flagged  # it still carries a `confirm:` note

    again = monthly_review(engine, kb_dir, NOW + timedelta(hours=1), smtp, recipients, kb)
    assert {r.unit for r in again} == set(runs) - {DTK, SEKRETARIAT}  # sent ones are done
    assert len(inbox.messages) == 2
    january = monthly_review(
        engine, kb_dir, datetime(2027, 1, 1, 2, tzinfo=timezone.utc), smtp, recipients, kb
    )
    assert {r.month for r in january} == {"2026-12"} and len(inbox.messages) == 4


def test_a_failed_send_is_recorded_and_tried_again(
    setup: tuple[Any, Path, KnowledgeBase], smtp_server: tuple[Inbox, SmtpSettings]
) -> None:
    engine, kb_dir, kb = setup
    inbox, smtp = smtp_server
    inbox.refuse = True
    recipients = {DTK: ["pic.dtk@djpk.test"]}
    [run] = [r for r in monthly_review(engine, kb_dir, NOW, smtp, recipients, kb) if r.unit == DTK]
    assert run.status == "failed" and "451" in run.detail
    inbox.refuse = False
    [run] = [r for r in monthly_review(engine, kb_dir, NOW, smtp, recipients, kb) if r.unit == DTK]
    assert run.status == "sent" and len(inbox.messages) == 1
    wrong = SmtpSettings(**{**smtp.__dict__, "password": "sandi-salah"})  # the login refused
    recipients = {SEKRETARIAT: ["sekre@djpk.test"]}
    [run] = [
        r
        for r in monthly_review(engine, kb_dir, NOW, wrong, recipients, kb)
        if r.unit == SEKRETARIAT
    ]
    assert run.status == "failed" and "SMTPAuthenticationError" in run.detail
    assert len(inbox.messages) == 1


def test_the_servers_maintenance_round_runs_the_review(
    setup: tuple[Any, Path, KnowledgeBase], smtp_server: tuple[Inbox, SmtpSettings], tmp_path: Path
) -> None:
    engine, kb_dir, kb = setup
    inbox, smtp = smtp_server
    jobs = Maintenance(engine, tmp_path / "uploads", kb_dir=kb_dir, smtp=smtp, knowledge=lambda: kb)
    results = {r.name: r for r in jobs.run(NOW)}
    assert results["knowledge_review"].error is None
    assert sorted(to for to, _ in inbox.messages) == [["pic.dtk@djpk.test"], ["sekre@djpk.test"]]
    jobs.run(NOW + timedelta(hours=1))
    assert len(inbox.messages) == 2


def test_a_bad_mail_setting_fails_the_review_job_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJPK_DB_URL", f"sqlite:///{tmp_path / 'djpk.db'}")
    monkeypatch.setenv("DJPK_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DJPK_KB_DIR", str(copy_kb(tmp_path / "kb")))
    monkeypatch.setenv("DJPK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DJPK_SMTP_TLS", "yes")
    results = {r.name: r for r in Maintenance.from_settings(Settings.from_env()).run(NOW)}
    assert "DJPK_SMTP_TLS" in (results["knowledge_review"].error or "")
    assert results["uploads"].error is None and results["letter_text"].error is None


def test_smtp_settings_and_pic_addresses_are_checked() -> None:
    assert SmtpSettings.from_env({"DJPK_SMTP_HOST": "smtp.kemenkeu.go.id"}).port == 587
    assert SmtpSettings.from_env({"DJPK_SMTP_HOST": "h", "DJPK_SMTP_TLS": "ssl"}).port == 465
    with pytest.raises(ValueError, match="DJPK_SMTP_TLS"):
        SmtpSettings.from_env({"DJPK_SMTP_TLS": "yes"})
    with pytest.raises(ValueError, match="DJPK_SMTP_PORT"):
        SmtpSettings.from_env({"DJPK_SMTP_PORT": "smtp"})


def test_a_bad_pic_address_is_refused(tmp_path: Path) -> None:
    users = UserStore(sqlite(tmp_path), rounds=4)
    with pytest.raises(UserError, match="not an e-mail address"):
        users.add("pic.x", "rahasia-pic-x", "unit_pic", DTK, email="pic di djpk")
    assert users.list() == []
    users.add("pic.x", "rahasia-pic-x", "unit_pic", DTK)
    assert users.set_email("pic.x", "pic.x@djpk.test").email == "pic.x@djpk.test"
    assert users.pic_emails() == {DTK: ["pic.x@djpk.test"]}
    assert users.set_email("pic.x", "").email is None and users.pic_emails() == {}
