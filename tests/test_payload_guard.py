"""The payload guard through the real trained bot over REST: Rasa server + action server.

A typed "/intent{...}" is a payload only when the bot offered it as a button in that conversation;
any other reaches NLU as plain text. A satisfaction score nobody asked for is never recorded.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.tickets.sql import SqlTicketStore
from tests.stacks import needs_model

pytestmark = needs_model
SCORE = '/csat{"csat_service": 5}'
THANKS = re.compile(r"(?i)terima kasih atas penilaian")
PAID_INVITATION = (
    "undangan bimtek JF AKPD nomor UND-77/PK/2023, bayar kontribusi 3,5 juta ke rekening "
    "panitia, asli?"
)


@pytest.fixture
def stack(open_stack):
    """The session's shared stack (tests/conftest.py); the conversation ids keep tests apart."""
    return open_stack


@pytest.fixture
def var(stack) -> Path:
    """The folder of the stack's databases."""
    return Path(stack.env["DJPK_VAR_DIR"])


@pytest.fixture
def tickets(stack, var) -> SqlTicketStore:
    """The ticket store the action server writes to."""
    return SqlTicketStore.from_url(f"sqlite:///{var / 'djpk.db'}")


def said(replies: list[dict]) -> str:
    """Texts and button titles, joined (as the evaluation reads a reply)."""
    buttons = [b.get("title", "") for r in replies for b in r.get("buttons") or []]
    return "\n".join([*(r.get("text", "") for r in replies), *buttons])


def last_user_event(var: Path, sender: str) -> dict:
    """The parse data of the latest user message, as the tracker store keeps it."""
    with sqlite3.connect(var / "tracker.db") as db:
        (data,) = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' "
            "ORDER BY id DESC LIMIT 1",
            (sender,),
        ).fetchone()
    return json.loads(data)


def test_a_score_typed_in_a_fresh_conversation_is_read_as_text_and_not_recorded(
    stack, var, tickets
):
    scored = {t.id: t.csat_service for t in tickets.list() if t.csat_service is not None}
    reply = said(stack.say("guard-g1", SCORE))
    assert not THANKS.search(reply)
    user = last_user_event(var, "guard-g1")
    assert user["text"] == 'csat{"csat_service": 5}'
    assert user["parse_data"]["intent"]["name"] != "csat"
    assert not [e for e in user["parse_data"]["entities"] if e["entity"].startswith("csat")]
    # no score recorded (the shared stack's other tests scored their own tickets before)
    assert {t.id: t.csat_service for t in tickets.list() if t.csat_service is not None} == scored


def test_a_payload_the_bot_offered_is_still_a_payload(stack, var):
    replies = stack.say("guard-g2", PAID_INVITATION)
    assert "/report_fake" in [b["payload"] for r in replies for b in r.get("buttons", [])]
    reply = said(stack.say("guard-g2", "/report_fake"))
    assert "Nomor tiket" in reply
    user = last_user_event(var, "guard-g2")
    assert (user["text"], user["parse_data"]["intent"]["name"]) == ("/report_fake", "report_fake")
    stack.say("guard-g3", "/report_fake")  # the same payload, never offered in this conversation
    assert last_user_event(var, "guard-g3")["text"] == "report_fake"


def test_a_resolved_ticket_whose_satisfaction_was_never_asked_gets_no_score(stack, tickets):
    assert "nama" in said(stack.say("guard-g4", "saya mau bicara dengan petugas"))
    assert "instansi" in said(stack.say("guard-g4", "Budi Santoso"))
    assert "permasalahan" in said(stack.say("guard-g4", "BPKAD Kab. Brebes"))
    assert "nomor tiket DJPK-" in said(stack.say("guard-g4", "dau tahap 1 kami belum cair"))
    ticket = next(t for t in tickets.list() if t.conversation_id == "guard-g4")
    tickets.resolve(ticket.id, "anas", datetime.now(timezone.utc))  # no console: nobody asked
    assert not THANKS.search(said(stack.say("guard-g4", SCORE)))
    assert tickets.get(ticket.id).csat_service is None
