"""Delivery states of agent replies in the console API: labels, the 24-hour window, retry."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.channels.graph_api import GraphError
from bot.console.channel import ConsoleInput
from bot.console.services import ConsoleServices
from bot.tickets import taxonomy as keys
from bot.tickets.taxonomy import Topic
from tests.bot.console.conftest import PASSWORD, make_settings, open_ticket
from tests.bot.console.support import Client, FakeAgent, serve


class FakeWhatsAppOutput(CollectingOutputChannel):
    """Refuses the next `refusals` sends as Meta does outside the window (131047)."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals = 0
        self.templates: list[tuple[str, str, list[str]]] = []

    async def send_agent_text(self, recipient_id: str, text: str) -> str:
        if self.refusals:
            self.refusals -= 1
            raise GraphError(400, 131047, "Re-engagement message")
        await self.send_text_message(recipient_id, text)
        return f"wamid.{len(self.messages)}"

    async def send_reopen_template(
        self, recipient_id: str, name: str, language: str, params: list[str]
    ) -> str:
        self.templates.append((recipient_id, name, params))
        return "wamid.template"


class Channel(InputChannel):
    def __init__(self, name: str, output: Any, connected: bool = True) -> None:
        self.channel_name, self.output, self.connected = name, output, connected

    def name(self) -> str:  # type: ignore[override]
        return self.channel_name

    def get_output_channel(self) -> Any:
        return self.output

    def is_connected(self, conversation_id: str) -> bool:
        return self.connected


def start(agent: FakeAgent, conversation_id: str, channel: str, hours_ago: float = 0) -> None:
    tracker = DialogueStateTracker(conversation_id, slots=[])
    at = time.time() - hours_ago * 3600
    tracker.update(UserUttered("halo", {"name": "greet"}, input_channel=channel, timestamp=at))
    tracker.update(ActionExecuted("utter_greet", timestamp=at + 1))
    tracker.update(BotUttered("Halo, ada yang bisa kami bantu?", timestamp=at + 1))
    tracker.update(ActionExecuted("action_listen", timestamp=at + 1))
    agent.processor.trackers[conversation_id] = tracker


@pytest.fixture
async def desk(tmp_path) -> AsyncIterator[dict[str, Any]]:
    async def make(template: str = "") -> dict[str, Any]:
        settings = make_settings(tmp_path)
        if template:
            settings = type(settings)(**{**settings.__dict__, "whatsapp_reopen_template": template})
        services = ConsoleServices(settings, bcrypt_rounds=4)
        services.users.add("agen1", PASSWORD, "agent")
        services.users.add("agen2", PASSWORD, "agent")
        tickets = {
            name: open_ticket(services, conversation, channel, "dau tahap 1 belum cair")
            for name, conversation, channel in (
                ("wa", "62811", "whatsapp"),
                ("old", "62822", "whatsapp"),
                ("web", "web-9", "livechat"),
            )
        }
        agent, whatsapp = FakeAgent(), FakeWhatsAppOutput()
        start(agent, "62811", "whatsapp")
        start(agent, "62822", "whatsapp", hours_ago=30)
        start(agent, "web-9", "socketio")
        socket = Channel("socketio", CollectingOutputChannel(), connected=False)
        channels = [Channel("whatsapp", whatsapp), socket]
        context = serve(ConsoleInput(services.settings, services), agent, channels)
        url = await context.__aenter__()
        opened.append(context)
        client = Client(url)
        clients.append(client)
        assert (await client.login("agen1", PASSWORD))[0] == 200
        for ticket in tickets.values():
            assert (await client.post(f"/api/tickets/{ticket.id}/claim"))[0] == 200
        return {
            "client": client,
            "tickets": tickets,
            "whatsapp": whatsapp,
            "url": url,
            "services": services,
            "agent": agent,
        }

    opened: list[Any] = []
    clients: list[Client] = []
    yield make
    for client in clients:
        await client.close()
    for context in opened:
        await context.__aexit__(None, None, None)


def labels(detail: dict) -> list[tuple[str, str]]:
    return [
        (m["text"], m["delivery"]["state"]) for m in detail["messages"] if m["sender"] == "agent"
    ]


async def test_a_refused_reply_is_failed_with_its_reason_and_can_be_sent_again(desk) -> None:
    console = await desk()
    client, ticket, whatsapp = console["client"], console["tickets"]["wa"], console["whatsapp"]
    base = f"/api/tickets/{ticket.id}"
    whatsapp.refusals = 1
    status, data = await client.post(f"{base}/reply", {"text": "Selamat siang, Bapak."})
    assert status == 200
    assert data["message"]["delivery"]["state"] == "failed"
    assert "131047" in data["message"]["delivery"]["reason"]
    status, detail = await client.get(base)
    [failed] = [m for m in detail["messages"] if m["sender"] == "agent"]
    assert failed["delivery"]["label"] == "gagal" and failed["delivery"]["retryable"]

    other = Client(console["url"])
    try:
        assert (await other.login("agen2", PASSWORD))[0] == 200
        denied, _ = await other.post(f"{base}/messages/{failed['id']}/retry")
        assert denied == 409  # the ticket belongs to agen1
    finally:
        await other.close()
    assert whatsapp.messages == []

    status, data = await client.post(f"{base}/messages/{failed['id']}/retry")
    assert (status, data["delivery"]["state"], data["delivery"]["reason"]) == (200, "sent", "")
    assert [m["text"] for m in whatsapp.messages] == ["Selamat siang, Bapak."]
    assert labels((await client.get(base))[1]) == [("Selamat siang, Bapak.", "sent")]
    assert (await client.post(f"{base}/messages/{failed['id']}/retry"))[0] == 409
    assert (await client.post(f"{base}/messages/99999/retry"))[0] == 404


