"""The output channel: sanitised texts and buttons, offered payloads recorded per conversation."""

from __future__ import annotations

from typing import Any

from bot.channels.webchat.output import SafeSocketIOOutput, bubbles, offered_payloads, quick_reply


class FakeServer:
    """Records emits instead of sending them."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, dict[str, Any]]] = []

    async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None:
        self.emitted.append((event, data, kwargs))


class Offers:
    """Records offers like PayloadGuard.offer."""

    def __init__(self) -> None:
        self.offers: list[tuple[str, list[str]]] = []

    def offer(self, conversation_id: str, payloads: list[str]) -> list[str]:
        self.offers.append((conversation_id, list(payloads)))
        return payloads


def make() -> tuple[SafeSocketIOOutput, FakeServer, Offers]:
    server, offers = FakeServer(), Offers()
    return SafeSocketIOOutput(server, "bot_uttered", offers), server, offers  # type: ignore[arg-type]


async def test_buttons_are_recorded_before_they_are_sent() -> None:
    output, server, offers = make()
    buttons = [{"title": "Ya", "payload": "/affirm"}, {"title": "Situs", "url": "https://a.id"}]
    await output.send_text_with_buttons("c1", "Satu\n\nDua", buttons)
    assert offers.offers == [("c1", ["/affirm"])]
    assert [data["text"] for _, data, _ in server.emitted] == ["Satu", "Dua"]
    assert server.emitted[-1][1]["quick_replies"] == [
        {"content_type": "text", "title": "Ya", "payload": "/affirm"},
        {"type": "web_url", "title": "Situs", "url": "https://a.id"},
    ]
    assert all(kwargs == {"room": "c1"} for _, _, kwargs in server.emitted)


async def test_unsafe_url_buttons_are_dropped_and_texts_cleaned() -> None:
    output, server, _ = make()
    buttons = [{"title": "[x](javascript:a())", "url": "javascript:alert(1)"}]
    await output.send_text_with_buttons("c1", "[klik](javascript:alert(1))", buttons)
    expected = ("bot_uttered", {"text": "klik", "quick_replies": []}, {"room": "c1"})
    assert server.emitted == [expected]


async def test_custom_json_cannot_choose_its_room() -> None:
    output, server, offers = make()
    await output.send_custom_json(
        "c1", {"data": {"text": "[a](javascript:x)", "room": "c2"}, "room": "c2"}
    )
    assert server.emitted == [("bot_uttered", {"text": "a"}, {"room": "c1"})]
    assert offers.offers == []


async def test_images_only_from_http() -> None:
    output, server, _ = make()
    await output.send_image_url("c1", "javascript:alert(1)")
    await output.send_image_url("c1", "data:image/png;base64,AAAA")
    await output.send_image_url("c1", "https://djpk.kemenkeu.go.id/logo.png")
    assert len(server.emitted) == 1


def test_quick_reply_and_payload_discovery() -> None:
    assert quick_reply({"title": "t", "url": "vbscript:x"}) is None
    assert quick_reply({"title": "t"}) == {"content_type": "text", "title": "t", "payload": "t"}
    cards = [{"buttons": [{"title": "a", "payload": "/a"}, {"title": "b", "type": "web_url"}]}]
    assert offered_payloads(cards) == ["/a"]


def test_paragraphs_are_bubbles_and_lines_are_hard_breaks() -> None:
    text = "Kanal resmi DJPK:\n• WhatsApp 0811-150420-7\n• Dering DJPK 150420\n\n\nTerima kasih"
    assert bubbles(text) == [
        "Kanal resmi DJPK:  \n• WhatsApp 0811-150420-7  \n• Dering DJPK 150420",
        "Terima kasih",
    ]
    assert bubbles("") == [""]
