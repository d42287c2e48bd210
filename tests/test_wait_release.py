"""Waiting for an agent through the trained bot (REST): the acknowledgement's expected answer,
the release at closing time (run by a supervisor as at 17.01 WIB through POST /api/release: the
Rasa server keeps the real clock, see tests/test_conversations_faq.py), and two requests in one
conversation giving two tickets with their own details."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import requests

from harness.stack import ROOT, Stack
from tests.stacks import kb_copy, needs_model, start_stack

pytestmark = needs_model
VECTORS = ROOT / "var" / "kb-embeddings.sqlite"
FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
WEDNESDAY_10_WIB = "@2026-12-02 03:00:00"  # the action server's clock starts here (UTC)
WEDNESDAY_1701_WIB = "2026-12-02T10:01:00+00:00"
SUPERVISOR, PASSWORD = "spv", "kata-sandi-supervisor-123"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """The assistant on a Wednesday morning (action server under libfaketime), a supervisor."""
    if not FAKETIME.exists():
        pytest.skip("Debian's faketime is not installed (make system-deps)")
    kb = kb_copy(tmp_path_factory.mktemp("kb"), open_all_day=False)
    var = tmp_path_factory.mktemp("var")
    env = {
        "DJPK_VECTOR_CACHE": str(VECTORS),
        "DJPK_RELEASE_INTERVAL_S": "0",  # the test runs the release, as at a chosen moment
        "DJPK_CONSOLE_SECRET": "wait-release-secret-0123456789abcdef",
    }
    fake = {
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME": WEDNESDAY_10_WIB,
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "TZ": "UTC",
    }
    running = start_stack(kb, var, env=env, action_env=fake)
    created = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.console", "add-user", SUPERVISOR]
        + ["--role", "supervisor"],
        input=PASSWORD + "\n",
        env={**os.environ, **running.env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    yield running
    running.stop()


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
    say(stack, "wait-1", "tolong sambungkan ke petugas")
    say(stack, "wait-1", "Siti Aminah")
    say(stack, "wait-1", "BPKAD Kab. Lembata")  # WITA
    reply = say(stack, "wait-1", "dana desa tahap 2 belum masuk")
    number = re.search(r"DJPK-\d{8}-\d{4}", reply).group(0)
    reply = say(stack, "wait-1", "halo? masih ada orang?")
    assert number in reply and re.search(r"Perkiraan dijawab pukul 11\.\d\d WITA\.", reply)
    assert say(stack, "wait-1", "syarat salur dbh apa") == ""  # paused: kept for the agent
    released = release_as_supervisor(stack, WEDNESDAY_1701_WIB)
    assert {"number": number, "delivered": False} in released["released"]  # REST cannot push
    assert "DBH" in say(stack, "wait-1", "syarat salur dbh apa")  # the bot answers again
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
        say(stack, "two-1", line)
    first = say(stack, "two-1", "2019-2023")
    for line in [
        "ada dugaan penyalahgunaan dak di daerah kami",
        "DAK fisik dipakai untuk kegiatan lain",
        "Kota Bandar Lampung",
        "Februari 2023",
    ]:
        say(stack, "two-1", line)
    second = say(stack, "two-1", "tidak ada")
    numbers = [re.search(r"DJPK-\d{8}-\d{4}", text).group(0) for text in (first, second)]
    assert numbers[0] != numbers[1]
    mine = {t["number"]: t for t in tickets(stack) if t["conversation_id"] == "two-1"}
    assert set(mine) == set(numbers)
    data, complaint = mine[numbers[0]], mine[numbers[1]]
    assert (data["topic"], data["status"]) == ("Permintaan Data", "open")
    assert data["context"]["data_years"] == "2019-2023"
    assert (complaint["topic"], complaint["status"]) == ("Pengaduan", "escalated")
    assert "DAK fisik" in complaint["context"]["complaint_what"]
    assert "data_years" not in complaint["context"]
