"""The hand-off on WhatsApp, end to end through the trained bot (issue 15).

The fake Graph API plays Meta: user messages reach the bot as signed webhooks stamped with its
clock, every accepted send is followed by "sent" and "delivered" status webhooks ("read" once the
user opens the chat), and past 24 hours since the user's last message anything but a template is
accepted and then reported "failed" with error 131047. Agents and a supervisor work the tickets
through the console's JSON API. The action server's clock starts on a Wednesday at 10.00 WIB
(libfaketime); the Rasa server keeps the real clock (see tests/test_conversations_faq.py), and a
user's "yesterday" is made by stamping their messages in the past, as Meta would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.hours import ServiceHours
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.stack import ROOT, Stack
from tests.stacks import kb_copy, needs_model, start_stack

pytestmark = needs_model
SECRET = "e2e-handoff-app-secret"
TOKEN = "e2e-handoff-token"
TEMPLATE = "djpk_lanjutan_tiket"
VECTORS = ROOT / "var" / "kb-embeddings.sqlite"
FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
WEDNESDAY_10_WIB = "@2026-12-02 03:00:00"  # the action server's clock starts here (UTC)
WEDNESDAY_1701_WIB = "2026-12-02T10:01:00+00:00"
AGENT, SUPERVISOR, PASSWORD = "rina", "spv", "kata-sandi-konsol-2026"
NUMBER = re.compile(r"DJPK-\d{8}-\d{4}")
HOUR = 3600.0


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> Path:
    return kb_copy(tmp_path_factory.mktemp("kb"), open_all_day=False)


@pytest.fixture(scope="module")
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph(token=TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def stack(graph: FakeGraph, kb: Path, tmp_path_factory) -> Iterator[Stack]:
    """The assistant on WhatsApp with the console, the reopen template, an agent and a
    supervisor; the action server on a Wednesday morning."""
    if not FAKETIME.exists():
        pytest.skip("Debian's faketime is not installed (make system-deps)")
    var = tmp_path_factory.mktemp("var")
    env = {
        "DJPK_VECTOR_CACHE": str(VECTORS),
        "DJPK_RELEASE_INTERVAL_S": "0",  # the test runs the release, as at a chosen moment
        "DJPK_CONSOLE_SECRET": "wa-handoff-secret-0123456789abcdef",
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_GRAPH_URL": graph.url,
        "WHATSAPP_VERIFY_TOKEN": "e2e-verify",
        "WHATSAPP_REOPEN_TEMPLATE": TEMPLATE,
    }
    fake = {
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME": WEDNESDAY_10_WIB,
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "TZ": "UTC",
    }
    running = start_stack(kb, var, env=env, action_env=fake)
    for name, role in ((AGENT, "agent"), (SUPERVISOR, "supervisor")):
        created = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "-m", "bot.console", "add-user", name]
            + ["--role", role],
            input=PASSWORD + "\n",
            env={**os.environ, **running.env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert created.returncode == 0, created.stderr
    graph.webhook(f"{running.url}/webhooks/whatsapp/webhook", SECRET)
    yield running
    running.stop()


# ---- the user's phone ------------------------------------------------------------------------


def shown(message: dict[str, Any]) -> str:
    """What the user reads of one message: its text, buttons and list rows."""
    if message.get("type") == "text":
        return message["text"]["body"]
    if message.get("type") == "template":
        return f"[template {message['template']['name']}]"
    interactive = message.get("interactive", {})
    action = interactive.get("action", {})
    titles = [b["reply"]["title"] for b in action.get("buttons", [])]
    titles += [r["title"] for s in action.get("sections", []) for r in s["rows"]]
    return "\n".join([interactive.get("body", {}).get("text", ""), *titles])


def inbox(graph: FakeGraph, user: str) -> list[dict[str, Any]]:
    return [m for m in graph.messages() if m.get("to") == user]


def arrived(graph: FakeGraph, user: str, before: int, count: int = 1, wait: float = 60) -> list:
    """The messages to `user` after the first `before`, once at least `count` came and a
    second passed without another."""
    deadline = time.monotonic() + wait
    seen = inbox(graph, user)
    while time.monotonic() < deadline:
        time.sleep(0.4)
        now = inbox(graph, user)
        if len(now) - before >= count and len(now) == len(seen):
            return now[before:]
        seen = now
    return inbox(graph, user)[before:]


def say(graph: FakeGraph, user: str, message: dict[str, Any] | str, count: int = 1) -> str:
    """The user sends one message (a text or a webhooks.* message); what the bot answered."""
    before = len(inbox(graph, user))
    item = wh.text(message) if isinstance(message, str) else message
    assert graph.deliver([item], sender=user) == 200
    if count == 0:
        time.sleep(4)
        assert inbox(graph, user)[before:] == [], "the bot stays silent"
        return ""
    return "\n".join(shown(m) for m in arrived(graph, user, before, count))


def hand_off(graph: FakeGraph, user: str, office: str, question: str) -> str:
    """The hand-off form on WhatsApp; the ticket number."""
    assert "nama" in say(graph, user, "saya mau bicara dengan petugas").lower()
    say(graph, user, "Siti Aminah")
    reply = say(graph, user, office)
    if NUMBER.search(reply) is None:
        reply = say(graph, user, question)
    found = NUMBER.search(reply)
    assert found, reply
    return found.group(0)


# ---- the console and the database -------------------------------------------------------------


class Console:
    """One logged-in console user on the JSON API."""

    def __init__(self, stack: Stack, username: str) -> None:
        self.base = f"{stack.url}/webhooks/console"
        self.http = requests.Session()
        login = self.http.post(
            f"{self.base}/login", json={"username": username, "password": PASSWORD}, timeout=30
        )
        assert login.status_code == 200, login.text
        self.headers = {"X-CSRF-Token": login.json()["csrf_token"]}

    def post(self, path: str, body: dict | None = None, status: int = 200) -> dict:
        answer = self.http.post(
            f"{self.base}/api/{path}", json=body or {}, headers=self.headers, timeout=60
        )
        assert answer.status_code == status, answer.text
        return answer.json()

    def ticket(self, ticket_id: int) -> dict:
        answer = self.http.get(f"{self.base}/api/tickets/{ticket_id}", timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def agent_lines(self, ticket_id: int) -> list[dict]:
        return [m for m in self.ticket(ticket_id)["messages"] if m["sender"] == "agent"]


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


def ticket_of(stack: Stack, number: str) -> dict:
    return next(t for t in tickets(stack) if t["number"] == number)


def delivery_becomes(console: Console, ticket_id: int, text: str, state: str, wait=30.0) -> dict:
    """The agent line `text` once its delivery state is `state` (status webhooks are async)."""
    deadline = time.monotonic() + wait
    while True:
        line = next(m for m in console.agent_lines(ticket_id) if text in m["text"])
        if line["delivery"]["state"] == state or time.monotonic() > deadline:
            return line
        time.sleep(0.5)


@pytest.fixture
def agent(stack: Stack) -> Console:
    return Console(stack, AGENT)


@pytest.fixture
def yesterday(graph: FakeGraph) -> Iterator[None]:
    """Meta's clock 30 hours back while the user writes (their messages are yesterday's); back
    to now when the test goes on to the agent."""
    graph.clock = lambda: time.time() - 30 * HOUR
    yield
    graph.clock = time.time


# ---- the wait ----------------------------------------------------------------------------------


def test_the_wait_is_acknowledged_on_whatsapp_and_batal_ends_it(stack, graph):
    user = "6281300000001"
    number = hand_off(graph, user, "BPKAD Kab. Lembata", "dana desa tahap 2 belum masuk")  # WITA
    ack = say(graph, user, "halo? masih ada orang?")
    assert number in ack and "urutan berikutnya" in ack
    assert re.search(r"Perkiraan dijawab pukul 11\.\d\d WITA\.", ack), ack
    say(graph, user, "kapan dbh cair?", count=0)  # acknowledged at most every 5 minutes
    assert "batalkan" in say(graph, user, "batal")
    assert ticket_of(stack, number)["status"] == "closed"
    assert "0811-150420-7" in say(graph, user, "min nomor wa djpk brp ya")  # the bot again


def test_the_release_at_closing_reaches_the_whatsapp_user(stack, graph):
    user = "6281300000002"
    number = hand_off(graph, user, "BPKAD Kota Makassar", "dau tahap 1 kami belum cair")
    before = len(inbox(graph, user))
    spv = Console(stack, SUPERVISOR)
    released = spv.post("release", {"now": WEDNESDAY_1701_WIB})["released"]
    assert {"number": number, "delivered": True} in released  # WhatsApp can push, REST cannot
    [notice] = arrived(graph, user, before)
    assert number in shown(notice) and "tetap dalam antrean" in shown(notice)
    assert "DBH" in say(graph, user, "syarat salur dbh apa")  # the bot answers meanwhile
    ticket = ticket_of(stack, number)
    assert (ticket["status"], ticket["assigned_agent"]) == ("open", None)  # queued for Thursday


def test_two_requests_on_whatsapp_are_two_tickets(stack, graph):
    user = "6281300000003"
    for line in ["saya mau minta data apbd untuk penelitian", "Rina", "mahasiswa UGM", "skripsi"]:
        say(graph, user, line)
    say(graph, user, "realisasi APBD kabupaten")
    first = say(graph, user, "2019-2023")
    for line in [
        "ada dugaan penyalahgunaan dak di daerah kami",
        "DAK fisik dipakai untuk kegiatan lain",
        "Kota Bandar Lampung",
        "Februari 2023",
    ]:
        say(graph, user, line)
    second = say(graph, user, "tidak ada")
    numbers = [NUMBER.search(text).group(0) for text in (first, second)]
    assert numbers[0] != numbers[1]
    mine = {t["number"]: t for t in tickets(stack) if t["conversation_id"] == user}
    assert set(mine) == set(numbers)
    data, complaint = mine[numbers[0]], mine[numbers[1]]
    assert (data["topic"], data["channel"]) == ("Permintaan Data", "whatsapp")
    assert data["context"]["data_years"] == "2019-2023"
    assert (complaint["topic"], complaint["status"]) == ("Pengaduan", "escalated")
    assert "data_years" not in complaint["context"]


# ---- agent replies: statuses, the 24-hour window --------------------------------------------


def test_a_reply_inside_the_window_shows_sent_delivered_then_read(stack, graph, agent):
    user = "6281300000004"
    number = hand_off(graph, user, "BPKAD Kab. Brebes", "dau tahap 1 kami belum cair")
    ticket = ticket_of(stack, number)
    agent.post(f"tickets/{ticket['id']}/claim")
    before = len(inbox(graph, user))
    text = "Selamat siang Ibu Siti, DAU tahap 1 sedang kami cek."
    sent = agent.post(f"tickets/{ticket['id']}/reply", {"text": text})
    assert sent["message"]["delivery"]["state"] == "sent"
    assert [shown(m) for m in arrived(graph, user, before)] == [text]
    assert delivery_becomes(agent, ticket["id"], text, "delivered")["delivery"]["label"] == (
        "diterima"
    )
    graph.read_by(user)  # the user opens the chat
    assert delivery_becomes(agent, ticket["id"], text, "read")["delivery"]["label"] == "dibaca"
    assert agent.ticket(ticket["id"])["reach"]["window_open"] is True


def test_a_reply_past_the_window_goes_through_the_template(stack, graph, agent, yesterday):
    user = "6281300000005"
    number = hand_off(graph, user, "BPKAD Kab. Brebes", "dbh kami kurang salur")
    graph.clock = time.time  # a day and a half later the agent answers
    ticket = ticket_of(stack, number)
    agent.post(f"tickets/{ticket['id']}/claim")
    reach = agent.ticket(ticket["id"])["reach"]
    assert reach["window_open"] is False and TEMPLATE in reach["notice"]
    before = len(inbox(graph, user))
    text = "Mohon maaf menunggu, kurang salur DBH sudah kami teruskan ke unit terkait."
    sent = agent.post(f"tickets/{ticket['id']}/reply", {"text": text})
    assert sent["message"]["delivery"]["state"] == "queued"
    [template] = arrived(graph, user, before)
    assert template["type"] == "template" and template["template"]["name"] == TEMPLATE
    parameters = [p["text"] for p in template["template"]["components"][0]["parameters"]]
    assert parameters == ["Siti Aminah", number]
    line = delivery_becomes(agent, ticket["id"], text, "queued")
    assert line["delivery"]["label"] == "menunggu"

    # the user answers the template: the window opens and the reply goes first
    before = len(inbox(graph, user))
    assert graph.deliver([wh.text("iya, silakan")], sender=user) == 200
    assert shown(arrived(graph, user, before)[0]) == text
    assert delivery_becomes(agent, ticket["id"], text, "delivered")["delivery"]["reason"] == ""


def test_a_reply_meta_refuses_past_the_window_is_shown_failed(stack, graph, agent):
    """Our clock says ten minutes of the window are left; by Meta's clock it closed while the
    agent typed: the send is accepted, then 131047 comes as a status and the console shows it."""
    user = "6281300000006"
    graph.clock = lambda: time.time() - 23 * HOUR - 50 * 60
    try:
        number = hand_off(graph, user, "BPKAD Kab. Brebes", "dak fisik kami belum salur")
    finally:
        graph.clock = lambda: time.time() + 15 * 60
    try:
        ticket = ticket_of(stack, number)
        agent.post(f"tickets/{ticket['id']}/claim")
        text = "Baik Ibu, dokumen DAK Fisik sedang kami periksa."
        sent = agent.post(f"tickets/{ticket['id']}/reply", {"text": text})
        assert sent["message"]["delivery"]["state"] == "sent"  # Meta took it
        line = delivery_becomes(agent, ticket["id"], text, "failed")
    finally:
        graph.clock = time.time
    assert line["delivery"]["label"] == "gagal" and line["delivery"]["retryable"] is True
    assert line["delivery"]["reason"].startswith("131047")


# ---- satisfaction as interactive lists --------------------------------------------------------


def resolved(stack: Stack, graph: FakeGraph, agent: Console, user: str) -> tuple[str, dict]:
    """A hand-off the agent claims and resolves; the number and the first CSAT question."""
    number = hand_off(graph, user, "BPKAD Kab. Brebes", "dau tahap 1 kami belum cair")
    ticket = ticket_of(stack, number)
    agent.post(f"tickets/{ticket['id']}/claim")
    before = len(inbox(graph, user))
    agent.post(f"tickets/{ticket['id']}/resolve")
    question = arrived(graph, user, before, count=2)[-1]
    return number, question


def rows(message: dict[str, Any]) -> dict[str, str]:
    """An interactive list's rows: title -> id."""
    assert message["type"] == "interactive" and message["interactive"]["type"] == "list"
    sections = message["interactive"]["action"]["sections"]
    return {r["title"]: r["id"] for s in sections for r in s["rows"]}


