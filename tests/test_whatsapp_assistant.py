"""WhatsApp through the real assistant: signed webhooks in, replies at a fake Graph API out."""

from __future__ import annotations

import time

import pytest
import requests
from fpdf import FPDF

from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.stack import ROOT, Stack

MODEL = ROOT / "models" / "djpk.tar.gz"
SECRET = "e2e-app-secret"
pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")


@pytest.fixture(scope="module")
def graph():
    fake = FakeGraph(token="e2e-token").start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def stack(graph, tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    env = {
        "DJPK_DB_URL": f"sqlite:///{var / 'djpk.db'}",
        "DJPK_VAR_DIR": str(var),
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_ACCESS_TOKEN": "e2e-token",
        "WHATSAPP_GRAPH_URL": graph.url,
        "WHATSAPP_VERIFY_TOKEN": "e2e-verify",
    }
    running = Stack(model=MODEL, env=env, tracker_db=var / "tracker.db").start()
    yield running
    running.stop()


def post(stack, body, secret=SECRET):
    raw, headers = wh.encode(body, secret)
    url = f"{stack.url}/webhooks/whatsapp/webhook"
    return requests.post(url, data=raw, headers=headers, timeout=10)


def replies_to(graph, user, count, timeout=60.0):
    """Wait until `count` messages to `user` reached the fake Graph API."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in graph.messages() if m.get("to") == user]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    return [m for m in graph.messages() if m.get("to") == user]


def text_of(message):
    if message.get("type") == "text":
        return message["text"]["body"]
    return message.get("interactive", {}).get("body", {}).get("text", "")


def test_a_signed_text_gets_exactly_one_answer_and_a_replay_none(stack, graph):
    user = "6281100000001"
    body = wh.delivery([wh.text("min nomor wa djpk brp ya", sender=user)], sender=user)
    assert post(stack, body).status_code == 200
    answers = replies_to(graph, user, 2)
    assert "0811-150420-7" in text_of(answers[0])
    assert post(stack, body).status_code == 200  # Meta retries the same delivery
    time.sleep(3)
    assert len([m for m in graph.messages() if m.get("to") == user]) == len(answers)


def test_unsigned_and_wrongly_signed_deliveries_are_refused(stack, graph):
    user = "6281100000002"
    body = wh.delivery([wh.text("halo", sender=user)], sender=user)
    raw, headers = wh.encode(body, SECRET)
    del headers["X-Hub-Signature-256"]
    url = f"{stack.url}/webhooks/whatsapp/webhook"
    assert requests.post(url, data=raw, headers=headers, timeout=10).status_code == 403
    assert post(stack, body, secret="another-secret").status_code == 403
    time.sleep(2)
    assert [m for m in graph.messages() if m.get("to") == user] == []


def test_a_pdf_sent_as_a_document_is_verified(stack, graph):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(
        0,
        8,
        "Undangan Bimtek JF AKPD nomor UND-88/PK/2023. Biaya kontribusi "
        "Rp 3.500.000 ditransfer ke rekening panitia.",
    )
    graph.add_media("media-e2e-1", bytes(pdf.output()), "application/pdf")
    user = "6281100000003"
    body = wh.delivery([wh.document("media-e2e-1", sender=user)], sender=user)
    assert post(stack, body).status_code == 200
    answers = replies_to(graph, user, 1)
    reply = text_of(answers[0]).lower()
    assert "rekening" in reply or "biaya" in reply
    buttons = answers[0].get("interactive", {}).get("action", {}).get("buttons", [])
    assert "Laporkan surat palsu" in [b["reply"]["title"] for b in buttons] or any(
        "laporkan" in b["reply"]["title"].lower() for b in buttons
    )
