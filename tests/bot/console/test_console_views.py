"""The context summary an agent reads on top of a ticket."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.console.views import context_summary
from bot.settings import Settings
from bot.tickets.service import TicketService
from bot.tickets.taxonomy import Channel

WEDNESDAY = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


def test_empty_context_values_are_left_out_and_the_others_shown(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DJPK_DB_URL", f"sqlite:///{tmp_path / 'djpk.db'}")
    service = TicketService.from_settings(Settings.from_env())
    ticket = service.open_handoff(
        conversation_id="u1",
        channel=Channel.from_rasa("rest"),
        name="Budi",
        instansi="BPKAD Kab. Brebes",
        topic_text="reservasi video conference DAU",
        context={"letter_sent": None, "attendees_count": 3, "topik": "DAU"},
        now=WEDNESDAY,
    ).ticket
    summary = {line["label"]: line["value"] for line in context_summary(ticket, lambda _: None)}
    assert "Letter sent" not in summary
    assert (summary["Attendees count"], summary["Topik"]) == ("3", "DAU")
    assert "null" not in summary.values()
