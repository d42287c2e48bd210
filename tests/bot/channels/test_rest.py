"""The capped REST channel over real HTTP: the bearer token, the channel name, Rasa's reply
format, the length cap, the body limit, the payload guard."""

from __future__ import annotations

import json
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
import yaml
from rasa.core.channels.channel import UserMessage, register
from rasa.core.channels.rest import RestInput
from rasa.core.run import create_http_input_channels
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from bot.channels import length
from bot.channels.payloads import PayloadGuard
from bot.channels.rest import (
    TOKEN_FILE,
    CappedRestInput,
    app_body_limit,
    cap_app_bodies,
    rest_token,
)
from bot.channels.webchat.uploads import MULTIPART_SLACK
from bot.db import engine_for
from bot.letters.limits import MB
from bot.settings import Settings
from harness.fakes.serving import Recorder, serve

pytestmark = pytest.mark.asyncio

ROOT = Path(__file__).resolve().parents[3]
LONG = "mohon info dana alokasi umum " * 700  # 20,300 characters, as the evaluation's LONG:20000
TOKEN = "test-rest-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BUTTONS = [{"title": "Ya", "payload": "/affirm"}, {"title": "Tidak", "payload": "/deny"}]


async def buttons_bot(message: UserMessage) -> None:
    """Answers like the assistant often does: a text, then a text with buttons."""
    await message.output_channel.send_text_message(message.sender_id, f"echo: {message.text}")
    await message.output_channel.send_text_with_buttons(message.sender_id, "Membantu?", BUTTONS)


async def post(url: str, data: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """POST raw data with the test token (unless `headers` says otherwise); the status and the
    decoded JSON (or text) body."""
    headers = {"Content-Type": "application/json", **AUTH, **(headers or {})}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=data, headers=headers) as response,
    ):
        text = await response.text()
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text