async def test_outside_the_window_without_a_template_the_console_says_so(desk) -> None:
    console = await desk()
    client, ticket = console["client"], console["tickets"]["old"]
    status, detail = await client.get(f"/api/tickets/{ticket.id}")
    reach = detail["reach"]
    assert (status, reach["channel"], reach["window_open"]) == (200, "whatsapp", False)
    assert "tidak dapat dikirim lewat WhatsApp" in reach["notice"]
    assert {c["label"] for c in reach["contacts"]} >= {"Dering DJPK", "E-mail"}
    fresh = (await client.get(f"/api/tickets/{console['tickets']['wa'].id}"))[1]["reach"]
    assert fresh["window_open"] is True and "notice" not in fresh


async def test_outside_the_window_the_template_goes_and_the_reply_waits(desk) -> None:
    console = await desk(template="djpk_lanjutan")
    client, ticket, whatsapp = console["client"], console["tickets"]["old"], console["whatsapp"]
    detail = (await client.get(f"/api/tickets/{ticket.id}"))[1]
    assert "djpk_lanjutan" in detail["reach"]["notice"]
    status, data = await client.post(f"/api/tickets/{ticket.id}/reply", {"text": "Jawaban kami"})
    assert (status, data["message"]["delivery"]["state"]) == (200, "queued")
    assert whatsapp.templates == [("62822", "djpk_lanjutan", ["Budi Santoso", ticket.number])]
    assert whatsapp.messages == []  # the reply itself waits for the user's answer


async def test_a_reply_to_a_disconnected_web_chat_user_is_queued(desk) -> None:
    console = await desk()
    client, ticket = console["client"], console["tickets"]["web"]
    detail = (await client.get(f"/api/tickets/{ticket.id}"))[1]
    assert "tidak terhubung" in detail["reach"]["notice"]
    status, data = await client.post(f"/api/tickets/{ticket.id}/reply", {"text": "Halo lagi"})
    assert (status, data["message"]["delivery"]["label"]) == (200, "menunggu")
    detail = (await client.get(f"/api/tickets/{ticket.id}"))[1]
    assert labels(detail) == [("Halo lagi", "queued")]


async def reservation(console: dict[str, Any], conversation_id: str, channel: str) -> Any:
    """A claimed video-conference reservation ticket of `conversation_id`."""
    services: ConsoleServices = console["services"]
    ticket = services.tickets.open_handoff(
        conversation_id=conversation_id,
        channel=channel,
        name="Budi Santoso",
        instansi="BPKAD Kab. Brebes",
        topic_text="Reservasi video conference: DBH",
        topic=Topic.RESERVASI,
        pause=False,
        context={keys.RESERVATION: keys.VIDEO, keys.SCHEDULE: "2099-01-01", keys.ATTENDEES: 3.0},
    ).ticket
    assert (await console["client"].post(f"/api/tickets/{ticket.id}/claim"))[0] == 200
    return ticket


def decision(console: dict[str, Any]) -> dict[str, str]:
    """A confirmation on a working day a week after the service's today."""
    tickets = console["services"].tickets
    day = tickets.clock().date() + timedelta(days=7)
    while not tickets.reservation_policy.is_working_day(day):
        day += timedelta(days=1)
    body = {"date": day.isoformat(), "time": "10.00", "mode": "video_conference"}
    return {**body, "link": "https://teams.example/rapat-9"}


@pytest.mark.parametrize("template", ["", "djpk_lanjutan"])
async def test_a_reservation_decision_outside_the_window(desk, template: str) -> None:
    """Past the 24 hours the decision goes through the template (and waits for the user) or is
    shown failed with Meta's reason, like any agent reply."""
    console = await desk(template=template)
    client, whatsapp = console["client"], console["whatsapp"]
    start(console["agent"], "62833", "whatsapp", hours_ago=30)
    ticket = await reservation(console, "62833", "whatsapp")
    whatsapp.refusals = 0 if template else 1  # Meta refuses free text past the window
    path = f"/api/tickets/{ticket.id}/reservation/confirm"
    status, data = await client.post(path, decision(console))
    assert status == 200, data
    state = data["message"]["delivery"]["state"]
    detail = (await client.get(f"/api/tickets/{ticket.id}"))[1]
    [line] = [m for m in detail["messages"] if m["sender"] == "agent"]
    assert "telah kami konfirmasi" in line["text"] and line["delivery"]["state"] == state
    assert whatsapp.messages == []
    if template:
        assert state == "queued"
        assert whatsapp.templates == [("62833", "djpk_lanjutan", ["Budi Santoso", ticket.number])]
    else:
        assert state == "failed" and "131047" in line["delivery"]["reason"]
        assert line["delivery"]["retryable"] is True


async def test_a_reservation_decision_waits_for_a_web_chat_user_who_is_away(desk) -> None:
    console = await desk()
    client = console["client"]
    start(console["agent"], "web-10", "socketio")
    ticket = await reservation(console, "web-10", "livechat")
    status, data = await client.post(
        f"/api/tickets/{ticket.id}/reservation/confirm", decision(console)
    )
    assert (status, data["message"]["delivery"]["state"]) == (200, "queued"), data
    waiting = console["services"].deliveries.queued_for("web-10", "socketio")
    assert [w.message_id for w in waiting] == [data["message"]["id"]]
