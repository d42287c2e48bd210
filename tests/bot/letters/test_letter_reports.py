"""Report log: repeated reports of one number are counted; monthly counts by number and verdict."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.db import make_engine, upgrade
from bot.letters.reports import ReportLog
from bot.letters.verifier import Verifier

FEB = datetime(2023, 2, 10, 9, 0, tzinfo=timezone.utc)
MONTH = (datetime(2023, 2, 1, tzinfo=timezone.utc), datetime(2023, 3, 1, tzinfo=timezone.utc))


@pytest.fixture
def log(tmp_path: Path) -> ReportLog:
    engine = make_engine(f"sqlite:///{tmp_path / 'djpk.db'}")
    upgrade(engine)
    return ReportLog(engine)


def test_migration_creates_both_tables(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"letter_reports", "letter_verifications"} <= tables
    columns = {c["name"] for c in inspect(engine).get_columns("letter_reports")}
    assert columns == {
        "id",
        "created_at",
        "conversation_id",
        "channel",
        "number",
        "verdict",
        "evidence_text",
        "file_sha256",
        "pemda",
        "ticket_id",
    }


def test_reports_of_the_same_number_are_counted(log: ReportLog, verifier: Verifier) -> None:
    fake = verifier.verify_text(
        "undangan UND-77/PK/2023 bimtek JF AKPD, biaya kontribusi Rp 3.500.000"
    )
    counts = [
        log.record_verdict(
            fake, conversation_id=f"c{i}", channel="whatsapp", pemda="Kab. Brebes"
        ).count
        for i in range(3)
    ]
    assert counts == [1, 2, 3]
    other = log.record(
        conversation_id="c9",
        channel="rest",
        verdict="near_match",
        number="UND-41/PK.3/2022",
        evidence_text="UND-41/PK.3/2022",
    )
    assert other == 1


def test_reports_without_a_number_count_by_file_hash(log: ReportLog) -> None:
    first = log.record(
        conversation_id="a", channel="whatsapp", verdict="not_found", file_sha256="ab" * 32
    )
    second = log.record(
        conversation_id="b", channel="whatsapp", verdict="not_found", file_sha256="ab" * 32
    )
    alone = log.record(conversation_id="c", channel="whatsapp", verdict="not_found")
    assert (first, second, alone) == (1, 2, 1)


def test_monthly_counts_by_number_and_verdict(log: ReportLog) -> None:
    for offset, number, verdict in [
        (0, "UND-77/PK/2023", "known_hoax"),
        (1, "UND-77/PK/2023", "known_hoax"),
        (2, None, "not_found"),
        (40, "UND-77/PK/2023", "known_hoax"),  # March: outside the month
    ]:
        log.record(
            conversation_id="c",
            channel="whatsapp",
            verdict=verdict,
            number=number,
            at=FEB + timedelta(days=offset),
        )
    assert log.counts_by_number(*MONTH) == {"UND-77/PK/2023": 2, "": 1}
    assert log.by_verdict(*MONTH) == {"known_hoax": 2, "not_found": 1}


def test_every_verification_is_logged_by_verdict(log: ReportLog, verifier: Verifier) -> None:
    for text in ["UND-41/PK.3/2023", "UND-41/PK.3/2023", "UND-107/PK/2019", "halo"]:
        log.log_verification(verifier.verify_text(text), channel="rest", at=FEB)
    counts = log.verifications_by_verdict(*MONTH)
    assert counts["genuine"] == 2 and counts["known_hoax"] == 1 and counts["not_found"] == 1
    assert counts["mismatch"] == 0 and set(counts) >= {"near_match", "revoked"}


def test_attach_ticket(log: ReportLog, tmp_path: Path) -> None:
    receipt = log.submit(conversation_id="c", channel="whatsapp", verdict="known_hoax")
    log.attach_ticket(receipt.id, 42)
    engine = make_engine(f"sqlite:///{tmp_path / 'djpk.db'}")
    with engine.connect() as connection:
        ticket = connection.exec_driver_sql("SELECT ticket_id FROM letter_reports").scalar()
    assert ticket == 42


def test_unknown_verdicts_are_refused(log: ReportLog) -> None:
    with pytest.raises(ValueError):
        log.record(conversation_id="c", channel="rest", verdict="maybe")