def test_satisfaction_is_a_list_answered_by_a_choice_then_typed_lima(stack, graph, agent):
    user = "6281300000007"
    number, question = resolved(stack, graph, agent, user)
    assert "kepuasan" in shown(question)
    choices = rows(question)
    assert len(choices) == 5
    before = len(inbox(graph, user))
    assert graph.deliver([wh.list_reply(choices["4 - Puas"], "4 - Puas")], sender=user) == 200
    second = arrived(graph, user, before)[-1]
    assert "substansi jawaban" in shown(second) and len(rows(second)) == 5
    assert "Terima kasih atas penilaian" in say(graph, user, "lima")
    scored = ticket_of(stack, number)
    assert (scored["csat_service"], scored["csat_answer"]) == (4, 5)


def test_satisfaction_typed_sangat_puas_then_chosen_from_the_list(stack, graph, agent):
    user = "6281300000008"
    number, question = resolved(stack, graph, agent, user)
    before = len(inbox(graph, user))
    assert graph.deliver([wh.text("sangat puas")], sender=user) == 200
    second = arrived(graph, user, before)[-1]
    choice = next(t for t in rows(second) if t.startswith("3 "))
    before = len(inbox(graph, user))
    assert graph.deliver([wh.list_reply(rows(second)[choice], choice)], sender=user) == 200
    assert "Terima kasih atas penilaian" in shown(arrived(graph, user, before)[-1])
    scored = ticket_of(stack, number)
    assert (scored["csat_service"], scored["csat_answer"]) == (5, 3)


