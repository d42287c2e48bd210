"""WhatsApp on two hosts, one killed: every message answered exactly once, in order.

A fake Graph API on the hosts' gateway plays Meta: users' messages are posted, signed, to nginx
(either host keeps them in the shared inbox before the 200; a refused or dropped webhook is sent
again with the same wamid, as Meta does), and the replies come back to it. Host 1's Rasa and action
servers are SIGKILLed after a third of the messages. Afterwards each message is one user event
(by wamid) in the tracker store, in the order sent, and the bot messages the fake received per
user are exactly the bot events of that user's tracker: nothing lost, nothing sent twice.
Bounded: DJPK_SCALED_WA_USERS (30) users x five messages.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.scaled import NET, ScaledStack, make_hosts
from tests.stacks import needs_model

pytestmark = [needs_model, pytest.mark.timeout(1800)]
USERS = int(os.environ.get("DJPK_SCALED_WA_USERS", "30"))
SECRET = "scaled-app-secret"
TOKEN = "scaled-access-token"
QUESTIONS = (
    "min nomor wa djpk brp ya",
    "jam layanan sampai jam berapa",
    "kapan dau tahap 1 cair",
    "alamat kantor djpk dimana",
    "terima kasih min",
)


@pytest.fixture(scope="module")
def graph():
    make_hosts(2)
    with FakeGraph(host=f"{NET}.1", token=TOKEN) as fake:
        fake.status_delay = 0.0
        yield fake


@pytest.fixture(scope="module")
def stack(graph: FakeGraph):
    env = {
        "WHATSAPP_GRAPH_URL": graph.url,
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "scaled-verify-token",
        "WHATSAPP_PHONE_NUMBER_ID": "000000000000000",
    }
    with ScaledStack(hosts=2, env=env) as running:
        graph.webhook(f"{running.url}/webhooks/whatsapp/webhook", SECRET)
        yield running


def post_until_kept(stack: ScaledStack, item: dict, sender: str, patience: float = 180.0) -> int:
    """POST one signed message webhook until a host answers 200 (Meta retries the same wamid)."""
    raw, headers = wh.encode(wh.delivery([item], sender=sender), SECRET)
    deadline, tries = time.monotonic() + patience, 0
    while True:
        tries += 1
        try:
            answer = requests.post(
                f"{stack.url}/webhooks/whatsapp/webhook", data=raw, headers=headers, timeout=30
            )
            if answer.status_code == 200:
                return tries
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, f"{sender}: webhook never kept"
        time.sleep(1.0)


def tracker_events(stack: ScaledStack) -> dict[str, list[tuple[str, str | None]]]:
    """(kind, wamid or text) of every user and bot event, per sender, in stored order."""
    engine = create_engine(stack.app_url)
    found: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT sender_id, type_name, data FROM events"
                " WHERE type_name IN ('user', 'bot') ORDER BY id"
            )
        )
        for sender, kind, data in rows:
            event = json.loads(data)
            found[sender].append((kind, event.get("message_id") if kind == "user" else None))
    engine.dispose()
    return found


def test_whatsapp_on_two_hosts_with_one_killed_answers_each_message_once(
    stack: ScaledStack, graph: FakeGraph
) -> None:
    users = [f"62812{n:07d}" for n in range(USERS)]
    sent: dict[str, list[str]] = {user: [] for user in users}
    progress = threading.Semaphore(0)

    def converse(user: str) -> None:
        for question in QUESTIONS:
            item = wh.text(f"{question} ({user[-4:]})", sender=user)
            sent[user].append(item["id"])
            post_until_kept(stack, item, user)
            progress.release()
            time.sleep(1.5)  # a person reads the answer before typing again

    total = USERS * len(QUESTIONS)
    with ThreadPoolExecutor(10) as pool:
        futures = [pool.submit(converse, user) for user in users]
        for _ in range(total // 3):
            progress.acquire()
        stack.kill_host(1)
        for future in futures:
            future.result()

    deadline = time.monotonic() + 600
    while True:  # every kept message answered (the inbox drains on the surviving host)
        events = tracker_events(stack)
        done = all(
            [w for kind, w in events[user] if kind == "user"] == sent[user]
            and events[user][-1][0] == "bot"
            for user in users
        )
        if done or time.monotonic() > deadline:
            break
        time.sleep(3)
    for user in users:
        wamids = [w for kind, w in events[user] if kind == "user"]
        assert wamids == sent[user], (user, wamids, sent[user])
    time.sleep(5)  # the last sends reach the fake
    received: dict[str, int] = defaultdict(int)
    for body in graph.messages():
        received[str(body.get("to"))] += 1
    for user in users:
        bot_events = sum(1 for kind, _ in tracker_events(stack)[user] if kind == "bot")
        assert received[user] == bot_events, (user, received[user], bot_events)
