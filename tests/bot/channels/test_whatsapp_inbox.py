"""The durable inbox through the channel: kept before the 200, a resumed message the tracker
already holds, replies journaled per turn, the carried-over dedup keys, pruning."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from rasa.core.channels.channel import UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.queue import InboxRow
from bot.channels.whatsapp import WhatsAppInput
from bot.clock import utcnow
from bot.db import MIGRATIONS_DIR, engine_for, make_engine
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.fakes.serving import Recorder, serve
from tests.bot.channels.support import make_channel, post


class Held:
    """A bot that never finishes a message while `gate` is closed."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.texts: list[str] = []

    async def __call__(self, message: UserMessage) -> None:
        self.texts.append(message.text)
        await self.gate.wait()


async def test_a_delivery_is_in_the_database_when_its_200_comes(
    channel: WhatsAppInput, graph: FakeGraph, db_url: str, tmp_path: Path
) -> None:
    bot = Held()
    first, second = wh.text("satu"), wh.text("dua")
    async with serve(channel, bot) as url:
        assert await post(url, wh.delivery([first])) == 200
        assert await post(url, wh.delivery([second])) == 200
        # Another process on the database sees both, though the bot is still on the first.
        other = make_channel(graph, db_url, tmp_path)
        assert other.inbox.queue.unfinished() == {first["id"], second["id"]}
        bot.gate.set()
        assert await channel.drain(timeout=10)
    assert bot.texts == ["satu", "dua"]
    assert other.inbox.queue.unfinished() == set()


def _agent(events: list[Any], sender: str) -> Any:
    """Just enough of Rasa's agent: a ready one with an in-memory tracker store."""
    store = InMemoryTrackerStore(Domain.empty())
    tracker = DialogueStateTracker.from_events(sender, events)
    return SimpleNamespace(tracker_store=store, is_ready=lambda: True, tracker=tracker)


async def test_a_resumed_message_the_tracker_holds_is_not_fed_to_rasa_again(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    done, todo = wh.text("sudah dijawab"), wh.text("belum")
    agent = _agent([UserUttered("sudah dijawab", message_id=done["id"])], wh.USER)
    await agent.tracker_store.save(agent.tracker)
    channel.seen.bind(SimpleNamespace(ctx=SimpleNamespace(agent=agent)))
    assert channel.seen.ready()
    recorder, queue = Recorder(), channel.inbox.queue
    queue.add([{"key": m["id"], "sender": wh.USER, "body": _body(m)} for m in (done, todo)])
    for _ in range(2):
        row = queue.claim("w", timedelta(seconds=30))
        resumed = InboxRow(row.id, row.key, row.sender, row.body, attempts=2)
        await channel.inbox.handle(resumed, recorder)
        queue.finish(row)
    assert [m.text for m in recorder.messages] == ["belum"]
    assert [m["text"]["body"] for m in graph.messages()] == ["echo: belum"]


def _body(message: dict[str, Any]) -> str:
    from bot.channels.inbound import parse_delivery
    from bot.channels.queue import rows_of

    (row,) = rows_of(parse_delivery(wh.delivery([message])))
    return row["body"]


async def test_a_first_try_is_never_looked_up_in_the_tracker(channel: WhatsAppInput) -> None:
    calls: list[tuple[str, str]] = []

    async def seen(sender: str, wamid: str) -> bool:
        calls.append((sender, wamid))
        return True

    channel.inbox.seen = seen
    recorder = Recorder(echo=False)
    async with serve(channel, recorder) as url:
        assert await post(url, wh.delivery([wh.text("halo")])) == 200
        assert await channel.drain(timeout=10)
    assert calls == [] and [m.text for m in recorder.messages] == ["halo"]


async def test_a_journaled_send_is_skipped_and_a_cut_one_is_sent_again(
    channel: WhatsAppInput, graph: FakeGraph
) -> None:
    journal = channel.inbox.output.journal
    journal.begin("wamid.in", 0, wh.USER, "satu")
    journal.end("wamid.in", 0, journal.state("wamid.in", 0).SENT, "wamid.out.1")
    journal.begin("wamid.in", 1, wh.USER, "dua")  # cut during its Graph API call
    output = channel.get_output_channel().for_turn("wamid.in")
    for text in ("satu", "dua", "tiga"):
        await output.send_text_message(wh.USER, text)
    assert [m["text"]["body"] for m in graph.messages()] == ["dua", "tiga"]
    assert [state for _, state, _ in journal.sends("wamid.in")] == ["sent"] * 3
    unbound = channel.get_output_channel()  # messages the bot sends on its own: no journal
    await unbound.send_text_message(wh.USER, "satu")
    assert len(graph.messages()) == 3


async def test_the_wamids_processed_before_the_upgrade_stay_deduplicated(
    graph: FakeGraph, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine, message = make_engine(url), wh.text("lama")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
        connection.execute(
            sa.text("INSERT INTO processed_wamids VALUES (:w, :s, :t)"),
            {"w": message["id"], "s": wh.USER, "t": utcnow()},
        )
    channel = make_channel(graph, url, tmp_path)
    recorder = Recorder()
    async with serve(channel, recorder) as webhook:
        assert await post(webhook, wh.delivery([message])) == 200
        assert await post(webhook, wh.delivery([wh.text("baru")])) == 200
        assert await channel.drain(timeout=10)
    assert [m.text for m in recorder.messages] == ["baru"]
    assert "processed_wamids" not in sa.inspect(engine_for(url)).get_table_names()


async def test_prune_forgets_finished_rows_and_replies_but_keeps_unfinished(
    channel: WhatsAppInput,
) -> None:
    queue, store = channel.inbox.queue, channel.inbox.store
    queue.add(
        [{"key": "old", "sender": "1", "body": "{}"}, {"key": "open", "sender": "2", "body": "{}"}]
    )
    queue.finish(queue.claim("w", timedelta(seconds=30)))
    channel.inbox.output.journal.begin("old", 0, "1", "jawaban")
    assert store.prune(older_than=timedelta(days=1), now=utcnow()) == 0  # all too recent
    assert store.prune(older_than=timedelta(days=1), now=utcnow() + timedelta(days=2)) == 2
    assert queue.outcome("old") is None and queue.outcome("open") == (0, None)
    assert channel.inbox.output.journal.sends("old") == []
