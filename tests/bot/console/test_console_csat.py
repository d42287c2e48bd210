"""The CSAT questions after a resolve reach the user where the user is reachable: on WhatsApp
within 24 hours as asked, past them by the approved template or, without one, not at all and
the ticket's history says why."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from bot.console.bridge import CSAT_NOT_ASKED, ConversationBridge
from bot.console.channel import ConsoleInput
from bot.console.services import ConsoleServices
from tests.bot.console.conftest import PASSWORD, open_ticket
from tests.bot.console.support import CSAT_TEXT, Client, FakeAgent, RecordingChannel, serve

WA = "6281234567890"


WROTE = datetime(2026, 12, 4, 10, 0, tzinfo=timezone.utc)  # a Friday, 17.00 WIB


def whatsapp_agent(wrote: datetime = WROTE) -> FakeAgent:
    """A conversation whose user last wrote on WhatsApp at `wrote`."""
    agent = FakeAgent()
    agent.processor.start(WA, "whatsapp", "dana desa kapan cair")
    agent.processor.trackers[WA].events[-1].timestamp = wrote.timestamp()
    return agent


def bridge(
    agent: FakeAgent, channel: RecordingChannel, hours_later: float, template: str = ""
) -> ConversationBridge:
    """The bridge `hours_later` hours after the user's last message."""
    at = WROTE + timedelta(hours=hours_later)
    return ConversationBridge(agent, [channel], csat_template=template, clock=lambda: at)


async def test_within_the_window_the_questions_are_asked_on_whatsapp() -> None:
    agent, channel = whatsapp_agent(), RecordingChannel("whatsapp")
    delivery = await bridge(agent, channel, hours_later=23).resume(WA)
    assert (delivery.pushed, delivery.note) == (True, "")
    assert channel.sent_to(WA) == [CSAT_TEXT]


async def test_past_the_window_without_a_template_nothing_is_sent_and_the_reason_kept() -> None:
    agent, channel = whatsapp_agent(), RecordingChannel("whatsapp")
    delivery = await bridge(agent, channel, hours_later=25).resume(WA)
    assert (delivery.pushed, delivery.note) == (False, CSAT_NOT_ASKED)
    assert channel.output.messages == [] and agent.processor.triggered == []


async def test_past_the_window_the_template_asks_and_the_questions_are_recorded() -> None:
    agent, channel = whatsapp_agent(), RecordingChannel("whatsapp")
    delivery = await bridge(agent, channel, 66, template="csat_djpk:id").resume(WA)
    assert delivery.pushed and "csat_djpk" in delivery.note
    [sent] = channel.output.messages
    assert sent["custom"]["type"] == "template"
    assert sent["custom"]["template"] == {"name": "csat_djpk", "language": {"code": "id"}}
    assert agent.processor.triggered == [(WA, "handoff_resolved")]  # a typed answer is read


@pytest.mark.parametrize("template", ["", "csat_djpk"])
async def test_the_ticket_history_says_how_the_questions_went(
    services: ConsoleServices, monkeypatch, template
) -> None:
    monkeypatch.setenv("WHATSAPP_CSAT_TEMPLATE", template)
    ticket = open_ticket(services, WA, "whatsapp", "dana desa kapan cair")
    two_days_ago = datetime.fromtimestamp(time.time(), timezone.utc) - timedelta(hours=48)
    agent, channel = whatsapp_agent(two_days_ago), RecordingChannel("whatsapp")  # server clock
    console = ConsoleInput(services.settings, services)
    async with serve(console, agent, [channel]) as url:
        client = Client(url)
        try:
            assert (await client.login("agen1", PASSWORD))[0] == 200
            assert (await client.post(f"/api/tickets/{ticket.id}/claim"))[0] == 200
            status, data = await client.post(f"/api/tickets/{ticket.id}/resolve")
        finally:
            await client.close()
    assert status == 200
    notes = [e.detail for e in services.tickets.events(ticket.id) if e.kind.value == "note"]
    if template:
        assert data["delivery"]["pushed"] and "csat_djpk" in notes[-1]
    else:
        assert notes == [CSAT_NOT_ASKED] and not data["delivery"]["pushed"]
        assert "24-hour window" in data["delivery"]["note"]
