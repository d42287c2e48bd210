"""A turn whose custom action cannot reach the action server ends with one apology (with the
official contacts of the knowledge base); a turn without a failure is left alone."""

from __future__ import annotations

import contextlib
import shutil
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiohttp import web
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import components  # noqa: F401  (installs the wrappers)
from components import action_outage
from harness.stack import ROOT

DOMAIN = Domain.empty()
WHATSAPP = "0899-0000-1234"  # only in this test's contacts.yml: the apology reads the file


@pytest.fixture(autouse=True)
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    text = (ROOT / "knowledge_base" / "contacts.yml").read_text()
    contacts = folder / "contacts.yml"
    contacts.write_text(text.replace("whatsapp:", f'whatsapp: "{WHATSAPP}"\nold_whatsapp:', 1))
    monkeypatch.setenv("DJPK_KB_DIR", str(folder))
    return folder


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/webhook"


def tracker() -> DialogueStateTracker:
    user = UserUttered("apa itu dau", {"name": "ask_faq", "confidence": 1.0})
    return DialogueStateTracker.from_events("u1", [user])


async def run_actions(names: list[str], url: str, output, state) -> None:
    """What Rasa's loop does with each action: run it, log and swallow any exception."""
    for name in names:
        with contextlib.suppress(Exception):
            await RemoteAction(name, EndpointConfig(url=url)).run(output, None, state, DOMAIN)


async def turn(monkeypatch, names: list[str], url: str) -> tuple[list[dict], DialogueStateTracker]:
    """One prediction loop (through the installed wrapper) that runs `names` against `url`."""

    async def loop(_processor, output, state) -> None:
        await run_actions(names, url, output, state)

    monkeypatch.setattr(action_outage, "_rasa_loop", loop)
    output, state = CollectingOutputChannel(), tracker()
    processor = SimpleNamespace(domain=DOMAIN)
    await MessageProcessor._run_prediction_loop(processor, output, state)
    return output.messages, state


def test_installed() -> None:
    assert RemoteAction.run is action_outage.run_noting_failure
    assert MessageProcessor._run_prediction_loop is action_outage.prediction_loop_with_apology


async def test_two_failed_actions_in_a_turn_give_one_apology_with_the_contacts(monkeypatch):
    messages, state = await turn(
        monkeypatch, ["action_answer_faq", "action_ask_csat"], closed_port()
    )
    assert len(messages) == 1
    text = messages[0]["text"]
    assert text.startswith("Mohon maaf") and WHATSAPP in text and "Dering" in text
    recorded = [e for e in state.events if isinstance(e, BotUttered)]
    assert [e.text for e in recorded] == [text]
    assert recorded[0].metadata == {action_outage.MARK: ["action_answer_faq", "action_ask_csat"]}


async def test_the_next_turn_starts_clean(monkeypatch):
    await turn(monkeypatch, ["action_answer_faq"], closed_port())
    messages, state = await turn(monkeypatch, [], closed_port())
    assert messages == [] and not any(isinstance(e, BotUttered) for e in state.events)


class ActionServer:
    """A real local HTTP server answering every action call with `status` and `body`."""

    def __init__(self, status: int, body: dict) -> None:
        self.status, self.body = status, body

    async def __aenter__(self) -> str:
        app = web.Application()
        app.router.add_post("/webhook", self.answer)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/webhook"

    async def __aexit__(self, *_exc: object) -> None:
        await self.runner.cleanup()

    async def answer(self, _request: web.Request) -> web.Response:
        return web.json_response(self.body, status=self.status)


async def test_a_silent_action_stays_silent(monkeypatch):
    """The relay while an agent owns the chat answers nothing: no apology either."""
    async with ActionServer(200, {"events": [], "responses": []}) as url:
        messages, state = await turn(monkeypatch, ["action_relay_to_agent"], url)
    assert messages == [] and not any(isinstance(e, BotUttered) for e in state.events)


async def test_a_rejection_is_rasas_normal_flow_not_an_outage(monkeypatch):
    body = {"action_name": "validate_handoff_form", "error": "rejected"}
    async with ActionServer(400, body) as url:
        with pytest.raises(ActionExecutionRejection):
            await RemoteAction("validate_handoff_form", EndpointConfig(url=url)).run(
                CollectingOutputChannel(), None, tracker(), DOMAIN
            )
        messages, _ = await turn(monkeypatch, ["validate_handoff_form"], url)
    assert messages == []


async def test_a_refused_token_is_an_outage_too(monkeypatch):
    async with ActionServer(401, {"error": "unauthorised"}) as url:
        messages, _ = await turn(monkeypatch, ["action_answer_faq"], url)
    assert len(messages) == 1 and WHATSAPP in messages[0]["text"]


async def test_without_contacts_the_apology_is_still_sent(monkeypatch, kb: Path):
    shutil.rmtree(kb)
    messages, _ = await turn(monkeypatch, ["action_answer_faq"], closed_port())
    assert [m["text"] for m in messages] == [action_outage.APOLOGY]
