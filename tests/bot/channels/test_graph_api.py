"""The Graph API client against the fake server over real HTTP: sends, retries, errors, media."""

from __future__ import annotations

import logging

import pytest

from bot.channels import outbound
from bot.channels.graph_api import GraphClient, GraphError, RetryPolicy, TooLarge
from bot.channels.transport import AiohttpTransport
from harness.fakes.fake_graph import FakeGraph
from tests.bot.channels.support import FAST, TOKEN

pytestmark = pytest.mark.asyncio


def _client(graph: FakeGraph, token: str = TOKEN, retry: RetryPolicy = FAST) -> GraphClient:
    return GraphClient(AiohttpTransport(), token, "PNID", graph.url, retry)


async def test_send_returns_the_wamid_and_reaches_the_phone_number_edge(graph: FakeGraph) -> None:
    client = _client(graph)
    wamid = await client.send(outbound.text_message("628", "Halo"))
    await client.close()
    assert wamid.startswith("wamid.fake.")
    (sent,) = graph.sent()
    assert sent["path"] == "/v19.0/PNID/messages"
    assert sent["body"]["text"]["body"] == "Halo"


@pytest.mark.parametrize("status", [500, 502, 429])
async def test_server_errors_and_429_are_retried(graph: FakeGraph, status: int) -> None:
    graph.fail(status, 130429 if status == 429 else 131000, times=2)
    client = _client(graph)
    await client.send(outbound.text_message("628", "Halo"))
    await client.close()
    assert [a["status"] for a in graph.attempts()] == [status, status, 200]


@pytest.mark.parametrize("code", [130429, 131056, 4, 80007, 131000, 131016, 2])
async def test_throttling_and_transient_codes_are_retried_under_http_400(
    graph: FakeGraph, code: int
) -> None:
    graph.fail(400, code, times=2)
    client = _client(graph)
    await client.send(outbound.text_message("628", "Halo"))
    await client.close()
    assert [a["status"] for a in graph.attempts()] == [400, 400, 200]


@pytest.mark.parametrize(("status", "code"), [(500, 131026), (503, 131047), (400, 100), (500, 190)])
async def test_permanent_codes_are_never_retried_even_under_5xx(
    graph: FakeGraph, status: int, code: int
) -> None:
    graph.fail(status, code, times=5)
    client = _client(graph)
    with pytest.raises(GraphError) as caught:
        await client.send(outbound.text_message("628", "Halo"))
    await client.close()
    assert len(graph.attempts()) == 1
    assert caught.value.code == code and not caught.value.retryable


async def test_retries_are_bounded(graph: FakeGraph) -> None:
    graph.fail(503, 131000, times=10)
    client = _client(graph)
    with pytest.raises(GraphError) as caught:
        await client.send(outbound.text_message("628", "Halo"))
    await client.close()
    assert len(graph.attempts()) == FAST.attempts
    assert caught.value.status == 503 and caught.value.retryable


async def test_4xx_is_never_retried_and_carries_code_and_title(
    graph: FakeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    graph.fail(400, 131047, times=5)
    client = _client(graph)
    with caplog.at_level(logging.WARNING), pytest.raises(GraphError) as caught:
        await client.send(outbound.text_message("628", "Halo"))
    await client.close()
    error = caught.value
    assert len(graph.attempts()) == 1
    assert (error.status, error.code, error.title) == (400, 131047, "Re-engagement message")
    assert error.outside_window and not error.retryable
    assert "131047" in caplog.text and "Re-engagement message" in caplog.text


async def test_wrong_token_is_a_typed_error(graph: FakeGraph) -> None:
    client = _client(graph, token="wrong")
    with pytest.raises(GraphError) as caught:
        await client.send(outbound.text_message("628", "Halo"))
    await client.close()
    assert (caught.value.status, caught.value.code) == (401, 190)


async def test_unreachable_server_is_retried_then_raised() -> None:
    client = GraphClient(AiohttpTransport(), TOKEN, "PNID", "http://127.0.0.1:9/v19.0", FAST)
    with pytest.raises(GraphError) as caught:
        await client.send(outbound.text_message("628", "Halo"))
    await client.close()
    assert caught.value.status == 0 and caught.value.code is None


async def test_mark_read(graph: FakeGraph) -> None:
    client = _client(graph)
    await client.mark_read("wamid.in.1")
    await client.close()
    assert graph.sent()[0]["body"] == outbound.read_receipt("wamid.in.1")


async def test_media_info_and_download_need_the_bearer_token(graph: FakeGraph) -> None:
    graph.add_media("777", b"%PDF-1.4 surat", "application/pdf")
    client = _client(graph)
    info = await client.media_info("777")
    assert info.mime_type == "application/pdf" and info.file_size == 14
    assert await client.download(info.url, max_bytes=1000) == b"%PDF-1.4 surat"
    with pytest.raises(TooLarge):
        await client.download(info.url, max_bytes=5)
    await client.close()
    stranger = _client(graph, token="wrong")
    with pytest.raises(GraphError) as caught:
        await stranger.download(info.url, max_bytes=1000)
    await stranger.close()
    assert caught.value.status == 401


async def test_backoff_grows_is_capped_and_honours_retry_after() -> None:
    policy = RetryPolicy(attempts=6, base_delay=1.0, factor=2.0, max_delay=5.0)
    delays = [policy.delay(n) for n in range(1, 6)]
    assert 0.8 <= delays[0] <= 1.0 and 1.6 <= delays[1] <= 2.0
    assert all(d <= 5.0 for d in delays) and delays[4] >= 4.0
    assert policy.delay(1, retry_after="3") == 3.0
    assert policy.delay(1, retry_after="3600") == 5.0


async def test_a_media_url_signature_is_not_logged(
    graph: FakeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    graph.add_media("778", b"%PDF-1.4 surat", "application/pdf")
    stranger = _client(graph, token="wrong")
    url = f"{graph.url.rsplit('/', 1)[0]}/media/778?ext=pdf&hash=SIGNATURE123"
    with caplog.at_level(logging.WARNING), pytest.raises(GraphError):
        await stranger.download(url, max_bytes=1000)
    await stranger.close()
    assert "/media/778" in caplog.text and "SIGNATURE123" not in caplog.text
