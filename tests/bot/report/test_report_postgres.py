"""The same report on PostgreSQL: demo data, re-run, a live ticket after the bulk load."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.db import engine_for
from bot.report.demo.loader import load
from bot.report.figures.summary import build
from bot.report.period import Month
from bot.report.writer import write
from bot.settings import ROOT
from bot.tickets.records import NewTicket
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel, Topic

KB = ROOT / "knowledge_base"

pytestmark = pytest.mark.postgres


def test_report_on_postgresql(postgres_url: str, tmp_path) -> None:
    month = Month(2023, 2)
    load(postgres_url, month, KB, months=2)
    loaded = load(postgres_url, month, KB, months=2)  # a re-run replaces the demo rows
    assert loaded.seed_month_contacts == 1455
    engine = engine_for(postgres_url)
    store = SqlTicketStore(engine)  # ids keep counting after the bulk insert (sequence moved)
    at = datetime(2023, 3, 1, 3, tzinfo=timezone.utc)
    ticket, created = store.create_for_conversation(
        NewTicket("62811", Channel.WHATSAPP, Topic.DAU), at
    )
    assert created and ticket.number == "DJPK-20230301-0001"
    summary = build(engine, month, KB)
    write(summary, tmp_path / "report")
    data = summary.to_dict()
    assert data["volume"]["total"] == 1455 and data["volume"]["previous_total"] == 1218
    assert [c["share_text"] for c in data["volume"]["channels"][:5]] == [
        "77,39%",
        "11,13%",
        "6,53%",
        "3,57%",
        "1,37%",
    ]
    assert [u["count"] for u in data["users"]] == [1217, 93, 33, 112]
    hours = data["hours"]
    assert (hours["identified"], hours["out_of_hours"], hours["out_of_hours_escalated"]) == (
        1398,
        184,
        19,
    )
    assert [(p["pemda"], p["count"]) for p in data["top_pemda"]] == [
        ("Kab. Brebes", 17),
        ("Kab. Sumbawa", 12),
        ("Kab. Lembata", 11),
    ]
    assert {t["topic"]: t["count"] for t in data["topics"]["other"]}["Video Conference"] == 18
    assert len(data["video_conferences"]) == 9 and len(data["face_to_face"]) == 5
    assert len(data["satisfaction"]["agents"]) == 4 and data["satisfaction"]["hidden_agents"] == 1
    assert (tmp_path / "report" / "report.html").is_file()
