"""Roles: a unit PIC sees only its unit's tickets; agents act on their own; supervisors assign."""

from __future__ import annotations

from datetime import datetime, timezone


def escalate(console, ticket, unit: str) -> None:
    console.services.tickets.escalate(ticket.id, unit, "spv", now=datetime.now(timezone.utc))


async def test_pic_queue_holds_only_its_units_tickets(console, login) -> None:
    escalate(console, console.web, "dana-transfer-umum")
    escalate(console, console.rest, "pajak-daerah")
    pic = await login("pic-dtu")
    status, data = await pic.get("/api/tickets?status=all")
    assert status == 200
    assert [t["number"] for t in data["tickets"]] == [console.web.number]
    assert data["total"] == 1
    other = await login("pic-sek")
    assert (await other.get("/api/tickets?status=all"))[1]["tickets"] == []


async def test_pic_reading_another_units_ticket_gets_404(console, login) -> None:
    escalate(console, console.rest, "pajak-daerah")
    pic = await login("pic-dtu")
    for ticket in (console.rest, console.web):  # another unit's, and one never escalated
        status, data = await pic.get(f"/api/tickets/{ticket.id}")
        assert (status, data) == (404, {"error": "ticket not found"})
        for action, body in [
            ("note", {"text": "intip"}),
            ("reply", {"text": "halo"}),
            ("resolve", {}),
        ]:
            status, _ = await pic.post(f"/api/tickets/{ticket.id}/{action}", body)
            assert status == 404, action
    assert not any(e.kind.value == "note" for e in console.services.tickets.events(console.rest.id))


async def test_pic_answers_and_resolves_its_units_ticket(console, login) -> None:
    escalate(console, console.web, "dana-transfer-umum")
    pic = await login("pic-dtu")
    status, detail = await pic.get(f"/api/tickets/{console.web.id}")
    assert (status, detail["escalation_unit"]) == (200, "dana-transfer-umum")
    assert (await pic.post(f"/api/tickets/{console.web.id}/claim"))[0] == 403
    assert (await pic.post(f"/api/tickets/{console.web.id}/reply", {"text": "Jawaban unit"}))[
        0
    ] == 200
    assert (await pic.post(f"/api/tickets/{console.web.id}/resolve"))[0] == 200


async def test_agent_cannot_reply_before_claiming_or_to_anothers_ticket(console, login) -> None:
    first, second = await login("agen1"), await login("agen2")
    status, data = await first.post(f"/api/tickets/{console.web.id}/reply", {"text": "halo"})
    assert (status, data["error"]) == (409, "claim the ticket first")
    assert (await first.post(f"/api/tickets/{console.web.id}/claim"))[0] == 200
    status, data = await second.post(f"/api/tickets/{console.web.id}/claim")
    assert (status, data["error"]) == (409, "ticket is already claimed by agen1")
    for action in ("reply", "resolve", "escalate"):
        body = {"text": "x", "unit": "sekretariat"}
        assert (await second.post(f"/api/tickets/{console.web.id}/{action}", body))[0] == 409
    assert console.socketio.output.messages == []


async def test_only_a_supervisor_assigns(console, login) -> None:
    agent, supervisor = await login("agen1"), await login("spv")
    status, _ = await agent.post(f"/api/tickets/{console.web.id}/assign", {"agent": "agen1"})
    assert status == 403
    status, data = await supervisor.post(
        f"/api/tickets/{console.web.id}/assign", {"agent": "agen2"}
    )
    assert (status, data["ticket"]["assigned_agent"]) == (200, "agen2")
    status, data = await supervisor.post(
        f"/api/tickets/{console.web.id}/assign", {"agent": "pic-dtu"}
    )
    assert status == 400  # a unit PIC is not an agent
    meta = (await supervisor.get("/api/meta"))[1]
    assert meta["agents"] == ["agen1", "agen2", "spv"]
    assert (await agent.get("/api/meta"))[1]["agents"] == []


async def test_only_a_supervisor_sees_the_deskpro_mirror(console, login) -> None:
    agent, supervisor = await login("agen1"), await login("spv")
    assert (await agent.get("/api/deskpro"))[0] == 403
    assert await supervisor.get("/api/deskpro") == (200, {"enabled": False})
