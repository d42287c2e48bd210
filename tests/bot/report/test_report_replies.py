"""Agent replies in the report: replies sent, of which from a suggested answer, per entry."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.db import make_engine, upgrade
from bot.report.figures.replies import replies
from bot.report.figures.summary import build
from bot.report.pages.document import Paragraph, Table
from bot.report.pages.outline import document
from bot.report.period import Month
from bot.tickets.records import NewTicket
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel, Sender, Topic

ROOT = Path(__file__).resolve().parents[3]
START = datetime(2023, 2, 6, 3, 0, tzinfo=timezone.utc)  # Monday 6 February 2023, 10.00 WIB
DAU = "dau-penyaluran-tahap-1"


def _ticket(store: SqlTicketStore, user: str, agent: str, n: int):
    at = START + timedelta(hours=n)
    ticket, _ = store.create_for_conversation(
        NewTicket(user, Channel.WHATSAPP, Topic.DAU, "Penyaluran DAU"), at
    )
    store.claim(ticket.id, agent, at)
    return ticket, at


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'replies.db'}"
    return request.getfixturevalue("postgres_url")


def test_replies_from_suggested_answers_are_counted(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    store = SqlTicketStore(engine)
    one, at = _ticket(store, "62811", "nuryani", 1)
    store.add_message(one.id, Sender.USER, "dau kapan cair", at)
    store.add_message(one.id, Sender.AGENT, "Penyaluran DAU ...", at, faq_id=DAU)
    store.add_message(one.id, Sender.AGENT, "Ada lagi?", at)
    two, at = _ticket(store, "62822", "rahmat", 2)
    store.add_message(two.id, Sender.AGENT, "DAU tahap 1 ...", at, faq_id=DAU)
    store.add_message(two.id, Sender.AGENT, "PDRD ...", at, faq_id="pdrd-pajak-daerah")
    store.add_message(two.id, Sender.BOT, "Bagaimana kepuasan ...", at, faq_id=None)
    march = datetime(2023, 2, 28, 17, 0, tzinfo=timezone.utc)  # 1 March 00.00 WIB
    store.add_message(two.id, Sender.AGENT, "Maret", march, faq_id=DAU)

    with engine.connect() as connection:
        figures = replies(connection, Month(2023, 2))
    assert (figures.replies, figures.suggested, float(figures.suggested_share)) == (4, 3, 75.0)
    assert [(a.agent, a.replies, a.suggested) for a in figures.agents] == [
        ("nuryani", 2, 1),
        ("rahmat", 2, 2),
    ]
    assert [(e.entry, e.replies) for e in figures.entries] == [(DAU, 2), ("pdrd-pajak-daerah", 1)]

    page = document(build(engine, Month(2023, 2), ROOT / "knowledge_base", now=START))
    section = next(s for s in page.sections if s.title == "Kepuasan Pengguna")
    texts = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert any("**4** balasan" in t and "**3 (75,00%)**" in t for t in texts), texts
    tables = {b.name: b for b in section.blocks if isinstance(b, Table)}
    assert tables["jawaban_disarankan_dipakai"].rows == ((DAU, 2), ("pdrd-pajak-daerah", 1))
    with engine.connect() as connection:
        march_only = replies(connection, Month(2023, 3))
    assert (march_only.replies, march_only.suggested, march_only.suggested_share) == (1, 1, 100)
    with engine.connect() as connection:
        assert replies(connection, Month(2023, 1)).suggested_share is None
    engine.dispose()
