"""The report counts every contact: tickets, and the conversations the assistant closed alone
(from their labels), each conversation day once, on its channel, topic, user and zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.db import engine_for
from bot.hours import ServiceHours
from bot.regions import RegionIndex
from bot.report.figures.summary import build
from bot.report.period import Month
from bot.settings import ROOT
from bot.tickets.service import TicketService
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel, Topic

KB = ROOT / "knowledge_base"
MONDAY_10_WIB = datetime(2023, 2, 6, 3, tzinfo=timezone.utc)
MONDAY_20_WIB = datetime(2023, 2, 6, 13, tzinfo=timezone.utc)
SATURDAY_11_WIB = datetime(2023, 2, 11, 4, tzinfo=timezone.utc)
MARCH_1_WIB = datetime(2023, 2, 28, 17, 30, tzinfo=timezone.utc)  # 00.30 WIB on 1 March


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'report.db'}"


def test_bot_only_conversations_and_tickets_are_counted_once_each(url: str) -> None:
    engine = engine_for(url)
    service = TicketService(
        SqlTicketStore(engine),
        RegionIndex.load(KB),
        ServiceHours.load(KB),
        clock=lambda: MONDAY_10_WIB,
    )
    wa, web = Channel.WHATSAPP, Channel.LIVECHAT
    # the bot alone: a blast reply, another institution's question, an FAQ answer at night (with
    # a second label the same day: still one conversation day), a letter check on Saturday
    service.label("spam-1", wa, Topic.SPAM, now=MONDAY_10_WIB)
    service.label("npwp-1", web, Topic.NON_DJPK, now=MONDAY_10_WIB, instansi="warga")
    service.label("dau-1", wa, Topic.DAU, now=MONDAY_20_WIB, instansi="BPKAD Kab. Brebes")
    service.label("dau-1", wa, Topic.DAU, now=MONDAY_20_WIB + timedelta(minutes=5))
    service.label("surat-1", wa, Topic.PENGADUAN, now=SATURDAY_11_WIB, instansi="Kab. Jayapura")
    # an FAQ answer, then a hand-off the same day: counted by its ticket only
    service.label("dbh-1", wa, Topic.DBH, now=MONDAY_10_WIB, instansi="BPKAD Kab. Brebes")
    service.open_handoff(
        conversation_id="dbh-1",
        channel=wa,
        name="Rina",
        instansi="BPKAD Kab. Brebes",
        topic_text="kapan dbh cair",
        topic=Topic.DBH,
        now=MONDAY_10_WIB + timedelta(minutes=3),
    )
    # the next month's first hour (WIB) is not February's
    service.label("late-1", wa, Topic.SPAM, now=MARCH_1_WIB)

    s = build(engine, Month(2023, 2), KB)

    assert (s.volume.total, s.volume.bot_only) == (5, 4)
    channels = {c.key: c.count for c in s.volume.channels}
    assert (channels["whatsapp"], channels["livechat"]) == (4, 1)
    topics = {t.topic: t.count for t in (*s.topics.technical, *s.topics.other)}
    assert {k: v for k, v in topics.items() if v} == {
        "Spam": 1,
        "Non-DJPK": 1,
        "DAU": 1,
        "DBH": 1,
        "Pengaduan": 1,
    }
    users = {u.category: u.count for u in s.users}
    assert users["Pemda"] == 3 and sum(users.values()) == 5
    assert [(p.pemda, p.count) for p in s.top_pemda][0] == ("Kab. Brebes", 2)
    # Brebes at 20.00 WIB and Jayapura (WIT) on Saturday are outside service hours
    assert (s.hours.total, s.hours.out_of_hours) == (5, 2)
    assert s.hours.escalated == 0
    assert s.assistant.bot_only == 4
