"""A Rasa server killed with SIGKILL in the middle of a WhatsApp backlog, restarted on the same
databases, and a PostgreSQL outage while deliveries arrive: every message answered exactly once.

50 signed deliveries from 5 users go in through a Meta-like sender that retries until it gets a
200 (connection refused or 503 while the server is down). After the 25th ack the Rasa server is
killed with SIGKILL while its workers are on the backlog, then the stack is started again on
the same databases. What each user got at the fake Graph API is compared with what 5 fresh
users get from the same messages on the running stack, uninterrupted: the same replies in the
same order, none missing, none twice, except a send the kill cut during its own Graph API call
(journaled `sending`, `bot.channels.journal`): that one may have reached the user and is sent
again, so the test allows exactly those, counted from the journal at the kill, to come twice.
Takes a few minutes (the model loads twice).

The outage test runs the stack on a private PostgreSQL cluster (tests/private_postgres.py) and
stops it for 10 s while the second half of the deliveries comes in: those get 503 and Meta's
retries are kept once the database is back. One conversation belongs to an agent (taken before
the outage): the bot never answers it, and its messages sent during the outage reach the ticket.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from bot.settings import Settings
from bot.tickets.service import TicketService
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.stack import ROOT, Stack
from tests.private_postgres import PrivatePostgres
from tests.stacks import kb_copy, needs_model, start_stack

pytestmark = [needs_model, pytest.mark.timeout(900)]
SECRET = "crash-app-secret"
TOKEN = "crash-token"
VECTORS = ROOT / "var" / "kb-embeddings.sqlite"  # shared by the stacks: entries embedded once
SCRIPT = [  # what each user says, in order (answers that need no agent and no time of day)
    "halo",
    "min nomor wa djpk brp ya",
    "terima kasih",
    "apa itu dana alokasi khusus",
    "halo",
    "nomor whatsapp djpk berapa",
    "terima kasih infonya pak",
    "cara mengajukan dak fisik",
    "makasih banyak atas bantuannya",
    "halo contact center djpk",
]
USERS = 5


class Meta:
    """Posts deliveries one after another, each until it is acked with 200 (as Meta retries)."""

    def __init__(self, url: Callable[[], str], deliveries: list[dict]) -> None:
        self.url = url
        self.deliveries = deliveries
        self.acked = 0
        self.refused = 0
        self.unavailable = 0  # answered 503 (the server is up, its database is not)
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        for body in self.deliveries:
            raw, headers = wh.encode(body, SECRET)
            while True:
                try:
                    status = requests.post(self.url(), data=raw, headers=headers, timeout=5)
                    if status.status_code == 200:
                        break
                    self.unavailable += status.status_code == 503
                except requests.RequestException:
                    pass
                self.refused += 1
                time.sleep(0.5)
            self.acked += 1

    def wait_acked(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.acked < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.acked >= count, f"only {self.acked} deliveries acked"


def deliveries(users: list[str]) -> list[dict]:
    """Round-robin over the users: the n-th line of the script of each, then the next line."""
    return [
        wh.delivery([wh.text(line, sender=user)], sender=user) for line in SCRIPT for user in users
    ]


def replies(graph: FakeGraph, user: str) -> list[str]:
    """What reached one user at the fake Graph API, in order (type and text or body)."""
    found = []
    for message in graph.messages():
        if message.get("to") != user:
            continue
        text = message.get("text", {}).get("body") or message.get("interactive", {}).get(
            "body", {}
        ).get("text", "")
        found.append(f"{message.get('type')}: {text}")
    return found


def unfinished(url: str) -> tuple[int, int]:
    """(rows kept, rows not finished) in the inbox of the database at `url`."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            kept = connection.execute(sa.text("SELECT count(*) FROM whatsapp_inbox")).scalar()
            open_rows = connection.execute(
                sa.text("SELECT count(*) FROM whatsapp_inbox WHERE done_at IS NULL")
            ).scalar()
    finally:
        engine.dispose()
    return kept, open_rows


