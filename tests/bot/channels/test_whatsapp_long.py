"""WhatsApp and the length cap: a long text is acked, deduplicated, answered on the normal path."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from bot.channels import length
from bot.channels.whatsapp import WhatsAppInput
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.fakes.serving import Recorder, serve
from tests.bot.channels.support import SECRET, make_channel, post

pytestmark = pytest.mark.asyncio

LONGEST = 65_536  # the longest text a WhatsApp user can send


def bodies(graph: FakeGraph) -> list[str]:
    return [m["text"]["body"] for m in graph.messages()]


async def test_a_long_text_is_acked_answered_once_and_never_handed_to_the_bot(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    bot = Recorder(echo=True)
    delivery = wh.delivery([wh.text("mohon info dana alokasi umum " * 700)])
    async with serve(channel, bot) as url:
        assert await post(url, delivery) == 200
        await channel.drain()
        assert bodies(graph) == [length.reply()]
        assert graph.messages()[0]["to"] == wh.USER

        assert await post(url, delivery) == 200  # Meta's retry of the same wamid
        await channel.drain()
        assert bodies(graph) == [length.reply()]

        assert await post(url, wh.delivery([wh.text("nomor wa djpk berapa")])) == 200
        await channel.drain()
    assert bodies(graph) == [length.reply(), "echo: nomor wa djpk berapa"]
    assert [m.text for m in bot.messages] == ["nomor wa djpk berapa"]


async def test_the_longest_whatsapp_text_fits_the_body_limit(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    bot = Recorder(echo=True)
    texts = [wh.text("é" * LONGEST), wh.text("a" * length.MAX_CHARS)]
    async with serve(channel, bot) as url:
        assert await post(url, wh.delivery(texts)) == 200
        await channel.drain()
    assert bodies(graph) == [length.reply(), "echo: " + "a" * length.MAX_CHARS]
    assert len(bot.messages) == 1


async def test_a_body_over_the_limit_is_refused_with_413_before_the_signature_check(
    graph: FakeGraph, db_url: str, tmp_path: Path
) -> None:
    channel = make_channel(graph, db_url, tmp_path, body_limit=16 * 1024)
    bot = Recorder(echo=True)
    raw, headers = wh.encode(wh.delivery([wh.text("a" * 32 * 1024)]), SECRET)
    async with serve(channel, bot) as url:
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=raw, headers=headers) as response,
        ):
            assert response.status == 413
            assert "terlalu panjang" in (await response.json())["message"]
        assert await post(url, wh.delivery([wh.text("halo")])) == 200
        await channel.drain()
    assert bodies(graph) == ["echo: halo"]


async def test_the_cap_comes_from_settings(
    monkeypatch: pytest.MonkeyPatch, graph: FakeGraph, tmp_path: Path
) -> None:
    monkeypatch.setenv("DJPK_MAX_MESSAGE_CHARS", "300")
    monkeypatch.setenv("DJPK_VAR_DIR", str(tmp_path))
    channel = WhatsAppInput.from_credentials({"graph_url": graph.url, "app_secret": SECRET})
    assert channel.gate.limit == 300
    assert channel.body_limit == length.WHATSAPP_BODY_LIMIT
