"""The webhook over real HTTP: handshake, signatures, dedup across restarts, statuses, 503."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from bot.channels.signature import sign
from bot.channels.whatsapp import WhatsAppInput
from bot.db import engine_for
from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph
from harness.fakes.serving import Recorder, serve
from tests.bot.channels.support import SECRET, VERIFY, make_channel, post

pytestmark = pytest.mark.asyncio


async def _get(url: str, params: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url, params=params) as response:
        return response.status, await response.text()


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"}, 200),
        ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"}, 403),
        ({"hub.mode": "unsubscribe", "hub.verify_token": VERIFY, "hub.challenge": "1"}, 403),
        ({"hub.challenge": "1"}, 403),
    ],
)
async def test_handshake(channel: WhatsAppInput, params: dict[str, str], status: int) -> None:
    async with serve(channel, Recorder()) as url:
        got, text = await _get(url, params)
    assert got == status
    if status == 200:
        assert text == "1158201444"


async def test_handshake_without_a_configured_token_is_refused(
    graph: FakeGraph, db_url: str, tmp_path: Path
) -> None:
    channel = make_channel(graph, db_url, tmp_path)
    channel.verify_token = ""
    params = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    async with serve(channel, Recorder()) as url:
        assert (await _get(url, params))[0] == 403


async def test_signatures(channel: WhatsAppInput, graph: FakeGraph) -> None:
    recorder = Recorder(echo=False)
    body = wh.delivery([wh.text("halo")])
    other_body = wh.delivery([wh.text("lain")])
    raw_other, _ = wh.encode(other_body, SECRET)
    async with serve(channel, recorder) as url:
        assert await post(url, body, secret=None) == 403
        assert await post(url, body, secret="not-the-app-secret") == 403
        assert await post(url, body, signature="sha256=" + "0" * 64) == 403
        assert await post(url, body, signature=sign(SECRET, raw_other)) == 403
        assert await post(url, body, signature=sign(SECRET, raw_other)[7:]) == 403
        assert await post(url, body, signature="sha256=ü") == 403
        await channel.drain()
        assert recorder.messages == [] and graph.sent() == []
        assert await post(url, body) == 200
        await channel.drain()
    assert [m.text for m in recorder.messages] == ["halo"]


async def test_the_raw_bytes_are_signed_not_reserialised_json(channel: WhatsAppInput) -> None:
    recorder = Recorder(echo=False)
    raw = json.dumps(wh.delivery([wh.text("halo  /  spasi")]), indent=3).encode("utf-8")
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(SECRET, raw)}
    async with serve(channel, recorder) as url, aiohttp.ClientSession() as session:
        async with session.post(url, data=raw, headers=headers) as response:
            assert response.status == 200
        await channel.drain()
    assert len(recorder.messages) == 1


async def test_signed_garbage_is_a_bad_request(channel: WhatsAppInput) -> None:
    raw = b"{not json"
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(SECRET, raw)}
    async with (
        serve(channel, Recorder()) as url,
        aiohttp.ClientSession() as session,
        session.post(url, data=raw, headers=headers) as response,
    ):
        assert response.status == 400


async def test_a_secretless_channel_refuses_everything(
    graph: FakeGraph, db_url: str, tmp_path: Path
) -> None:
    channel = make_channel(graph, db_url, tmp_path)
    channel.app_secret = ""
    async with serve(channel, Recorder()) as url:
        assert await post(url, wh.delivery([wh.text("x")]), secret="") == 403


async def test_each_wamid_is_processed_once(channel: WhatsAppInput, graph: FakeGraph) -> None:
    recorder = Recorder()
    message = wh.text("halo")
    async with serve(channel, recorder) as url:
        assert await post(url, wh.delivery([message, message])) == 200
        assert await post(url, wh.delivery([message])) == 200
        await channel.drain()
    assert len(recorder.messages) == 1
    assert len(graph.messages()) == 1


async def test_dedup_survives_a_restart(graph: FakeGraph, db_url: str, tmp_path: Path) -> None:
    message = wh.text("halo")
    first, second = Recorder(), Recorder()
    channel = make_channel(graph, db_url, tmp_path)
    async with serve(channel, first) as url:
        await post(url, wh.delivery([message]))
        await channel.drain()
    restarted = make_channel(graph, db_url, tmp_path)
    async with serve(restarted, second) as url:
        await post(url, wh.delivery([message]))
        await post(url, wh.delivery([wh.text("baru")]))
        await restarted.drain()
    assert [m.text for m in first.messages] == ["halo"]
    assert [m.text for m in second.messages] == ["baru"]


async def test_two_servers_on_one_database_process_a_wamid_once(
    graph: FakeGraph, db_url: str, tmp_path: Path
) -> None:
    recorders = [Recorder(echo=False), Recorder(echo=False)]
    channels = [make_channel(graph, db_url, tmp_path) for _ in recorders]
    messages = [wh.text(f"pesan {i}") for i in range(20)]
    async with serve(channels[0], recorders[0]) as a, serve(channels[1], recorders[1]) as b:
        for message in messages:
            await post(a, wh.delivery([message]))
            await post(b, wh.delivery([message]))
        for channel in channels:
            await channel.drain()
    texts = sorted(m.text for r in recorders for m in r.messages)
    assert texts == sorted(f"pesan {i}" for i in range(20))


async def test_statuses_are_recorded_never_treated_as_messages(
    channel: WhatsAppInput, graph: FakeGraph, db_url: str
) -> None:
    recorder = Recorder()
    statuses = [wh.status("wamid.out.1", s) for s in ("sent", "delivered", "read", "read")]
    async with serve(channel, recorder) as url:
        assert await post(url, wh.delivery(statuses=statuses)) == 200
        await channel.drain()
    assert recorder.messages == [] and graph.sent() == []
    with engine_for(db_url).connect() as connection:
        rows = connection.execute(sa.text("SELECT status FROM message_statuses ORDER BY id")).all()
    assert [r[0] for r in rows] == ["sent", "delivered", "read"]


async def test_a_slow_handler_does_not_delay_the_ack(channel: WhatsAppInput) -> None:
    import time

    recorder = Recorder(echo=False, delay=1.0)
    async with serve(channel, recorder) as url:
        await post(url, wh.delivery([wh.text("pemanasan")]))
        started = time.perf_counter()
        assert await post(url, wh.delivery([wh.text("halo")])) == 200
        elapsed = time.perf_counter() - started
        await channel.drain()
    assert elapsed < 0.5
    assert len(recorder.messages) == 2


def _broken(*_args: object) -> None:
    raise OperationalError("INSERT", {}, Exception("database is locked"))


async def test_a_delivery_the_database_refuses_gets_503_and_metas_retry_is_kept(
    channel: WhatsAppInput, graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = Recorder()
    body = wh.delivery([wh.text("halo")])
    async with serve(channel, recorder) as url:
        with monkeypatch.context() as patch:
            patch.setattr(channel.inbox.queue, "add", _broken)
            assert await post(url, body) == 503
            assert await channel.drain(timeout=10)
        assert recorder.messages == [] and graph.messages() == []
        assert channel.inbox.queue.unfinished() == set()  # nothing half-kept
        assert await post(url, body) == 200  # Meta retries a 503
        assert await channel.drain(timeout=10)
    assert [m.text for m in recorder.messages] == ["halo"]
    assert [m["text"]["body"] for m in graph.messages()] == ["echo: halo"]


async def test_database_trouble_after_the_ack_never_breaks_a_reply(
    channel: WhatsAppInput, graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = channel.inbox.output.journal
    monkeypatch.setattr(channel.inbox.store, "record_sent", _broken)
    monkeypatch.setattr(journal, "begin", _broken)
    monkeypatch.setattr(journal, "end", _broken)
    recorder = Recorder(echo=True)
    async with serve(channel, recorder) as url:
        assert await post(url, wh.delivery([wh.text("halo")])) == 200
        assert await channel.drain(timeout=10)
    assert [m.text for m in recorder.messages] == ["halo"]
    assert [m["text"]["body"] for m in graph.messages()] == ["echo: halo"]
