"""The channel's inbox workers over real HTTP: few messages in the bot at once, acks never wait,
failures retried, an interrupted turn taken up without repeating its replies."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage

from bot.channels.inbound import parse_delivery
from bot.channels.queue import rows_of
from bot.channels.whatsapp import WhatsAppInput
from bot.channels.workers import Timing
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.fakes.serving import serve
from tests.bot.channels.support import make_channel, post

SENDERS = [f"62812000000{n:02d}" for n in range(8)]
QUICK = Timing(poll=0.05, retry_base=0.01, retry_max=0.05, max_attempts=3, stop_grace=0.1)


class Busy:
    """A stand-in for Rasa that holds each message until `gate` opens, counting overlaps."""

    def __init__(self, fail_on: str = "") -> None:
        self.gate = asyncio.Event()
        self.fail_on = fail_on
        self.entered: list[tuple[str, str]] = []
        self.active = 0
        self.peak = 0
        self._target = 0
        self._reached = asyncio.Event()

    async def __call__(self, message: UserMessage) -> None:
        self.entered.append((message.sender_id, message.text))
        self.active += 1
        self.peak = max(self.peak, self.active)
        if self.active >= self._target:
            self._reached.set()
        try:
            await self.gate.wait()
            if message.text == self.fail_on:
                raise RuntimeError("the model fell over")
        finally:
            self.active -= 1

    async def until_active(self, count: int) -> None:
        """Wait (at most 10 s) until `count` messages are inside the bot at once."""
        self._target, self._reached = count, asyncio.Event()
        if self.active < count:
            await asyncio.wait_for(self._reached.wait(), timeout=10)

    def texts(self, sender: str) -> list[str]:
        return [text for who, text in self.entered if who == sender]


async def _post_in_order(url: str, sender: str, texts: list[str]) -> list[int]:
    """One user's messages, each sent once the previous one was acked (as Meta delivers)."""
    return [await post(url, wh.delivery([wh.text(t, sender=sender)], sender=sender)) for t in texts]


@pytest.fixture
def channel_of(graph: FakeGraph, db_url: str, tmp_path: Path) -> Any:
    def build(**kwargs: Any) -> WhatsAppInput:
        return make_channel(graph, db_url, tmp_path, **kwargs)

    return build


@pytest.mark.parametrize("workers", [1, 3])
async def test_many_senders_never_more_messages_in_the_bot_than_workers(
    channel_of: Any, workers: int
) -> None:
    channel, bot = channel_of(workers=workers), Busy()
    texts = {sender: [f"{sender[-2:]} pesan {n}" for n in range(4)] for sender in SENDERS}
    total = sum(len(t) for t in texts.values())
    async with serve(channel, bot) as url:
        acks = await asyncio.gather(*(_post_in_order(url, s, t) for s, t in texts.items()))
        assert all(status == 200 for statuses in acks for status in statuses)
        await bot.until_active(workers)
        assert channel.inbox.queue.waiting() == total - workers  # all kept, waiting their turn
        bot.gate.set()
        assert await channel.drain(timeout=10)
    assert bot.peak == workers
    assert len(bot.entered) == total
    for sender, sent in texts.items():
        assert bot.texts(sender) == sent


async def test_acks_return_while_the_workers_are_busy_and_drain_waits_for_the_queue(
    channel_of: Any,
) -> None:
    channel, bot = channel_of(workers=1), Busy()
    async with serve(channel, bot) as url:
        assert await post(url, wh.delivery([wh.text("satu")])) == 200
        await bot.until_active(1)  # the only worker is held inside the bot
        other = SENDERS[0]
        assert await post(url, wh.delivery([wh.text("dua")])) == 200
        assert await post(url, wh.delivery([wh.text("tiga", sender=other)], sender=other)) == 200
        assert channel.inbox.queue.waiting() == 2
        assert not await channel.drain(timeout=0.05)  # still busy: drain does not pretend
        bot.gate.set()
        assert await channel.drain(timeout=10)
        assert [text for _, text in bot.entered] == ["satu", "dua", "tiga"]  # oldest first
        assert channel.inbox.queue.waiting() == 0 and bot.active == 0


async def test_a_failing_message_is_retried_then_given_up_and_the_worker_goes_on(
    channel_of: Any, caplog: pytest.LogCaptureFixture
) -> None:
    channel, bot = channel_of(workers=1, timing=QUICK), Busy(fail_on="rusak")
    bot.gate.set()
    with caplog.at_level(logging.ERROR):
        async with serve(channel, bot) as url:
            assert await post(url, wh.delivery([wh.text("rusak")])) == 200
            assert await post(url, wh.delivery([wh.text("halo")])) == 200
            assert await channel.drain(timeout=10)
    assert [text for _, text in bot.entered] == ["rusak"] * QUICK.max_attempts + ["halo"]
    assert any("given up after 3 attempts" in r.message for r in caplog.records)