# ---- reservation decisions reach the WhatsApp user ---------------------------------------------


def working_days(kb: Path, count: int) -> list[date]:
    """The next `count` weekdays from ten days ahead that are not holidays (the console's
    service clock is the Rasa server's, the real one)."""
    hours, day, found = ServiceHours.load(kb), date.today() + timedelta(days=10), []
    while len(found) < count:
        if hours.is_working_day(day) and day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    return found


def reservation(graph: FakeGraph, user: str, request: str, mode: str, asked: date) -> str:
    """The reservation form on WhatsApp, each question answered; the ticket number."""
    reply = say(graph, user, request)
    for _ in range(12):
        if NUMBER.search(reply) is not None:
            return NUMBER.search(reply).group(0)
        lowered = reply.lower()
        if "instansi" in lowered:
            answer = "BPKAD Kab. Wajo"
        elif "jenis konsultasi" in lowered:
            answer = mode
        elif "topik" in lowered:
            answer = "penyaluran DAU"
        elif "tanggal" in lowered:
            answer = asked.isoformat()
        elif "berapa orang" in lowered:
            answer = "3"
        elif "jabatan" in lowered:
            answer = "Kepala BPKAD dan dua staf"
        else:
            raise AssertionError(f"unexpected question: {reply}")
        reply = say(graph, user, answer)
    raise AssertionError(f"the form did not end: {reply}")


