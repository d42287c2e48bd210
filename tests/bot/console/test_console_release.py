"""POST /api/release: a supervisor runs the closing-time release (as at a given moment); the
notice reaches the user's channel through the bridge, once."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.bot.console.conftest import Console

FRIDAY_1630_WIB = datetime(2026, 12, 4, 9, 30, tzinfo=timezone.utc)


async def test_a_supervisor_releases_the_untaken_tickets_at_closing(console: Console, login):
    ticket = console.services.tickets.open_handoff(
        conversation_id="web-2",
        channel="livechat",
        name="Sari",
        instansi="BPKAD Kab. Lembata",
        topic_text="dana desa tahap 2 belum masuk",
        now=FRIDAY_1630_WIB,
    ).ticket
    console.agent.processor.start("web-2", "socketio")
    assert console.services.tickets.is_paused("web-2")
    agent = await login("agen1")
    status, data = await agent.post("/api/release", {"now": "2026-12-04T10:01:00Z"})
    assert status == 403
    supervisor = await login("spv")
    status, data = await supervisor.post("/api/release", {"now": "2026-12-04T09:59:00Z"})
    assert (status, data) == (200, {"released": []})  # 16.59 WIB: still open
    status, data = await supervisor.post("/api/release", {"now": "2026-12-04T10:01:00Z"})
    assert status == 200
    assert {"number": ticket.number, "delivered": True} in data["released"]
    sent = console.socketio.sent_to("web-2")
    assert len(sent) == 1 and "mulai Senin, 09.00 WITA" in sent[0] and ticket.number in sent[0]
    assert not console.services.tickets.is_paused("web-2")
    tracker = await console.agent.processor.get_tracker("web-2")
    assert tracker.events[-1].text == sent[0] and not tracker.events[-1].metadata.get("agent")
    status, data = await supervisor.post("/api/release", {"now": "2026-12-04T10:05:00Z"})
    assert ticket.number not in [r["number"] for r in data["released"]]
    assert len(console.socketio.sent_to("web-2")) == 1
    status, data = await supervisor.post("/api/release", {"now": "2026-12-04T10:05:00"})
    assert status == 400
