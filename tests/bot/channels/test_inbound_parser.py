"""Parsing Meta's documented webhook shapes into Inbound messages and Status updates."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.inbound import Kind, parse_delivery
from harness.fakes import webhooks as wh


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (wh.text("Halo min"), {"kind": Kind.TEXT, "text": "Halo min"}),
        (
            wh.button_reply("/faq_dau", "DAU"),
            {"kind": Kind.CHOICE, "choice_id": "/faq_dau", "text": "DAU"},
        ),
        (
            wh.list_reply("/faq_dak", "DAK Fisik"),
            {"kind": Kind.CHOICE, "choice_id": "/faq_dak", "text": "DAK Fisik"},
        ),
        (
            wh.message("button", {"payload": "/lanjut", "text": "Lanjutkan"}),
            {"kind": Kind.CHOICE, "choice_id": "/lanjut", "text": "Lanjutkan"},
        ),
        (
            wh.document("m1", "surat.pdf", caption="asli?"),
            {
                "kind": Kind.DOCUMENT,
                "media_id": "m1",
                "mime_type": "application/pdf",
                "filename": "surat.pdf",
                "text": "asli?",
            },
        ),
        (wh.image("m2"), {"kind": Kind.IMAGE, "media_id": "m2", "mime_type": "image/jpeg"}),
        (wh.other("audio"), {"kind": Kind.AUDIO}),
        (wh.other("video"), {"kind": Kind.VIDEO}),
        (wh.other("sticker"), {"kind": Kind.STICKER}),
        (wh.other("location"), {"kind": Kind.LOCATION}),
        (wh.other("contacts"), {"kind": Kind.CONTACTS}),
        (wh.other("reaction"), {"kind": Kind.REACTION, "text": "\U0001f44d"}),
        (wh.message("reaction", {"message_id": "wamid.x", "emoji": ""}), {"kind": Kind.IGNORED}),
        (wh.other("unsupported"), {"kind": Kind.UNSUPPORTED}),
        (wh.message("order", {"catalog_id": "1", "product_items": []}), {"kind": Kind.UNSUPPORTED}),
        (wh.message("system", {"body": "number changed"}), {"kind": Kind.IGNORED}),
        (wh.message("interactive", {"type": "nfm_reply"}), {"kind": Kind.UNSUPPORTED}),
    ],
)
def test_message_shapes(message: dict[str, Any], expected: dict[str, Any]) -> None:
    delivery = parse_delivery(wh.delivery([message]))
    assert delivery.statuses == ()
    (inbound,) = delivery.messages
    assert inbound.wamid == message["id"]
    assert inbound.sender == wh.USER
    assert inbound.profile_name == "Budi Santoso"
    assert inbound.phone_number_id == wh.PHONE_NUMBER_ID
    for field, value in expected.items():
        assert getattr(inbound, field) == value, field


def test_statuses_are_not_messages() -> None:
    body = wh.delivery(
        statuses=[
            wh.status("wamid.a", "sent"),
            wh.status("wamid.a", "delivered"),
            wh.status("wamid.b", "failed", error_code=131047),
        ]
    )
    delivery = parse_delivery(body)
    assert delivery.messages == ()
    assert [(s.wamid, s.status) for s in delivery.statuses] == [
        ("wamid.a", "sent"),
        ("wamid.a", "delivered"),
        ("wamid.b", "failed"),
    ]
    failed = delivery.statuses[2]
    assert (failed.error_code, failed.error_title, failed.recipient) == (
        131047,
        "Re-engagement message",
        wh.USER,
    )


def test_several_messages_entries_and_changes_keep_their_order() -> None:
    first = wh.delivery([wh.text("satu"), wh.text("dua")])
    second = wh.delivery([wh.text("tiga", sender="6289999")], name="Siti", sender="6289999")
    first["entry"][0]["changes"].append(
        wh.delivery(statuses=[wh.status("w")])["entry"][0]["changes"][0]
    )
    first["entry"].extend(second["entry"])
    delivery = parse_delivery(first)
    assert [m.text for m in delivery.messages] == ["satu", "dua", "tiga"]
    assert [m.profile_name for m in delivery.messages] == ["Budi Santoso", "Budi Santoso", "Siti"]
    assert len(delivery.statuses) == 1


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        "x",
        {},
        {"entry": None},
        {"entry": [{"changes": [{"value": None}]}]},
        {"entry": [{"changes": [{"value": {"messages": [{"type": "text"}]}}]}]},
    ],
)
def test_unknown_shapes_are_skipped(body: Any) -> None:
    delivery = parse_delivery(body)
    assert delivery.messages == () and delivery.statuses == ()
