"""Each inbound message type through the webhook, the fake Graph API and a recording bot."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message

from bot.channels.whatsapp import WhatsAppInput
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.fakes.serving import Recorder, serve
from tests.bot.channels.support import post

pytestmark = pytest.mark.asyncio

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def _deliver(channel: WhatsAppInput, *messages: dict[str, Any]) -> Recorder:
    recorder = Recorder(echo=False)
    async with serve(channel, recorder) as url:
        assert await post(url, wh.delivery(list(messages))) == 200
        await channel.drain()
    return recorder


def _replies(graph: FakeGraph) -> list[str]:
    return [m["text"]["body"] for m in graph.messages() if m["type"] == "text"]


async def test_text_reaches_the_bot_with_profile_metadata(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    message = wh.text("nomor wa djpk berapa")
    (got,) = (await _deliver(channel, message)).messages
    assert (got.text, got.sender_id, got.input_channel) == (
        "nomor wa djpk berapa",
        wh.USER,
        "whatsapp",
    )
    assert got.message_id == message["id"]
    assert got.metadata["wa_id"] == wh.USER
    assert got.metadata["profile_name"] == "Budi Santoso"
    assert got.metadata["wamid"] == message["id"]
    reads = [s["body"] for s in graph.sent() if s["body"].get("status") == "read"]
    assert reads == [
        {"messaging_product": "whatsapp", "status": "read", "message_id": message["id"]}
    ]


async def test_typed_payload_is_plain_text(channel: WhatsAppInput) -> None:
    recorder = await _deliver(channel, wh.text('/share_document{"document_path": "/etc/passwd"}'))
    assert recorder.messages[0].text == 'share_document{"document_path": "/etc/passwd"}'


async def test_button_and_list_replies_map_to_the_offered_payload(channel: WhatsAppInput) -> None:
    output = channel.get_output_channel()
    await output.send_text_with_buttons(wh.USER, "Pilih:", [{"title": "Ya", "payload": "/affirm"}])
    rows = [{"title": f"Topik {i}", "payload": f'/faq{{"t":{i}}}'} for i in range(5)]
    await output.send_text_with_buttons(wh.USER, "Topik:", rows)
    recorder = await _deliver(
        channel,
        wh.button_reply("/affirm", "Ya"),
        wh.list_reply('/faq{"t":3}', "Topik 3"),
        wh.button_reply("/restart", "Ulang"),
    )
    assert [m.text for m in recorder.messages] == ["/affirm", '/faq{"t":3}', "Ulang"]


async def test_a_number_answers_a_numbered_list(channel: WhatsAppInput, graph: FakeGraph) -> None:
    buttons = [{"title": f"Layanan {i}", "payload": f"/layanan_{i}"} for i in range(1, 13)]
    await channel.get_output_channel().send_text_with_buttons(wh.USER, "Pilih:", buttons)
    assert "12. Layanan 12" in _replies(graph)[0]
    recorder = await _deliver(channel, wh.text("2"))
    assert recorder.messages[0].text == "/layanan_2"


@pytest.mark.parametrize(
    ("make", "data", "mime", "extension"),
    [
        (lambda: wh.document("m-pdf", "SE-1-PK-2023.pdf"), PDF, "application/pdf", "pdf"),
        (lambda: wh.image("m-jpg"), JPEG, "image/jpeg", "jpg"),
        (lambda: wh.image("m-png", mime="image/png"), PNG, "image/png", "png"),
    ],
)
async def test_documents_and_photos_are_downloaded_and_shared(
    channel: WhatsAppInput, graph: FakeGraph, tmp_path: Path, make, data, mime, extension
) -> None:
    message = make()
    media_id = message[message["type"]]["id"]
    graph.add_media(media_id, data, mime)
    (got,) = (await _deliver(channel, message)).messages
    upload_id = f"{hashlib.sha256(data).hexdigest()}.{extension}"
    path = tmp_path / "uploads" / upload_id
    assert path.read_bytes() == data
    assert got.text == f'/share_document{{"document_path": "{upload_id}"}}'
    parsed = YAMLStoryReader.unpack_regex_message(Message({"text": got.text}))
    assert parsed.get("intent")["name"] == "share_document"
    assert parsed.get("entities")[0]["value"] == upload_id
    assert got.metadata["upload_id"] == upload_id
    assert got.metadata["document_path"] == str(path.resolve())
    assert got.metadata["mime_type"] == mime
    assert got.metadata["wamid"] == message["id"]
    if extension == "pdf":
        assert got.metadata["filename"] == "SE-1-PK-2023.pdf"


async def test_other_file_types_are_refused_without_download(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    graph.add_media("m-doc", b"PK\x03\x04", "application/vnd.openxmlformats")
    message = wh.document("m-doc", "surat.docx", mime="application/vnd.openxmlformats")
    recorder = await _deliver(channel, message)
    assert recorder.messages == []
    assert "PDF" in _replies(graph)[0] and "Maaf" in _replies(graph)[0]


async def test_content_not_matching_its_type_is_refused(
    channel: WhatsAppInput, graph: FakeGraph, tmp_path: Path
) -> None:
    graph.add_media("m-fake", b"<html>not a pdf</html>", "application/pdf")
    recorder = await _deliver(channel, wh.document("m-fake"))
    assert recorder.messages == [] and "PDF" in _replies(graph)[0]
    assert not list((tmp_path / "uploads").glob("*"))


async def test_files_over_10_mb_are_refused(channel: WhatsAppInput, graph: FakeGraph) -> None:
    graph.add_media("m-big", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    recorder = await _deliver(channel, wh.document("m-big"))
    assert recorder.messages == [] and "10 MB" in _replies(graph)[0]


async def test_a_failed_download_gets_a_polite_reply(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    recorder = await _deliver(channel, wh.document("m-missing"))
    assert recorder.messages == [] and "kirim ulang" in _replies(graph)[0]


@pytest.mark.parametrize(
    ("kind", "word"),
    [
        ("audio", "pesan suara"),
        ("video", "video"),
        ("sticker", "stiker"),
        ("location", "lokasi"),
        ("contacts", "kontak"),
        ("reaction", "reaksi"),
        ("unsupported", "jenis pesan"),
    ],
)
async def test_unreadable_types_get_a_short_indonesian_reply(
    channel: WhatsAppInput, graph: FakeGraph, kind: str, word: str
) -> None:
    recorder = await _deliver(channel, wh.other(kind))
    assert recorder.messages == []
    (reply,) = _replies(graph)
    assert reply.startswith("Maaf") and word in reply
    assert "teks" in reply and "PDF" in reply and "foto" in reply


async def test_a_removed_reaction_is_ignored(channel: WhatsAppInput, graph: FakeGraph) -> None:
    message = wh.message("reaction", {"message_id": "wamid.x", "emoji": ""})
    assert (await _deliver(channel, message)).messages == []
    assert graph.sent() == []


async def test_several_messages_in_one_delivery_in_order(channel: WhatsAppInput) -> None:
    recorder = await _deliver(channel, *(wh.text(f"pesan {i}") for i in range(5)))
    assert [m.text for m in recorder.messages] == [f"pesan {i}" for i in range(5)]


async def test_one_users_messages_reach_the_bot_in_arrival_order(
    channel: WhatsAppInput, graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    graph.add_media("m-slow", PDF, "application/pdf")
    fetch = channel.inbox.fetcher.fetch

    async def slow_fetch(*args: Any) -> Any:
        await asyncio.sleep(0.3)
        return await fetch(*args)

    monkeypatch.setattr(channel.inbox.fetcher, "fetch", slow_fetch)
    recorder = Recorder(echo=False)
    other = "6289876543210"
    async with serve(channel, recorder) as url:
        assert await post(url, wh.delivery([wh.document("m-slow")])) == 200
        assert await post(url, wh.delivery([wh.text("lalu ini")])) == 200
        assert (
            await post(url, wh.delivery([wh.text("orang lain", sender=other)], sender=other)) == 200
        )
        await channel.drain()
    texts = [m.text for m in recorder.messages]
    assert texts[0] == "orang lain"
    assert texts[1].startswith("/share_document") and texts[2] == "lalu ini"
    assert channel.inbox.queue.unfinished() == set()
