"""Console API flows on a stand-in Rasa agent: queue, claim, reply, note, escalate, resolve."""

from __future__ import annotations

from rasa.shared.core.events import BotUttered

from tests.bot.console.support import CSAT_TEXT


async def test_queue_filters_and_orders(console, login) -> None:
    client = await login("agen1")
    newest = (await client.get("/api/tickets"))[1]["tickets"]
    assert [t["number"] for t in newest] == [console.rest.number, console.web.number]
    oldest = (await client.get("/api/tickets?order=oldest"))[1]["tickets"]
    assert [t["number"] for t in oldest] == [console.web.number, console.rest.number]
    cases = {
        "channel=livechat": [console.web.number],
        "channel=whatsapp": [],
        "topic=DAU": [console.web.number],
        "topic=PDRD": [console.rest.number],
        "zone=WIB": [console.rest.number, console.web.number],
        "zone=WIT": [],
        "status=resolved": [],
        f"hours={'in' if console.web.in_service_hours else 'out'}": [
            console.rest.number,
            console.web.number,
        ],
        f"hours={'out' if console.web.in_service_hours else 'in'}": [],
    }
    for query, expected in cases.items():
        status, data = await client.get(f"/api/tickets?{query}")
        assert status == 200, query
        assert [t["number"] for t in data["tickets"]] == expected, query
        assert data["total"] == len(expected)
    for bad in ("status=gone", "channel=fax", "zone=UTC", "hours=maybe", "order=random", "limit=0"):
        assert (await client.get(f"/api/tickets?{bad}"))[0] == 400, bad


async def test_detail_has_context_summary_and_the_bots_part(console, login) -> None:
    client = await login("agen1")
    status, ticket = await client.get(f"/api/tickets/{console.web.id}")
    assert status == 200
    summary = {line["label"]: line["value"] for line in ticket["context_summary"]}
    assert summary["Pengguna"] == "Budi Santoso"
    assert summary["Pemda"] == "Kab. Brebes"
    assert summary["Topik"] == "DAU"
    assert summary["FAQ yang dicoba bot"].startswith("Kapan DAU")
    assert [m["sender"] for m in ticket["messages"]] == ["user", "bot"]


async def test_claim_reply_note_escalate_resolve(console, login) -> None:
    client = await login("agen1")
    service, processor = console.services.tickets, console.agent.processor
    base = f"/api/tickets/{console.web.id}"

    status, data = await client.post(f"{base}/claim")
    assert (status, data["ticket"]["status"]) == (200, "assigned")
    assert service.is_paused("web-1")
    assert service.conversations.handoff("web-1").owner == "agen1"

    status, data = await client.post(f"{base}/reply", {"text": "Selamat siang, saya Rina."})
    assert status == 200
    assert data["delivery"] == {"pushed": True, "channel": "socketio", "note": "sent via socketio"}
    assert console.socketio.sent_to("web-1") == ["Selamat siang, saya Rina."]
    uttered = [e for e in processor.trackers["web-1"].events if isinstance(e, BotUttered)]
    assert [(e.text, e.metadata) for e in uttered] == [
        ("Selamat siang, saya Rina.", {"agent": "agen1"})
    ]
    assert service.messages(console.web.id)[-1].text == "Selamat siang, saya Rina."

    status, data = await client.post(f"{base}/note", {"text": "perlu cek data KPPN"})
    assert (status, data["event"]["detail"]) == (200, "perlu cek data KPPN")
    status, data = await client.post(
        f"{base}/escalate", {"unit": "dana-transfer-umum", "note": "x"}
    )
    assert (status, data["ticket"]["escalation_unit"]) == (200, "dana-transfer-umum")
    assert (await client.post(f"{base}/escalate", {"unit": "direktorat-khayalan"}))[0] == 400

    status, data = await client.post(f"{base}/resolve", {"note": "terjawab"})
    assert (status, data["ticket"]["status"]) == (200, "resolved")
    assert not service.is_paused("web-1")
    assert processor.triggered == [("web-1", "handoff_resolved")]
    assert console.socketio.sent_to("web-1")[-1] == CSAT_TEXT
    kinds = [e.kind.value for e in service.events(console.web.id)]
    assert kinds == ["created", "assigned", "note", "escalated", "resolved"]
    assert (await client.post(f"{base}/reply", {"text": "lagi"}))[0] == 409


async def test_reply_to_a_rest_user_is_stored_but_not_pushed(console, login) -> None:
    client = await login("agen1")
    base = f"/api/tickets/{console.rest.id}"
    await client.post(f"{base}/claim")
    status, data = await client.post(f"{base}/reply", {"text": "Jawaban lewat REST"})
    assert status == 200
    assert data["delivery"] == {"pushed": False, "channel": "rest", "note": "not pushed: REST"}
    assert console.services.tickets.messages(console.rest.id)[-1].text == "Jawaban lewat REST"
    status, data = await client.post(f"{base}/resolve")
    assert status == 200 and not data["delivery"]["pushed"]
    assert console.agent.processor.triggered == [("rest-1", "handoff_resolved")]


async def test_bad_bodies_get_400(console, login) -> None:
    client = await login("agen1")
    base = f"/api/tickets/{console.web.id}"
    await client.post(f"{base}/claim")
    for body in ({}, {"text": "   "}, {"text": 5}, {"text": "x" * 4001}):
        assert (await client.post(f"{base}/reply", body))[0] == 400, body
    status, _, _ = await client.request("POST", f"{base}/note", json=["not", "an", "object"])
    assert status == 400
    assert (await client.get("/api/tickets/99999"))[0] == 404


async def test_canned_answers_come_from_the_knowledge_base(console, login) -> None:
    client = await login("agen1")
    status, data = await client.get("/api/canned?q=kapan dau tahap 1 disalurkan")
    assert status == 200
    assert data["answers"][0]["id"] == "dau-penyaluran-tahap-1"
    assert "PMK" in data["answers"][0]["answer"]
    assert (await client.get("/api/canned?q="))[1] == {"answers": []}
