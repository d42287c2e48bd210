"""Message builders: text splitting, reply buttons, lists, numbered text, templates."""

from __future__ import annotations

import pytest

from bot.channels import outbound
from bot.channels.outbound import Option, split_text


def _words(chunks: list[str]) -> list[str]:
    return " ".join(chunks).split()


def test_short_text_is_one_chunk() -> None:
    assert split_text("  Halo, ada yang bisa dibantu?  ") == ["Halo, ada yang bisa dibantu?"]
    assert split_text("") == []
    assert split_text("x" * 4096) == ["x" * 4096]


def test_split_prefers_paragraph_boundaries() -> None:
    first, second = "a" * 3000, "b" * 3000
    assert split_text(f"{first}\n\n{second}") == [first, second]


def test_paragraphs_are_packed_together_while_they_fit() -> None:
    paragraphs = ["p" * 1000] * 6
    chunks = split_text("\n\n".join(paragraphs))
    assert len(chunks) == 2
    assert chunks[0] == "\n\n".join(paragraphs[:4])
    assert all(len(c) <= 4096 for c in chunks)


def test_long_paragraph_splits_on_lines_then_words() -> None:
    lines = "\n".join(["baris " * 50] * 30)
    chunks = split_text(lines)
    assert all(len(c) <= 4096 for c in chunks)
    assert all(not c.startswith("\n") for c in chunks)
    assert _words(chunks) == lines.split()

    words = " ".join(["kata"] * 3000)
    chunks = split_text(words)
    assert all(len(c) <= 4096 for c in chunks) and len(chunks) == 4
    assert _words(chunks) == words.split()


def test_a_single_huge_word_is_cut_hard() -> None:
    chunks = split_text("z" * 10000)
    assert [len(c) for c in chunks] == [4096, 4096, 1808]


def test_custom_limit() -> None:
    assert split_text("satu dua tiga", limit=8) == ["satu dua", "tiga"]


def test_reply_buttons_cut_titles_and_keep_payload_ids() -> None:
    options = [
        Option('/pilih{"unit":"dana_transfer"}', "Dana Transfer Umum dan Khusus"),
        Option("/b", "B"),
    ]
    body = outbound.buttons_message("628", "Pilih topik:", options)
    assert body["type"] == "interactive" and body["to"] == "628"
    interactive = body["interactive"]
    assert interactive["type"] == "button"
    buttons = interactive["action"]["buttons"]
    assert [b["reply"]["id"] for b in buttons] == [o.id for o in options]
    assert all(len(b["reply"]["title"]) <= 20 for b in buttons)
    assert buttons[0]["reply"]["title"].endswith("…")
    assert interactive["body"]["text"] == "Pilih topik:"


@pytest.mark.parametrize("count", [0, 4])
def test_reply_buttons_take_one_to_three(count: int) -> None:
    with pytest.raises(ValueError):
        outbound.buttons_message("628", "x", [Option(str(i), str(i)) for i in range(count)])


def test_list_message_limits() -> None:
    options = [
        Option(f"/p{i}", f"Pilihan nomor {i} yang judulnya sangat panjang sekali")
        for i in range(10)
    ]
    body = outbound.list_message("628", "Pilih:", options)
    action = body["interactive"]["action"]
    assert body["interactive"]["type"] == "list"
    assert len(action["button"]) <= 20
    rows = action["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [o.id for o in options]
    assert all(len(r["title"]) <= 24 for r in rows)
    assert all(len(r["description"]) <= 72 for r in rows)
    short = outbound.list_message("628", "Pilih:", [Option("/a", "Pendek")] * 4)
    assert "description" not in short["interactive"]["action"]["sections"][0]["rows"][0]
    with pytest.raises(ValueError):
        outbound.list_message("628", "x", [Option("/a", "a")] * 11)


def test_numbered_text_lists_every_title() -> None:
    text = outbound.numbered_text("Pilih layanan:", [f"Layanan {i}" for i in range(1, 13)])
    assert text.startswith("Pilih layanan:\n\n1. Layanan 1\n2. Layanan 2")
    assert "12. Layanan 12" in text and "nomor" in text


def test_template_spec_with_and_without_language() -> None:
    assert outbound.template_message("628", "lanjutkan_percakapan")["template"] == {
        "name": "lanjutkan_percakapan",
        "language": {"code": "id"},
    }
    assert outbound.template_message("628", "hello_world:en_US")["template"]["language"] == {
        "code": "en_US"
    }


def test_media_and_read_receipt_bodies() -> None:
    image = outbound.image_message("628", "https://x/y.png")
    assert image["image"] == {"link": "https://x/y.png"}
    doc = outbound.document_message("628", "https://x/s.pdf", "surat.pdf", "Surat edaran")
    assert doc["document"] == {
        "link": "https://x/s.pdf",
        "filename": "surat.pdf",
        "caption": "Surat edaran",
    }
    assert outbound.read_receipt("wamid.1") == {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.1",
    }