async def test_a_delivery_whose_processing_broke_once_is_processed_on_retry(
    channel_of: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel, bot = channel_of(workers=1, timing=QUICK), Busy()
    bot.gate.set()
    handle = channel.inbox.handle
    calls = 0

    async def broken_once(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("a bug outside the per-message code")
        await handle(*args, **kwargs)

    monkeypatch.setattr(channel.inbox, "handle", broken_once)
    with caplog.at_level(logging.ERROR):
        async with serve(channel, bot) as url:
            assert await post(url, wh.delivery([wh.text("hampir hilang")])) == 200
            assert await post(url, wh.delivery([wh.text("halo")])) == 200
            assert await channel.drain(timeout=10)
    assert [text for _, text in bot.entered] == ["hampir hilang", "halo"]
    assert any(r.message.endswith(" failed") for r in caplog.records)


class Interrupted:
    """A bot that answers in two messages and, the first time, stops dead after the first."""

    def __init__(self) -> None:
        self.calls = 0
        self.inside = asyncio.Event()

    async def __call__(self, message: UserMessage) -> None:
        self.calls += 1
        await message.output_channel.send_text_message(message.sender_id, "satu")
        if self.calls == 1:
            self.inside.set()
            await asyncio.Event().wait()  # the server goes down here
        await message.output_channel.send_text_message(message.sender_id, "dua")


async def test_a_turn_cut_by_a_stop_is_taken_up_by_the_next_server_without_repeats(
    channel_of: Any, graph: FakeGraph
) -> None:
    bot, message = Interrupted(), wh.text("halo")
    first = channel_of(workers=1, timing=QUICK)
    async with serve(first, bot) as url:
        assert await post(url, wh.delivery([message])) == 200
        await asyncio.wait_for(bot.inside.wait(), timeout=10)
    assert first.inbox.queue.unfinished() == {message["id"]}  # given back, not finished
    second = channel_of(workers=1, timing=QUICK)
    async with serve(second, bot) as url:
        second.pool.accepted([message["id"]])
        assert await second.drain(timeout=10)
        assert await post(url, wh.delivery([message])) == 200  # Meta's redelivery: nothing
        assert await second.drain(timeout=10)
    assert bot.calls == 2
    assert [m["text"]["body"] for m in graph.messages()] == ["satu", "dua"]
    assert second.inbox.queue.outcome(message["id"]) == (2, "done")
    states = [state for _, state, _ in second.inbox.output.journal.sends(message["id"])]
    assert states == ["sent", "sent"]


async def test_statuses_are_recorded_through_the_pool(channel_of: Any, db_url: str) -> None:
    channel, bot = channel_of(workers=1), Busy()
    bot.gate.set()
    body = wh.delivery([wh.text("halo")], statuses=[wh.status("wamid.out.1", "read")])
    async with serve(channel, bot) as url:
        assert await post(url, body) == 200
        assert await channel.drain(timeout=10)
    assert channel.inbox.store.statuses("wamid.out.1") == ["read"]
    assert [text for _, text in bot.entered] == ["halo"]


def test_a_delivery_becomes_one_row_per_status_and_message_in_order() -> None:
    a, b = SENDERS[0], SENDERS[1]
    messages = [wh.text("a1", sender=a), wh.text("b1", sender=b), wh.text("a2", sender=a)]
    statuses = [wh.status("wamid.out.1", "sent"), wh.status("wamid.out.1", "read")]
    rows = rows_of(parse_delivery(wh.delivery(messages, statuses)))
    keys = ["s:wamid.out.1:sent", "s:wamid.out.1:read", *(m["id"] for m in messages)]
    assert [row["key"] for row in rows] == keys
    lane = f"s:{wh.USER}"  # one recipient's statuses in order, apart from the messages
    assert [row["sender"] for row in rows] == [lane, lane, a, b, a]


def test_the_worker_count_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJPK_WHATSAPP_WORKERS", "3")
    assert WhatsAppInput.from_credentials({"app_secret": "s"}).worker_count == 3
    monkeypatch.setenv("DJPK_WHATSAPP_WORKERS", "")
    assert WhatsAppInput.from_credentials({"app_secret": "s"}).worker_count == 2
