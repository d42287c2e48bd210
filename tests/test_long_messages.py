"""The length cap through the real trained bot over REST: Rasa server + action server, real HTTP."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
import requests

from bot.channels import length
from harness.stack import Stack
from tests.stacks import needs_model

pytestmark = needs_model

EVAL_WANT = re.compile(r"(?i)(terlalu panjang|maksimal|singkat|ringkas)")  # conversations-dev.yml
FILLER = "mohon info dana alokasi umum "


def long_text(chars: int) -> str:
    """What ../shared/eval/run_conversations.py sends for LONG:<chars>."""
    return (FILLER * (chars // len(FILLER) + 1))[:chars]


@pytest.fixture
def stack(open_stack):
    """The session's shared stack (tests/conftest.py); the conversation ids keep tests apart."""
    return open_stack


def said(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def user_events(stack: Stack, sender: str) -> list[dict]:
    """The user events of one conversation, as the tracker store saved them."""
    with sqlite3.connect(stack.tracker_db) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender,),
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def test_the_evaluations_long_message_gets_one_polite_line(stack):
    replies = stack.say("long-1", long_text(20_000))
    assert replies == [{"recipient_id": "long-1", "text": length.reply()}]
    assert EVAL_WANT.search(said(replies))
    assert "0811-150420-7" in said(stack.say("long-1", "min nomor wa djpk brp ya"))


def test_the_conversation_keeps_a_cut_copy_that_nlu_never_parsed(stack):
    stack.say("long-2", long_text(20_000))
    (event,) = user_events(stack, "long-2")
    assert event["text"] == length.kept_copy(long_text(20_000))
    assert event["text"].endswith("[…dipotong; pesan asli 20.000 karakter]")
    assert event["parse_data"]["intent"]["name"] is None
    assert event["metadata"]["too_long"] == {"chars": 20_000, "limit": length.MAX_CHARS}


def test_a_message_at_the_cap_is_still_understood(stack):
    question = "min nomor wa djpk brp ya "
    text = (question * (length.MAX_CHARS // len(question)))[: length.MAX_CHARS]
    reply = said(stack.say("long-3", text))
    assert reply and reply != length.reply()


def test_a_long_message_inside_a_form_leaves_the_form_asking(stack):
    assert "nama" in said(stack.say("long-4", "saya mau bicara dengan petugas"))
    assert said(stack.say("long-4", long_text(20_000))) == length.reply()
    assert "instansi" in said(stack.say("long-4", "Budi Santoso"))
    assert "permasalahan" in said(stack.say("long-4", "BPKAD Kab. Brebes"))
    texts = [event["text"] for event in user_events(stack, "long-4")]
    assert texts[1:] == [length.kept_copy(long_text(20_000)), "Budi Santoso", "BPKAD Kab. Brebes"]


def test_a_body_of_several_megabytes_is_refused_with_413(stack):
    huge = json.dumps({"sender": "long-5", "message": "a" * (5 * 1024 * 1024)})
    response = requests.post(
        f"{stack.url}/webhooks/rest/webhook",
        data=huge,
        headers={"Content-Type": "application/json", **stack.headers},
        timeout=60,
    )
    assert response.status_code == 413
    assert EVAL_WANT.search(response.json()["message"])
    assert user_events(stack, "long-5") == []
    assert stack.say("long-5", "halo")