def test_decisions_reach_the_whatsapp_user_inside_and_past_the_window(stack, graph, agent, kb):
    asked, agreed, moved = working_days(kb, 3)
    user = "6281300000009"
    graph.clock = lambda: time.time() - 30 * HOUR
    try:
        request = "mau mengajukan video conference dengan djpk"
        number = reservation(graph, user, request, "video conference", asked)
    finally:
        graph.clock = time.time
    ticket = ticket_of(stack, number)
    agent.post(f"tickets/{ticket['id']}/claim")
    body = {"date": agreed.isoformat(), "time": "10.00", "mode": "video_conference"}
    body["link"] = "https://teams.microsoft.com/l/meetup-join/djpk-wa-1"
    before = len(inbox(graph, user))
    confirmed = agent.post(f"tickets/{ticket['id']}/reservation/confirm", body)
    assert confirmed["message"]["delivery"]["state"] == "queued"  # past the window: template
    [template] = arrived(graph, user, before)
    assert template["template"]["name"] == TEMPLATE
    line = delivery_becomes(agent, ticket["id"], "telah kami konfirmasi", "queued")
    assert line["id"] == confirmed["message"]["id"]

    before = len(inbox(graph, user))
    assert graph.deliver([wh.text("baik, ditunggu")], sender=user) == 200
    decision = shown(arrived(graph, user, before)[0])
    assert "telah kami konfirmasi" in decision and "djpk-wa-1" in decision
    assert "pukul 10.00 WIB" in decision
    delivery_becomes(agent, ticket["id"], "telah kami konfirmasi", "delivered")

    # inside the window now: the reschedule goes as text at once
    before = len(inbox(graph, user))
    moved_body = {"date": moved.isoformat(), "time": "13.30", "reason": "narasumber dinas luar"}
    rescheduled = agent.post(f"tickets/{ticket['id']}/reservation/reschedule", moved_body)
    assert rescheduled["message"]["delivery"]["state"] == "sent"
    text = shown(arrived(graph, user, before)[0])
    assert "jadwalkan ulang" in text and "pukul 13.30 WIB" in text
    assert "narasumber dinas luar" in text


