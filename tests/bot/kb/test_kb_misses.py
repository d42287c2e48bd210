"""Miss log against a temporary SQLite database migrated by bot.db.engine_for."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.db import engine_for
from bot.kb.misses import MissLog


def test_misses_are_recorded_and_summarised_by_question_and_unit(tmp_path: Path) -> None:
    log = MissLog(engine_for(f"sqlite:///{tmp_path / 'misses.db'}"))
    feb = datetime(2023, 2, 10, 9, 0, tzinfo=timezone.utc)
    for minute in range(3):
        log.record(
            "c1",
            "whatsapp",
            "Jadwal liga Inggris ",
            "jam-layanan",
            "sekretariat",
            0.2 + minute / 100,
            at=feb + timedelta(minutes=minute),
        )
    log.record("c2", "rest", "jadwal liga inggris", "jam-layanan", "sekretariat", 0.1, at=feb)
    log.record(
        "c3", "rest", "cara hitung dbh sawit", "dbh-syarat-salur", "dana-transfer-umum", 0.4, at=feb
    )
    log.record("c4", "rest", "di luar periode", None, None, 0.0, at=datetime(2023, 3, 5))

    top = log.top(datetime(2023, 2, 1), datetime(2023, 3, 1), limit=10)
    assert [(m.text.lower().strip(), m.best_unit, m.count) for m in top] == [
        ("jadwal liga inggris", "sekretariat", 4),
        ("cara hitung dbh sawit", "dana-transfer-umum", 1),
    ]
    assert top[0].best_score == 0.22
    assert top[0].last_seen == feb + timedelta(minutes=2)
    assert log.count(datetime(2023, 2, 1), datetime(2023, 3, 1)) == 5
    assert log.count(datetime(2023, 3, 1), datetime(2023, 4, 1)) == 1
    assert len(log.top(datetime(2023, 2, 1), datetime(2023, 3, 1), limit=1)) == 1
