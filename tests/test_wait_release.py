"""Waiting for an agent through the trained bot (REST): the acknowledgement's expected answer,
the release at closing time (run by a supervisor as at 17.01 WIB through POST /api/release: the
Rasa server keeps the real clock, see tests/test_conversations_faq.py), and two requests in one
conversation giving two tickets with their own details."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
import requests

from harness.stack import ROOT, Stack
from tests.stacks import SUPERVISOR, needs_model
from tests.stacks import SUPERVISOR_PASSWORD as PASSWORD

pytestmark = needs_model
WEDNESDAY_1701_WIB = "2026-12-02T10:01:00+00:00"  # the shared stack's clock starts at 10.00 WIB


@pytest.fixture
def stack(wednesday_stack):
    """The assistant on a Wednesday morning (the session's shared stack: the action server's
    clock starts at 10.00 WIB, the release runs only when asked, supervisor spv)."""
    return wednesday_stack


def say(stack: Stack, sender: str, text: str) -> str:
    return "\n".join(r.get("text", "") for r in stack.say(sender, text))


def tickets(stack: Stack) -> list[dict]:
    listed = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.tickets", "list", "--json"],
        env={**os.environ, **stack.env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(listed.stdout)


def release_as_supervisor(stack: Stack, now: str) -> dict:
    console = requests.Session()
    base = f"{stack.url}/webhooks/console"
    login = console.post(f"{base}/login", json={"username": SUPERVISOR, "password": PASSWORD})
    assert login.status_code == 200, login.text
    headers = {"X-CSRF-Token": login.json()["csrf_token"]}
    released = console.post(f"{base}/api/release", json={"now": now}, headers=headers)
    assert released.status_code == 200, released.text
    return released.json()


def test_the_wait_is_estimated_and_released_at_closing(stack):
    say(stack, "release-1", "tolong sambungkan ke petugas")
    say(stack, "release-1", "Siti Aminah")
    say(stack, "release-1", "BPKAD Kab. Lembata")  # WITA
    reply = say(stack, "release-1", "dana desa tahap 2 belum masuk")
    number = re.search(r"DJPK-\d{8}-\d{4}", reply).group(0)
    reply = say(stack, "release-1", "halo? masih ada orang?")
    assert number in reply and re.search(r"Perkiraan dijawab pukul 11\.\d\d WITA\.", reply)
    assert say(stack, "release-1", "syarat salur dbh apa") == ""  # paused: kept for the agent
    released = release_as_supervisor(stack, WEDNESDAY_1701_WIB)
    assert {"number": number, "delivered": False} in released["released"]  # REST cannot push
    assert "DBH" in say(stack, "release-1", "syarat salur dbh apa")  # the bot answers again
    ticket = next(t for t in tickets(stack) if t["number"] == number)
    assert (ticket["status"], ticket["assigned_agent"]) == ("open", None)  # queued for Thursday
    assert release_as_supervisor(stack, WEDNESDAY_1701_WIB)["released"] == []  # once


def test_two_requests_in_one_conversation_are_two_tickets(stack):
    for line in [
        "saya mau minta data apbd untuk penelitian",
        "Rina",
        "mahasiswa UGM",
        "skripsi",
        "realisasi APBD kabupaten",
    ]:
        say(stack, "release-two", line)
    first = say(stack, "release-two", "2019-2023")
    for line in [
        "ada dugaan penyalahgunaan dak di daerah kami",
        "DAK fisik dipakai untuk kegiatan lain",
        "Kota Bandar Lampung",
        "Februari 2023",
    ]:
        say(stack, "release-two", line)
    second = say(stack, "release-two", "tidak ada")
    numbers = [re.search(r"DJPK-\d{8}-\d{4}", text).group(0) for text in (first, second)]
    assert numbers[0] != numbers[1]
    mine = {t["number"]: t for t in tickets(stack) if t["conversation_id"] == "release-two"}
    assert set(mine) == set(numbers)
    data, complaint = mine[numbers[0]], mine[numbers[1]]
    assert (data["topic"], data["status"]) == ("Permintaan Data", "open")
    assert data["context"]["data_years"] == "2019-2023"
    assert (complaint["topic"], complaint["status"]) == ("Pengaduan", "escalated")
    assert "DAK fisik" in complaint["context"]["complaint_what"]
    assert "data_years" not in complaint["context"]