@pytest.fixture(autouse=True)
def offers_db(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """Offered payloads go to a fresh database and a generated token to a fresh var/, never the
    repository's."""
    monkeypatch.setenv("DJPK_DB_URL", db_url)
    monkeypatch.setenv("DJPK_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("DJPK_REST_TOKEN", raising=False)
    return db_url


def said(sender: str, text: str) -> bytes:
    return json.dumps({"sender": sender, "message": text}).encode()


async def replies_of(channel: RestInput, bodies: list[Any]) -> list[tuple[int, Any]]:
    """Each body POSTed to a server of the channel with the buttons bot."""
    async with serve(channel, buttons_bot) as url:
        return [await post(url, body) for body in bodies]


async def test_replies_are_rasas_rest_format() -> None:
    bodies = [said("u1", "halo"), said("u2", "x" * 2000), b"{not json"]
    ours = await replies_of(CappedRestInput(token=TOKEN), bodies)
    assert ours == await replies_of(RestInput(), bodies)
    assert ours[0] == (
        200,
        [
            {"recipient_id": "u1", "text": "echo: halo"},
            {"recipient_id": "u1", "text": "Membantu?", "buttons": BUTTONS},
        ],
    )
    assert ours[2][0] == 400


async def test_a_long_message_gets_the_polite_line_and_never_reaches_the_bot() -> None:
    bot = Recorder()
    async with serve(CappedRestInput(token=TOKEN), bot) as url:
        status, replies = await post(url, said("u1", LONG))
        assert (status, replies) == (200, [{"recipient_id": "u1", "text": length.reply()}])
        assert await post(url, said("u1", "halo")) == (
            200,
            [{"recipient_id": "u1", "text": "echo: halo"}],
        )
    assert [m.text for m in bot.messages] == ["halo"]


async def test_a_long_message_is_capped_in_stream_mode_too() -> None:
    bot = Recorder()
    async with (
        serve(CappedRestInput(token=TOKEN), bot) as url,
        aiohttp.ClientSession() as session,
        session.post(url + "?stream=true", data=said("u1", LONG), headers=AUTH) as response,
    ):
        lines = [json.loads(line) for line in (await response.text()).splitlines() if line]
    assert lines == [{"recipient_id": "u1", "text": length.reply()}]
    assert bot.messages == []


async def test_a_body_over_the_limit_is_refused_with_413_by_its_content_length() -> None:
    bot = Recorder()
    huge = b'{"sender": "u1", "message": "' + b"a" * (5 * 1024 * 1024) + b'"}'
    async with serve(CappedRestInput(token=TOKEN), bot) as url:
        status, body = await post(url, huge)
        assert status == 413
        assert body["error"] == "payload_too_large"
        assert "terlalu panjang" in body["message"]
        assert await post(url, said("u1", "halo")) == (
            200,
            [{"recipient_id": "u1", "text": "echo: halo"}],
        )
    assert [m.text for m in bot.messages] == ["halo"]


async def test_a_chunked_body_is_refused_once_it_passes_the_limit() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"sender": "u1", "message": "'
        for _ in range(64):
            yield b"a" * 1024
        yield b'"}'

    bot = Recorder()
    async with serve(CappedRestInput(body_limit=16 * 1024, token=TOKEN), bot) as url:
        status, body = await post(url, chunks())
    assert status == 413 and body["error"] == "payload_too_large"
    assert bot.messages == []


async def test_a_body_within_the_limit_but_a_text_over_the_cap_is_answered() -> None:
    bot = Recorder()
    text = "é" * 200_000  # 400 KB of UTF-8, 1.2 MB as JSON \u escapes: under and over the limit
    async with serve(CappedRestInput(token=TOKEN), bot) as url:
        plain = json.dumps({"sender": "u1", "message": text}, ensure_ascii=False).encode()
        assert (await post(url, plain))[1] == [{"recipient_id": "u1", "text": length.reply()}]
        assert (await post(url, said("u1", text)))[0] == 413
    assert bot.messages == []


def test_credentials_yml_mounts_it_at_rasas_rest_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DJPK_MAX_MESSAGE_CHARS", "1500")
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    rest = {key: value for key, value in credentials.items() if key.endswith("RestInput")}
    path = tmp_path / "credentials.yml"
    path.write_text(yaml.safe_dump({**rest}))
    (channel,) = create_http_input_channels(None, str(path))
    assert isinstance(channel, CappedRestInput) and channel.name() == "rest"
    assert (channel.gate.limit, channel.body_limit) == (1500, length.BODY_LIMIT)
    assert CappedRestInput.from_credentials({"body_limit": 4096}).body_limit == 4096

    Sanic.test_mode = True
    app = Sanic("rest_credentials_test")
    register([channel], app, route="/webhooks/")
    assert "webhooks/rest/webhook" in {route.path for route in app.router.routes}


INJECTED = '/csat{"csat_service": 5}'


async def test_a_payload_never_offered_reaches_the_bot_as_plain_text() -> None:
    bot = Recorder()
    async with serve(CappedRestInput(token=TOKEN), bot) as url:
        for text in (INJECTED, "/affirm", ' / / share_document{"document_path": "/etc/passwd"}'):
            await post(url, said("u1", text))
    assert [m.text for m in bot.messages] == [
        'csat{"csat_service": 5}',
        "affirm",
        'share_document{"document_path": "/etc/passwd"}',
    ]


async def test_a_payload_offered_as_a_button_passes_in_that_conversation_only() -> None:
    bot = Recorder()
    async with serve(CappedRestInput(token=TOKEN), buttons_bot) as url:
        status, replies = await post(url, said("u1", "halo"))
        assert status == 200 and replies[1]["buttons"] == BUTTONS  # the offer, Rasa's format
        assert await post(url, said("u1", "/affirm")) == (
            200,
            [
                {"recipient_id": "u1", "text": "echo: /affirm"},
                {"recipient_id": "u1", "text": "Membantu?", "buttons": BUTTONS},
            ],
        )
    async with serve(CappedRestInput(token=TOKEN), bot) as url:
        await post(url, said("u1", " /deny "))
        await post(url, said("u2", "/affirm"))  # offered to u1, not to u2
        await post(url, said("u1", INJECTED))  # never offered to anyone
        await post(url, said("u3", "/greet"))  # the web chat's open payload, here too
    assert [m.text for m in bot.messages] == [
        "/deny",
        "affirm",
        'csat{"csat_service": 5}',
        "/greet",
    ]


async def test_offers_are_recorded_and_checked_in_stream_mode_too(offers_db: str) -> None:
    async def stream(url: str, body: bytes) -> list[dict[str, Any]]:
        async with (
            aiohttp.ClientSession() as session,
            session.post(url + "?stream=true", data=body, headers=AUTH) as response,
        ):
            return [json.loads(line) for line in (await response.text()).splitlines() if line]

    async with serve(CappedRestInput(token=TOKEN), buttons_bot) as url:
        assert (await stream(url, said("s1", "/affirm")))[0]["text"] == "echo: affirm"
        assert (await stream(url, said("s1", "halo")))[1]["buttons"] == BUTTONS
        assert (await stream(url, said("s1", "/affirm")))[0]["text"] == "echo: /affirm"
    assert PayloadGuard(engine_for(offers_db)).is_offered("s1", "/deny")


async def test_offers_are_read_from_the_shared_database(offers_db: str) -> None:
    PayloadGuard(engine_for(offers_db)).offer("628111", [INJECTED])  # offered on another channel
    bot = Recorder()
    async with serve(CappedRestInput(db_url=offers_db, token=TOKEN), bot) as url:
        await post(url, said("628111", INJECTED))
    assert [m.text for m in bot.messages] == [INJECTED]


async def test_without_the_right_bearer_token_401_and_the_bot_never_hears_it() -> None:
    bot = Recorder()
    refused = [
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": TOKEN},
        {"Authorization": "Bearer tökén"},
    ]
    async with serve(CappedRestInput(token=TOKEN), bot) as url:
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=said("u1", "halo")) as response,  # no header at all
        ):
            assert response.status == 401
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
            body = await response.json()
        assert body["error"] == "unauthorized" and "Bearer" in body["message"]
        for headers in refused:
            status, body = await post(url, said("u1", "halo"), headers)
            assert status == 401, headers
            assert body["error"] == "unauthorized"
        assert (await post(url, said("u1", "x"), {"Authorization": f"Bearer {TOKEN}x"}))[0] == 401
        huge = b'{"sender": "u1", "message": "' + b"a" * (5 * 1024 * 1024) + b'"}'
        assert (await post(url, huge, {"Authorization": "Bearer nope"}))[0] == 401
        assert await post(url, said("u1", "halo"), {"Authorization": f"bearer  {TOKEN} "}) == (
            200,
            [{"recipient_id": "u1", "text": "echo: halo"}],
        )
    assert [m.text for m in bot.messages] == ["halo"]


