"""The channel's worker pool over real HTTP: few messages in the bot at once, acks never wait."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage

from bot.channels.inbound import parse_delivery
from bot.channels.inbox import by_sender
from bot.channels.whatsapp import WhatsAppInput
from tests.bot.channels.support import make_channel, post
from tests.fakes import webhooks as wh
from tests.fakes.fake_graph import FakeGraph
from tests.fakes.serving import serve

SENDERS = [f"62812000000{n:02d}" for n in range(8)]


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
        assert channel.pool.depth == total - workers  # all acked, the rest wait their turn
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
        assert channel.pool.depth == 2
        assert not await channel.drain(timeout=0.05)  # still busy: drain does not pretend
        bot.gate.set()
        assert await channel.drain(timeout=10)
        assert [text for _, text in bot.entered] == ["satu", "tiga", "dua"]
        assert channel.pool.depth == 0 and bot.active == 0
        assert channel.inbox._turns == {}


async def test_a_failing_message_does_not_stop_the_worker(
    channel_of: Any, caplog: pytest.LogCaptureFixture
) -> None:
    channel, bot = channel_of(workers=1), Busy(fail_on="rusak")
    bot.gate.set()
    with caplog.at_level(logging.ERROR):
        async with serve(channel, bot) as url:
            assert await post(url, wh.delivery([wh.text("rusak")])) == 200
            assert await post(url, wh.delivery([wh.text("halo")])) == 200
            assert await channel.drain(timeout=10)
    assert [text for _, text in bot.entered] == ["rusak", "halo"]
    assert any("Processing WhatsApp message" in r.message for r in caplog.records)


async def test_a_failing_delivery_does_not_stop_the_worker(
    channel_of: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel, bot = channel_of(workers=1), Busy()
    bot.gate.set()
    process = channel.inbox.process
    calls = 0

    async def broken_once(*args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("a bug outside the per-message guard")
        await process(*args)

    monkeypatch.setattr(channel.inbox, "process", broken_once)
    with caplog.at_level(logging.ERROR):
        async with serve(channel, bot) as url:
            assert await post(url, wh.delivery([wh.text("hilang")])) == 200
            assert await post(url, wh.delivery([wh.text("halo")])) == 200
            assert await channel.drain(timeout=10)
    assert [text for _, text in bot.entered] == ["halo"]
    assert any(r.message == "WhatsApp delivery job failed" for r in caplog.records)


async def test_a_full_queue_answers_503_and_metas_retry_is_processed(channel_of: Any) -> None:
    channel, bot = channel_of(workers=1, queue_limit=1), Busy()
    late = wh.delivery([wh.text("tiga", sender=SENDERS[1])], sender=SENDERS[1])
    async with serve(channel, bot) as url:
        assert await post(url, wh.delivery([wh.text("satu")])) == 200
        await bot.until_active(1)
        sender = SENDERS[0]
        assert await post(url, wh.delivery([wh.text("dua", sender=sender)], sender=sender)) == 200
        assert await post(url, late) == 503
        bot.gate.set()
        assert await channel.drain(timeout=10)
        assert [text for _, text in bot.entered] == ["satu", "dua"]
        assert await post(url, late) == 200  # Meta retries a 503
        assert await channel.drain(timeout=10)
    assert [text for _, text in bot.entered] == ["satu", "dua", "tiga"]


async def test_statuses_are_recorded_through_the_pool(channel_of: Any, db_url: str) -> None:
    channel, bot = channel_of(workers=1), Busy()
    bot.gate.set()
    body = wh.delivery([wh.text("halo")], statuses=[wh.status("wamid.out.1", "read")])
    async with serve(channel, bot) as url:
        assert await post(url, body) == 200
        assert await channel.drain(timeout=10)
    assert channel.inbox.store.statuses("wamid.out.1") == ["read"]
    assert [text for _, text in bot.entered] == ["halo"]


def test_a_delivery_is_split_into_statuses_and_each_senders_messages() -> None:
    a, b = SENDERS[0], SENDERS[1]
    messages = [wh.text("a1", sender=a), wh.text("b1", sender=b), wh.text("a2", sender=a)]
    statuses = [wh.status("wamid.out.1", "sent"), wh.status("wamid.out.1", "read")]
    parts = by_sender(parse_delivery(wh.delivery(messages, statuses)))
    assert [key for key, _ in parts] == [None, a, b]
    assert [s.status for s in parts[0][1].statuses] == ["sent", "read"]
    assert parts[0][1].messages == ()
    assert [m.text for m in parts[1][1].messages] == ["a1", "a2"]
    assert [m.text for m in parts[2][1].messages] == ["b1"]
    assert all(part.statuses == () for _, part in parts[1:])


def test_the_worker_count_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJPK_WHATSAPP_WORKERS", "3")
    assert WhatsAppInput.from_credentials({"app_secret": "s"}).pool.size == 3
    monkeypatch.setenv("DJPK_WHATSAPP_WORKERS", "")
    assert WhatsAppInput.from_credentials({"app_secret": "s"}).pool.size == 2
