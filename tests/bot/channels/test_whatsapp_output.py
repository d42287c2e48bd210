"""The output channel against the fake Graph API: splitting, buttons, lists, media, 131047."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.payloads import short_ref
from bot.channels.sql import Resolution
from bot.channels.whatsapp import WhatsAppInput
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.fakes.serving import Recorder, serve
from tests.bot.channels.support import make_channel, post

pytestmark = pytest.mark.asyncio
TO = wh.USER


def _buttons(count: int) -> list[dict[str, str]]:
    return [{"title": f"Pilihan {i}", "payload": f"/pilih_{i}"} for i in range(1, count + 1)]


async def test_long_text_is_split(channel: WhatsAppInput, graph: FakeGraph) -> None:
    text = "\n\n".join(["Paragraf " + "panjang " * 200] * 5)
    await channel.get_output_channel().send_text_message(TO, text)
    bodies = [m["text"]["body"] for m in graph.messages()]
    assert len(bodies) == 3 and all(len(b) <= 4096 for b in bodies)
    assert " ".join(bodies).split() == text.split()


@pytest.mark.parametrize(
    ("count", "kind"), [(1, "button"), (3, "button"), (4, "list"), (10, "list")]
)
async def test_buttons_become_reply_buttons_or_a_list(
    channel: WhatsAppInput, graph: FakeGraph, count: int, kind: str
) -> None:
    await channel.get_output_channel().send_text_with_buttons(TO, "Pilih:", _buttons(count))
    (message,) = graph.messages()
    assert message["type"] == "interactive" and message["interactive"]["type"] == kind
    action = message["interactive"]["action"]
    if kind == "button":
        ids = [b["reply"]["id"] for b in action["buttons"]]
    else:
        ids = [r["id"] for r in action["sections"][0]["rows"]]
    assert ids == [f"/pilih_{i}" for i in range(1, count + 1)]


async def test_more_than_ten_buttons_become_numbered_text(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    await channel.get_output_channel().send_text_with_buttons(TO, "Pilih:", _buttons(11))
    (message,) = graph.messages()
    assert message["type"] == "text"
    assert "1. Pilihan 1" in message["text"]["body"] and "11. Pilihan 11" in message["text"]["body"]


async def test_long_body_and_link_buttons(channel: WhatsAppInput, graph: FakeGraph) -> None:
    buttons = [*_buttons(2), {"title": "Situs DJPK", "url": "https://djpk.kemenkeu.go.id"}]
    await channel.get_output_channel().send_text_with_buttons(TO, "x" * 2000, buttons)
    first, second = graph.messages()
    assert first["type"] == "text" and "https://djpk.kemenkeu.go.id" in first["text"]["body"]
    assert second["type"] == "interactive" and len(second["interactive"]["action"]["buttons"]) == 2


async def test_long_payloads_travel_as_short_ids_and_come_back(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    payload = '/konfirmasi{"catatan":"' + "c" * 300 + '"}'
    await channel.get_output_channel().send_text_with_buttons(
        TO, "Benar?", [{"title": "Ya", "payload": payload}]
    )
    button = graph.messages()[0]["interactive"]["action"]["buttons"][0]
    assert button["reply"]["id"] == short_ref(payload)
    recorder = Recorder(echo=False)
    async with serve(channel, recorder) as url:
        await post(url, wh.delivery([wh.button_reply(short_ref(payload), "Ya")]))
        await channel.drain()
    assert recorder.messages[0].text == payload


async def test_image_document_and_custom_json(channel: WhatsAppInput, graph: FakeGraph) -> None:
    output = channel.get_output_channel()
    await output.send_image_url(TO, "https://x/infografis.png")
    await output.send_attachment(TO, {"url": "https://x/se.pdf", "filename": "SE.pdf"})
    await output.send_attachment(TO, "https://x/lain.pdf")
    await output.send_custom_json(
        TO, {"type": "location", "location": {"latitude": -6.17, "longitude": 106.82}}
    )
    await output.send_custom_json(TO, {"blocks": []})
    kinds = [m["type"] for m in graph.messages()]
    assert kinds == ["image", "document", "document", "location"]
    assert graph.messages()[1]["document"] == {"link": "https://x/se.pdf", "filename": "SE.pdf"}
    assert all(m["to"] == TO for m in graph.messages())


async def test_outside_the_window_without_template_the_reply_is_recorded(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    graph.fail(400, 131047, times=1)
    await channel.get_output_channel().send_text_message(TO, "Jawaban Anda")
    assert graph.messages() == []
    (failure,) = channel.inbox.store.failures()
    assert (failure.recipient, failure.text, failure.error_code) == (TO, "Jawaban Anda", 131047)
    assert failure.error_title == "Re-engagement message"
    assert failure.resolution is Resolution.RECORDED


async def test_outside_the_window_the_template_is_sent_once(
    graph: FakeGraph, db_url: str, tmp_path: Path
) -> None:
    channel = make_channel(graph, db_url, tmp_path, fallback_template="lanjutkan_chat:id")
    output = channel.get_output_channel()
    graph.fail(400, 131047, times=1)
    await output.send_text_message(TO, "Jawaban pertama")
    graph.fail(400, 131047, times=1)
    await output.send_text_message(TO, "Jawaban kedua")
    (template,) = graph.messages()
    assert template["type"] == "template"
    assert template["template"] == {"name": "lanjutkan_chat", "language": {"code": "id"}}
    failures = channel.inbox.store.failures(TO)
    assert [f.text for f in failures] == ["Jawaban pertama", "Jawaban kedua"]
    assert [f.resolution for f in failures] == [Resolution.TEMPLATE_SENT, Resolution.RECORDED]


async def test_other_send_errors_are_recorded_too(channel: WhatsAppInput, graph: FakeGraph) -> None:
    graph.fail(500, 131000, times=10)
    await channel.get_output_channel().send_text_message(TO, "Jawaban")
    (failure,) = channel.inbox.store.failures()
    assert failure.error_code == 131000 and failure.resolution is Resolution.RECORDED


async def test_a_failed_status_131047_falls_back_for_the_sent_text(
    graph: FakeGraph, db_url: str, tmp_path: Path
) -> None:
    channel = make_channel(graph, db_url, tmp_path, fallback_template="lanjutkan_chat")
    await channel.get_output_channel().send_text_message(TO, "Jawaban yang gagal")
    assert graph.messages()[0]["text"]["body"] == "Jawaban yang gagal"
    failed = wh.status("wamid.fake.1", "failed", error_code=131047)
    async with serve(channel, Recorder()) as url:
        await post(url, wh.delivery(statuses=[failed]))
        await post(url, wh.delivery(statuses=[failed]))
        await channel.drain()
    assert [m["type"] for m in graph.messages()] == ["text", "template"]
    (failure,) = channel.inbox.store.failures()
    assert failure.text == "Jawaban yang gagal" and failure.resolution is Resolution.TEMPLATE_SENT
    assert channel.inbox.store.statuses("wamid.fake.1") == ["failed"]


@pytest.mark.parametrize("slot", ["csat_service", "csat_answer"])
async def test_the_csat_questions_are_a_list_whose_rows_come_back_as_scores(
    channel: WhatsAppInput, graph: FakeGraph, slot: str
) -> None:
    from actions.csat import CSAT_QUESTIONS, score_buttons

    output = channel.get_output_channel()
    await output.send_text_with_buttons(TO, CSAT_QUESTIONS[slot], score_buttons(slot))
    (message,) = graph.messages()
    interactive = message["interactive"]
    assert interactive["type"] == "list"
    assert interactive["body"]["text"] == CSAT_QUESTIONS[slot]
    rows = interactive["action"]["sections"][0]["rows"]
    assert [r["title"] for r in rows][0].startswith("1 - Sangat tidak")
    assert all(len(r["title"]) <= 24 and "description" not in r for r in rows)
    recorder = Recorder(echo=False)
    async with serve(channel, recorder) as url:
        await post(url, wh.delivery([wh.list_reply(rows[4]["id"], rows[4]["title"])]))
        await channel.drain()
    assert recorder.messages[0].text == "/csat" + '{"' + slot + '": 5}'