async def test_an_empty_token_lets_nobody_in() -> None:
    bot = Recorder()
    async with serve(CappedRestInput(token=""), bot) as url:
        assert (await post(url, said("u1", "halo"), {"Authorization": "Bearer "}))[0] == 401
        assert (await post(url, said("u1", "halo"), {"Authorization": "Bearer"}))[0] == 401
    assert bot.messages == []


def test_the_token_is_generated_once_into_var_rest_token_and_reused(tmp_path: Path) -> None:
    var = tmp_path / "var"
    first = CappedRestInput.from_credentials(None).token
    path = var / TOKEN_FILE
    assert path.read_text().strip() == first and len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert CappedRestInput.from_credentials({}).token == first  # a restart reads the same file
    assert CappedRestInput().token == first
    assert rest_token() == first
    assert list(var.iterdir()) == [path]  # no draft left behind


def test_djpk_rest_token_wins_and_nothing_is_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DJPK_REST_TOKEN", "from-the-environment")
    assert CappedRestInput.from_credentials(None).token == "from-the-environment"
    assert not (tmp_path / "var").exists()


async def test_the_generated_token_is_the_one_the_server_checks(tmp_path: Path) -> None:
    bot = Recorder()
    async with serve(CappedRestInput.from_credentials(None), bot) as url:
        token = (tmp_path / "var" / TOKEN_FILE).read_text().strip()
        assert (await post(url, said("u1", "halo"), {"Authorization": f"Bearer {token}"}))[0] == 200
        assert (await post(url, said("u1", "halo")))[0] == 401  # the test token is not it
    assert len(bot.messages) == 1


async def test_a_caller_supplied_input_channel_is_ignored() -> None:
    """The tracker, updated as Rasa's MessageProcessor does, says "rest" whatever the body says."""
    trackers: dict[str, DialogueStateTracker] = {}

    async def processor(message: UserMessage) -> None:
        sender = message.sender_id
        tracker = trackers.setdefault(sender, DialogueStateTracker(sender, []))
        tracker.update(UserUttered(message.text, input_channel=message.input_channel))
        await message.output_channel.send_text_message(message.sender_id, "ok")

    forged = {"sender": "628111111111", "message": "halo", "input_channel": "whatsapp"}
    async with serve(CappedRestInput(token=TOKEN), processor) as url:
        assert (await post(url, json.dumps(forged).encode()))[0] == 200
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                url + "?stream=true",
                data=json.dumps({**forged, "sender": "s1", "input_channel": "socketio"}),
                headers=AUTH,
            ) as response,
        ):
            assert response.status == 200
            await response.read()
    assert trackers.keys() == {"628111111111", "s1"}
    for tracker in trackers.values():
        assert tracker.get_latest_input_channel() == "rest"


def test_the_app_wide_body_limit_follows_the_upload_limit_and_never_rises() -> None:
    limit = app_body_limit(Settings.from_env({"DJPK_UPLOAD_MAX_MB": "20"}))
    assert limit == 20 * MB + MULTIPART_SLACK
    app = SimpleNamespace(config=SimpleNamespace(REQUEST_MAX_SIZE=100_000_000))
    cap_app_bodies(app, limit)  # type: ignore[arg-type]
    assert limit == app.config.REQUEST_MAX_SIZE
    cap_app_bodies(app, 200 * MB)  # type: ignore[arg-type]
    assert limit == app.config.REQUEST_MAX_SIZE


async def test_a_turn_that_fails_answers_503_so_the_caller_sends_it_again() -> None:
    """A conversation lock left by a crashed server (Rasa raises LockError) or any other failure
    of the turn: the message was not handled, and 200 with an empty list would say it was."""

    async def failing_bot(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, "setengah jalan")
        raise RuntimeError("Could not acquire lock for conversation_id 'u1'.")

    async with serve(CappedRestInput(token=TOKEN), failing_bot) as url:
        status, body = await post(url, said("u1", "kapan dau cair"))
    assert status == 503 and "send it again" in body["error"]
