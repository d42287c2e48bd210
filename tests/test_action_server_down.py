"""A real stack whose action server needs its token, then dies and comes back: Rasa sends the
token, the user gets one apology with the official contacts while it is down, and the next message
after it returns is answered as usual."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

import pytest
import requests

from components.action_outage import MARK
from harness.stack import ROOT, Stack
from tests.stacks import kb_copy, needs_model, start_stack

pytestmark = needs_model
VECTORS = ROOT / "var" / "kb-embeddings.sqlite"  # shared by the stacks: entries embedded once
WHATSAPP = "0899-0000-1234"  # only in this stack's contacts.yml: the apology reads the file
QUESTION = "nomor whatsapp djpk berapa"  # answered by a custom action (the FAQ search)
ANSWER = "Nomor WhatsApp resmi Contact Center DJPK"  # knowledge_base/faq/sekretariat.yml


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    kb = kb_copy(tmp_path_factory.mktemp("kb"))
    contacts = kb / "contacts.yml"
    text = contacts.read_text()
    contacts.write_text(text.replace("whatsapp:", f'whatsapp: "{WHATSAPP}"\nold_whatsapp:', 1))
    running = start_stack(
        kb, tmp_path_factory.mktemp("var"), env={"DJPK_VECTOR_CACHE": str(VECTORS)}
    )
    yield running
    running.stop()


def recorded_bot_events(stack: Stack, sender: str) -> list[tuple[str, dict]]:
    """(text, metadata) of the bot events the tracker store saved for `sender`."""
    with sqlite3.connect(stack.tracker_db) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'bot' ORDER BY id",
            (sender,),
        ).fetchall()
    events = [json.loads(data) for (data,) in rows]
    return [(event["text"], event.get("metadata") or {}) for event in events]


def texts(stack: Stack, sender: str, text: str) -> list[str]:
    return [reply.get("text", "") for reply in stack.say(sender, text)]


def test_rasa_calls_the_action_server_with_its_token(stack: Stack) -> None:
    url = f"http://127.0.0.1:{stack.action_port}/webhook"
    call = {"next_action": "action_answer_faq", "tracker": {"sender_id": "x"}, "domain": {}}
    assert requests.post(url, json=call, timeout=10).status_code == 401
    answer = "\n".join(texts(stack, "door-1", QUESTION))
    assert ANSWER in answer and "Mohon maaf" not in answer


def test_while_the_action_server_is_down_one_apology_then_service_again(stack: Stack) -> None:
    stack.stop_action_server()
    apology = texts(stack, "down-1", QUESTION)
    assert len(apology) == 1, apology
    assert apology[0].startswith("Mohon maaf") and WHATSAPP in apology[0]
    assert "Dering" in apology[0] and "@kemenkeu.go.id" in apology[0]
    (recorded,) = recorded_bot_events(stack, "down-1")
    assert recorded[0] == apology[0] and recorded[1][MARK] == ["action_answer_faq"]

    stack.start_action_server()  # same port, same token
    again = "\n".join(texts(stack, "down-1", QUESTION))
    assert ANSWER in again and "Mohon maaf" not in again