def sqlite_url(db: Path) -> str:
    return f"sqlite:///{db}"


def held(db: Path) -> int:
    """Unfinished rows a server holds a claim on."""
    query = "SELECT count(*) FROM whatsapp_inbox WHERE done_at IS NULL AND claimed_by IS NOT NULL"
    with sqlite3.connect(db) as connection:
        return connection.execute(query).fetchone()[0]


def resumed(db: Path) -> tuple[int, int]:
    """(rows claimed more than once, replies journaled for them)."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT count(*) FROM whatsapp_inbox WHERE attempts > 1")
        replies = connection.execute(
            "SELECT count(*) FROM whatsapp_replies WHERE inbound IN "
            "(SELECT key FROM whatsapp_inbox WHERE attempts > 1)"
        )
        return rows.fetchone()[0], replies.fetchone()[0]


def in_flight(db: Path) -> dict[str, int]:
    """Per recipient, the sends journaled as `sending`: the kill came during their Graph call."""
    query = "SELECT recipient, count(*) FROM whatsapp_replies WHERE state = 'sending' GROUP BY 1"
    with sqlite3.connect(db) as connection:
        return dict(connection.execute(query).fetchall())


def without_resends(got: list[str], allowed: int) -> list[str]:
    """`got` with up to `allowed` immediate repeats removed: a send cut during its Graph API call
    may have reached the user and is sent again on resume (the journal's documented window)."""
    kept: list[str] = []
    for reply in got:
        if allowed and kept and kept[-1] == reply:
            allowed -= 1
            continue
        kept.append(reply)
    return kept


def wait_finished(url: str, rows: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kept, open_rows = unfinished(url)
        if kept >= rows and open_rows == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"inbox not finished: {unfinished(url)} of {rows}")


def whatsapp_env(graph: FakeGraph, **extra: str) -> dict[str, str]:
    """The environment of a stack whose WhatsApp channel talks to the fake Graph API."""
    return {
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_GRAPH_URL": graph.url,
        "WHATSAPP_VERIFY_TOKEN": "crash-verify",
        "DJPK_VECTOR_CACHE": str(VECTORS),
        **extra,
    }


def test_a_killed_server_answers_every_kept_message_exactly_once(tmp_path: Path) -> None:
    graph = FakeGraph(token=TOKEN).start()
    kb, var = kb_copy(tmp_path / "kb-root"), tmp_path / "var"
    var.mkdir()
    env = whatsapp_env(graph)
    stacks: list[Stack] = [start_stack(kb, var, env=env)]
    webhook = lambda: f"{stacks[-1].url}/webhooks/whatsapp/webhook"  # noqa: E731
    crashed = [f"62855{n:07d}" for n in range(USERS)]
    reference = [f"62866{n:07d}" for n in range(USERS)]
    try:
        meta = Meta(webhook, deliveries(crashed))
        meta.thread.start()
        meta.wait_acked(len(meta.deliveries) // 2, timeout=60)
        os.killpg(stacks[-1].server_pid, signal.SIGKILL)
        answered_before = len(graph.messages())
        kept, open_rows = unfinished(sqlite_url(var / "djpk.db"))
        holding = held(var / "djpk.db")
        cut = in_flight(var / "djpk.db")  # sends the kill cut during their Graph API call
        stacks[-1].stop()  # the action server (the Rasa server is gone already)
        stacks.append(start_stack(kb, var, env=env))
        meta.thread.join(timeout=120)
        assert meta.acked == len(meta.deliveries)
        wait_finished(sqlite_url(var / "djpk.db"), len(meta.deliveries), timeout=300)
        assert open_rows > 0, "the kill came after the backlog was done: nothing was tested"
        taken_up, their_replies = resumed(var / "djpk.db")
        assert taken_up >= holding  # the rows the dead server held were claimed again
        again = Meta(webhook, deliveries(reference))
        again.thread.start()
        again.thread.join(timeout=120)
        wait_finished(sqlite_url(var / "djpk.db"), 2 * len(meta.deliveries), timeout=300)
        for user, twin in zip(crashed, reference, strict=True):
            assert len(replies(graph, twin)) >= len(SCRIPT)  # every line has an answer
            got, expected = replies(graph, user), replies(graph, twin)
            assert without_resends(got, cut.get(user, 0)) == expected, (user, cut)
        print(
            f"\nkilled after {kept} kept ({open_rows} unfinished, {holding} of them held, "
            f"{answered_before} Graph messages sent, {sum(cut.values())} cut in flight); "
            f"{taken_up} rows taken up again "
            f"({their_replies} replies journaled for them); {meta.refused} refused posts "
            f"retried; {len(replies(graph, reference[0]))} replies per user"
        )
    finally:
        for stack in stacks:
            stack.stop()
        graph.stop()


OWNED = "6287799999999"  # a conversation an agent took before the outage
TO_AGENT = ["halo pak, masih di sana?", "nomor wa djpk brp ya", "terima kasih"]


def agent_owns(url: str, kb: Path, conversation: str) -> TicketService:
    """A ticket for `conversation` taken by an agent (the bot is paused there)."""
    service = TicketService.from_settings(
        Settings.from_env({"DJPK_DB_URL": url, "DJPK_KB_DIR": str(kb)})
    )
    opened = service.open_handoff(
        conversation_id=conversation,
        channel="whatsapp",
        name="Budi",
        instansi="Pemkab Sleman",
        topic_text="DAU tahap 1",
        pause=True,
    )
    service.claim(opened.ticket.id, "agen1")
    assert service.is_paused(conversation)
    return service


def owned_ticket(service: TicketService, conversation: str) -> int:
    ticket = service.active_for_conversation(conversation)
    assert ticket is not None
    return ticket.id


def test_deliveries_during_a_database_outage_get_503_and_are_answered_once_after(
    tmp_path: Path,
) -> None:
    graph = FakeGraph(token=TOKEN).start()
    pg = PrivatePostgres().create()
    kb, var = kb_copy(tmp_path / "kb-root"), tmp_path / "var"
    var.mkdir()
    env = whatsapp_env(graph, DJPK_DB_URL=pg.url)
    stack: Stack | None = None
    users = [f"62877{n:07d}" for n in range(USERS)]
    reference = [f"62888{n:07d}" for n in range(USERS)]
    try:
        stack = start_stack(kb, var, env=env)
        webhook = f"{stack.url}/webhooks/whatsapp/webhook"
        owned = agent_owns(pg.url, kb, OWNED)
        sent = deliveries(users)
        half = len(sent) // 2
        sent[half:half] = [wh.delivery([wh.text(t, sender=OWNED)], sender=OWNED) for t in TO_AGENT]
        before = Meta(lambda: webhook, sent[:half])
        before.thread.start()
        before.thread.join(timeout=60)
        wait_finished(pg.url, half, timeout=300)
        pg.stop()
        during = Meta(lambda: webhook, sent[half:])
        during.thread.start()
        time.sleep(10)
        assert during.acked == 0 and during.unavailable > 0  # refused, not dropped
        pg.start()
        during.thread.join(timeout=120)
        assert during.acked == len(sent) - half
        wait_finished(pg.url, len(sent), timeout=300)
        again = Meta(lambda: webhook, deliveries(reference))
        again.thread.start()
        again.thread.join(timeout=120)
        wait_finished(pg.url, len(sent) + USERS * len(SCRIPT), timeout=300)
        for user, twin in zip(users, reference, strict=True):
            assert len(replies(graph, twin)) >= len(SCRIPT)
            assert replies(graph, user) == replies(graph, twin), user
        # The agent's conversation: the bot never answered, and the ticket holds every message.
        assert replies(graph, OWNED) == []
        texts = [message.text for message in owned.messages(owned_ticket(owned, OWNED))]
        assert all(text in texts for text in TO_AGENT), texts
        print(f"\n{during.unavailable} posts answered 503 during the 10 s outage, then kept")
    finally:
        if stack is not None:
            stack.stop()
        pg.destroy()
        graph.stop()