def test_a_visit_is_confirmed_once_the_letter_is_recorded_as_received(stack, graph, agent, kb):
    """Asked as a video conference, agreed on the phone as a visit: SE-1/PK.1/2023 wants the
    request letter first; it came by post, the agent records it, the visit is confirmed."""
    asked, agreed = working_days(kb, 2)
    user = "6281300000010"
    request = "mau mengajukan video conference dengan djpk"
    number = reservation(graph, user, request, "video conference", asked)
    ticket = ticket_of(stack, number)
    agent.post(f"tickets/{ticket['id']}/claim")
    visit = {"date": agreed.isoformat(), "time": "10.00", "mode": "tatap_muka"}
    visit["room"] = "Ruang Rapat Gd. Radius Lt. 9"
    before = len(inbox(graph, user))
    refused = agent.post(f"tickets/{ticket['id']}/reservation/confirm", visit, status=422)
    assert "surat permohonan" in refused["error"]
    recorded = agent.post(
        f"tickets/{ticket['id']}/reservation/letter", {"via": "pos", "note": "diterima TU"}
    )
    context = recorded["ticket"]["context"]
    assert (context["letter_sent"], context["surat_diterima_via"]) == (True, "pos")
    assert context["surat_dicatat_oleh"] == AGENT
    time.sleep(2)
    assert len(inbox(graph, user)) == before, "a refusal or the letter record sends nothing"
    confirmed = agent.post(f"tickets/{ticket['id']}/reservation/confirm", visit)
    assert confirmed["message"]["delivery"]["state"] == "sent"
    text = shown(arrived(graph, user, before)[0])
    assert "telah kami konfirmasi" in text and "Ruang Rapat Gd. Radius Lt. 9" in text
    events = agent.ticket(ticket["id"])["events"]
    letter = next(e for e in events if e["kind"] == "resv_letter")
    assert letter["actor"] == AGENT and "pos: diterima TU" in letter["detail"]
