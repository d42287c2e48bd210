"""Satisfaction typed as users give it, end to end: Rasa + action server over REST, the agent
claiming and resolving in the console's JSON API, the scores read back from the ticket."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator

import pytest
import requests

from harness.stack import ROOT, Stack
from tests.stacks import kb_copy, needs_model, start_stack

pytestmark = needs_model
AGENT, PASSWORD = "rina", "rahasia-rina-2026"


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    """A stack with the console on, open around the clock, and one agent account."""
    var = tmp_path_factory.mktemp("var")
    env = {
        "DJPK_KB_DIR": str(kb_copy(tmp_path_factory.mktemp("kb"))),
        "DJPK_DB_URL": f"sqlite:///{var / 'djpk.db'}",
        "DJPK_VAR_DIR": str(var),
        "DJPK_CONSOLE_SECRET": "csat-e2e-secret-0123456789abcdef",
    }
    created = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.console", "add-user", AGENT, "--role", "agent"],
        input=PASSWORD + "\n",
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    running = start_stack(env["DJPK_KB_DIR"], var, env=env)
    yield running
    running.stop()


def said(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def ticket(stack: Stack, sender: str) -> dict:
    listed = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.tickets", "list", "--json"],
        env={**os.environ, **stack.env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return next(t for t in json.loads(listed.stdout) if t["conversation_id"] == sender)


def handed_off_and_resolved(stack: Stack, sender: str) -> dict:
    """The user asks for an agent and gets a ticket; the agent claims and resolves it."""
    assert "nama" in said(stack.say(sender, "saya mau bicara dengan petugas"))
    stack.say(sender, "Budi Santoso")
    stack.say(sender, "BPKAD Kab. Brebes")
    assert "nomor tiket DJPK-" in said(stack.say(sender, "dau tahap 1 kami belum cair"))
    opened = ticket(stack, sender)
    console = requests.Session()
    base = f"{stack.url}/webhooks/console"
    login = console.post(f"{base}/login", json={"username": AGENT, "password": PASSWORD})
    assert login.status_code == 200, login.text
    headers = {"X-CSRF-Token": login.json()["csrf_token"]}
    for action in ("claim", "resolve"):
        done = console.post(f"{base}/api/tickets/{opened['id']}/{action}", json={}, headers=headers)
        assert done.status_code == 200, done.text
    return opened


def test_typed_scores_are_stored_for_both_questions(stack):
    handed_off_and_resolved(stack, "c1")
    assert "substansi jawaban" in said(stack.say("c1", "lima"))
    assert "Terima kasih atas penilaian" in said(stack.say("c1", "sangat sesuai"))
    scored = ticket(stack, "c1")
    assert (scored["csat_service"], scored["csat_answer"]) == (5, 5)
    assert "0811-150420-7" in said(stack.say("c1", "min nomor wa djpk brp ya"))  # bot again


def test_a_text_that_is_no_score_is_asked_again_once_then_left(stack):
    handed_off_and_resolved(stack, "c2")
    again = said(stack.say("c2", "oke makasih banyak ya"))
    assert "belum kami pahami" in again and "kepuasan" in again
    assert "penilaian kami lewati" in said(stack.say("c2", "hmm"))
    left = ticket(stack, "c2")
    assert (left["csat_service"], left["csat_answer"]) == (None, None)
    assert "0811-150420-7" in said(stack.say("c2", "min nomor wa djpk brp ya"))


def test_a_question_while_a_score_is_pending_is_answered_and_the_score_still_counts(stack):
    handed_off_and_resolved(stack, "c4")
    assert "0811-150420-7" in said(stack.say("c4", "min nomor wa djpk brp ya?"))
    assert "substansi jawaban" in said(stack.say("c4", "5"))
    assert ticket(stack, "c4")["csat_service"] == 5


def test_a_typed_score_after_one_retry_still_counts(stack):
    handed_off_and_resolved(stack, "c3")
    assert "belum kami pahami" in said(stack.say("c3", "oke siap"))
    assert "substansi jawaban" in said(stack.say("c3", "4 bintang"))
    assert "Terima kasih atas penilaian" in said(stack.say("c3", "kurang sesuai"))
    scored = ticket(stack, "c3")
    assert (scored["csat_service"], scored["csat_answer"]) == (4, 2)
