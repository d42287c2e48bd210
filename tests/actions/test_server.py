"""The action server's door (actions/server.py): loopback test, start-up refusal, token check."""

from __future__ import annotations

import aiohttp
import pytest
from sanic import Sanic

from actions import services
from actions.server import DoorError, authorised, check_door, create_app, is_loopback, warm_up
from harness.fakes.serving import served

Sanic.test_mode = True  # rasa_sdk names every app "rasa_sdk": one per test here
TOKEN = "s3cret-token-for-tests"
CALL = {
    "next_action": "action_answer_faq",
    "sender_id": "u1",
    "tracker": {"sender_id": "u1", "slots": {}, "latest_message": {"text": "halo"}, "events": []},
    "domain": {},
    "version": "3.6.2",
}


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("10.0.0.5", False),
        ("actions.internal", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_beyond_loopback_a_token_is_required() -> None:
    check_door("127.0.0.1", "")
    check_door("0.0.0.0", TOKEN)
    with pytest.raises(DoorError, match="DJPK_ACTION_TOKEN"):
        check_door("0.0.0.0", "")
    with pytest.raises(DoorError, match="too short"):
        check_door("10.0.0.5", "x" * 15)
    check_door("10.0.0.5", "x" * 16)
    check_door("::1", "short")  # loopback: any token, or none


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        (f"Bearer {TOKEN}", True),
        (f"bearer  {TOKEN} ", True),
        (f"Bearer {TOKEN}x", False),
        (f"Token {TOKEN}", False),
        (TOKEN, False),
        ("Bearer ", False),
        ("", False),
    ],
)
def test_authorisation_header(header: str, ok: bool) -> None:
    assert authorised(header, TOKEN) is ok


async def statuses(base: str, headers: dict[str, str]) -> dict[str, int]:
    async with aiohttp.ClientSession(headers=headers) as session:
        found = {}
        async with session.post(f"{base}/webhook", json=CALL) as answer:
            found["webhook"] = answer.status
        async with session.get(f"{base}/actions") as answer:
            found["actions"] = answer.status
        async with session.get(f"{base}/health") as answer:
            found["health"] = answer.status
        return found


@pytest.fixture
def lexical_only(monkeypatch) -> None:
    """These tests are about the door, not the answer: the lexical index answers in
    milliseconds, where building the encoder on a loaded machine outlasted Sanic's 60 s."""
    monkeypatch.setenv("DJPK_FAQ_ENCODER", "off")


@pytest.mark.usefixtures("lexical_only")
async def test_with_a_token_only_health_is_open() -> None:
    async with served(create_app(TOKEN)) as base:
        assert await statuses(base, {}) == {"webhook": 401, "actions": 401, "health": 200}
        wrong = {"Authorization": "Bearer not-the-token"}
        assert await statuses(base, wrong) == {"webhook": 401, "actions": 401, "health": 200}
        right = {"Authorization": f"Bearer {TOKEN}"}
        assert await statuses(base, right) == {"webhook": 200, "actions": 200, "health": 200}


@pytest.mark.usefixtures("lexical_only")
async def test_without_a_token_the_loopback_server_runs_actions() -> None:
    async with served(create_app("")) as base:
        assert await statuses(base, {}) == {"webhook": 200, "actions": 200, "health": 200}


def test_warm_up_loads_the_knowledge_base_before_the_first_question(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DJPK_FAQ_ENCODER", "off")  # the lexical index is enough to see it loaded
    warm_up()
    kb = services.knowledge_base()
    assert kb._signature is not None and len(kb._retriever.entries) > 10  # built, not lazily


def test_warm_up_survives_a_broken_knowledge_base(tmp_path, monkeypatch, caplog) -> None:
    (tmp_path / "kb" / "faq").mkdir(parents=True)
    (tmp_path / "kb" / "faq" / "rusak.yml").write_text("entries: [\n")
    monkeypatch.setenv("DJPK_KB_DIR", str(tmp_path / "kb"))
    monkeypatch.setenv("DJPK_FAQ_ENCODER", "off")
    assert warm_up() >= 0
    assert services.knowledge_base().errors  # reported, and the server would still start
