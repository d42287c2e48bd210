"""Rasa's endpoint requests reuse one keep-alive connection instead of one per call."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

import components  # noqa: F401  (installs the pooled sessions)
from components import pooled_endpoints


class Server:
    """A real HTTP server that records, per request, the client's address and headers."""

    def __init__(self) -> None:
        self.seen: list[tuple[tuple, dict]] = []
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.seen.append((request.transport.get_extra_info("peername"), dict(request.headers)))
        if request.path == "/fail":
            return web.json_response({"error": "nope"}, status=500)
        body = await request.json() if request.can_read_body else None
        return web.json_response({"echo": body})

    async def __aenter__(self) -> Server:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        self.url = f"http://localhost:{port}"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.runner.cleanup()

    def connections(self) -> int:
        return len({peer for peer, _headers in self.seen})


def test_installed() -> None:
    assert EndpointConfig.session is pooled_endpoints.pooled_session


def test_calls_share_one_connection_and_answers_are_intact() -> None:
    async def scenario() -> tuple[list, int, int]:
        async with Server() as server:
            endpoint = EndpointConfig(url=f"{server.url}/webhook")
            answers = [await endpoint.request(json={"n": n}, method="post") for n in range(5)]
            return answers, server.connections(), len(server.seen)

    answers, connections, requests = asyncio.run(scenario())
    assert answers == [{"echo": {"n": n}} for n in range(5)]
    assert requests == 5
    assert connections == 1


def test_concurrent_calls_all_answered() -> None:
    async def scenario() -> list:
        async with Server() as server:
            endpoint = EndpointConfig(url=f"{server.url}/webhook")
            return await asyncio.gather(
                *(endpoint.request(json={"n": n}, method="post") for n in range(20))
            )

    assert asyncio.run(scenario()) == [{"echo": {"n": n}} for n in range(20)]


def test_headers_and_basic_auth_are_kept_apart_per_endpoint() -> None:
    async def scenario() -> list[dict]:
        async with Server() as server:
            plain = EndpointConfig(url=server.url)
            secured = EndpointConfig(
                url=server.url,
                headers={"X-Token": "rahasia"},
                basic_auth={"username": "djpk", "password": "sandi"},
            )
            await plain.request(method="get")
            await secured.request(method="get")
            await plain.request(method="get")
            return [headers for _peer, headers in server.seen]

    first, second, third = asyncio.run(scenario())
    assert "X-Token" not in first and "Authorization" not in first
    assert second["X-Token"] == "rahasia"
    assert second["Authorization"].startswith("Basic ")
    assert "X-Token" not in third and "Authorization" not in third


def test_error_status_still_raises() -> None:
    async def scenario() -> None:
        async with Server() as server:
            await EndpointConfig(url=server.url).request(subpath="fail", method="post", json={})

    with pytest.raises(ClientResponseError) as error:
        asyncio.run(scenario())
    assert error.value.status == 500


def test_connection_closed_by_server_is_not_reused() -> None:
    async def scenario() -> list:
        answers = []
        async with Server() as server:
            endpoint = EndpointConfig(url=server.url)
            answers.append(await endpoint.request(method="post", json={"n": 1}))
            await server.runner.shutdown()  # the server drops its keep-alive connections
        async with Server() as again:
            endpoint = EndpointConfig(url=again.url)
            answers.append(await endpoint.request(method="post", json={"n": 2}))
        return answers

    assert asyncio.run(scenario()) == [{"echo": {"n": 1}}, {"echo": {"n": 2}}]


def test_each_event_loop_gets_its_own_session() -> None:
    async def call() -> tuple[dict, aiohttp.ClientSession]:
        async with Server() as server:
            endpoint = EndpointConfig(url=server.url)
            answer = await endpoint.request(method="post", json={"ok": True})
            async with endpoint.session() as session:
                return answer, session

    first_answer, first_session = asyncio.run(call())
    second_answer, second_session = asyncio.run(call())  # the first loop is closed now
    assert first_answer == second_answer == {"echo": {"ok": True}}
    assert second_session is not first_session
    assert not second_session.closed
    pooled_endpoints.close_all()
    assert second_session.closed
