"""Issue 5's acceptance flow, end to end over HTTP with an echoing stand-in for the bot."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.channels.whatsapp import WhatsAppInput
from bot.db import engine_for
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.fakes.serving import Recorder, serve
from tests.bot.channels.support import post

pytestmark = pytest.mark.asyncio


async def test_one_signed_text_gives_exactly_one_reply_replay_none_unsigned_403(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    bot = Recorder(echo=True)
    delivery = wh.delivery([wh.text("nomor wa djpk berapa")])
    async with serve(channel, bot) as url:
        assert await post(url, delivery) == 200
        await channel.drain()
        assert [m["text"]["body"] for m in graph.messages()] == ["echo: nomor wa djpk berapa"]
        assert graph.messages()[0]["to"] == wh.USER

        assert await post(url, delivery) == 200
        await channel.drain()
        assert len(graph.messages()) == 1

        fresh = wh.delivery([wh.text("tanpa tanda tangan")])
        assert await post(url, fresh, secret=None) == 403
        await channel.drain()
    assert len(graph.messages()) == 1
    assert len(bot.messages) == 1


async def test_a_pdf_document_is_downloaded_and_handed_over_as_share_document(
    channel: WhatsAppInput, graph: FakeGraph, tmp_path: Path, db_url: str
) -> None:
    pdf = b"%PDF-1.7\nSurat Edaran DJPK\n%%EOF\n"
    graph.add_media("1234567890", pdf, "application/pdf")
    bot = Recorder(echo=True)
    message = wh.document("1234567890", "SE-2-PK-2023.pdf", caption="asli tidak?")
    async with serve(channel, bot) as url:
        assert await post(url, wh.delivery([message])) == 200
        await channel.drain()
    digest = hashlib.sha256(pdf).hexdigest()
    path = (tmp_path / "uploads" / f"{digest}.pdf").resolve()
    assert path.read_bytes() == pdf
    (handed,) = bot.messages
    assert handed.text == f'/share_document{{"document_path": "{digest}.pdf"}}'  # an id, no path
    assert handed.metadata == {
        "wa_id": wh.USER,
        "profile_name": "Budi Santoso",
        "wamid": message["id"],
        "timestamp": message["timestamp"],  # Meta's, passed on as it came
        "phone_number_id": wh.PHONE_NUMBER_ID,
        "document_path": str(path),
        "upload_id": f"{digest}.pdf",
        "mime_type": "application/pdf",
        "filename": "SE-2-PK-2023.pdf",
        "sha256": digest,
        "size": len(pdf),
        "caption": "asli tidak?",
    }
    assert [m["type"] for m in graph.messages()] == ["text"]
    with engine_for(db_url).connect() as connection:
        sent = connection.execute(sa.text("SELECT recipient, text FROM whatsapp_outbound")).all()
    assert sent == [(wh.USER, "echo: " + handed.text)]


async def test_migration_creates_the_channel_tables(db_url: str) -> None:
    tables = set(sa.inspect(engine_for(db_url)).get_table_names())
    assert {
        "whatsapp_inbox",
        "whatsapp_replies",
        "message_statuses",
        "whatsapp_outbound",
        "outbound_failures",
        "offered_payloads",
    } <= tables
