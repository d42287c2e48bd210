"""Satisfaction typed as users give it, end to end: Rasa + action server over REST, the agent
claiming and resolving in the console's JSON API, the scores read back from the ticket."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
import requests

from harness.stack import ROOT, Stack
from tests.stacks import CONSOLE_AGENTS, needs_model

pytestmark = needs_model
AGENT = "rina"  # an agent of the shared stack
PASSWORD = CONSOLE_AGENTS[AGENT]


@pytest.fixture
def stack(open_stack: Stack) -> Stack:
    """The session's shared stack: console on, open around the clock, agent rina."""
    return open_stack


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
    handed_off_and_resolved(stack, "csat-c1")
    assert "substansi jawaban" in said(stack.say("csat-c1", "lima"))
    assert "Terima kasih atas penilaian" in said(stack.say("csat-c1", "sangat sesuai"))
    scored = ticket(stack, "csat-c1")
    assert (scored["csat_service"], scored["csat_answer"]) == (5, 5)
    assert "0811-150420-7" in said(stack.say("csat-c1", "min nomor wa djpk brp ya"))  # bot again


def test_a_text_that_is_no_score_is_asked_again_once_then_left(stack):
    handed_off_and_resolved(stack, "csat-c2")
    again = said(stack.say("csat-c2", "oke makasih banyak ya"))
    assert "belum kami pahami" in again and "kepuasan" in again
    assert "penilaian kami lewati" in said(stack.say("csat-c2", "hmm"))
    left = ticket(stack, "csat-c2")
    assert (left["csat_service"], left["csat_answer"]) == (None, None)
    assert "0811-150420-7" in said(stack.say("csat-c2", "min nomor wa djpk brp ya"))


def test_a_question_while_a_score_is_pending_is_answered_and_the_score_still_counts(stack):
    handed_off_and_resolved(stack, "csat-c4")
    assert "0811-150420-7" in said(stack.say("csat-c4", "min nomor wa djpk brp ya?"))
    assert "substansi jawaban" in said(stack.say("csat-c4", "5"))
    assert ticket(stack, "csat-c4")["csat_service"] == 5


def test_a_typed_score_after_one_retry_still_counts(stack):
    handed_off_and_resolved(stack, "csat-c3")
    assert "belum kami pahami" in said(stack.say("csat-c3", "oke siap"))
    assert "substansi jawaban" in said(stack.say("csat-c3", "4 bintang"))
    assert "Terima kasih atas penilaian" in said(stack.say("csat-c3", "kurang sesuai"))
    scored = ticket(stack, "csat-c3")
    assert (scored["csat_service"], scored["csat_answer"]) == (4, 2)
