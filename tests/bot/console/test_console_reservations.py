"""Console reservation routes: who may decide, rule refusals, and the user's channel told."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.tickets import taxonomy as keys
from bot.tickets.taxonomy import EventKind, Topic
from tests.bot.console.conftest import Console

BASE = "/api/tickets/{id}/reservation/"


def _working_day(console: Console, after: int) -> date:
    """A working day at least `after` days after the service's today (no wall-clock date)."""
    service = console.services.tickets
    day = service.clock().date() + timedelta(days=after)
    while not service.reservation_policy.is_working_day(day):
        day += timedelta(days=1)
    return day


def _reservation(console: Console, mode: str = "video_conference", **context):
    console.agent.processor.start("web-resv", "socketio")
    values = {keys.RESERVATION: mode, keys.SCHEDULE: "2099-01-01", keys.ATTENDEES: 3.0}
    values.update(context)
    return console.services.tickets.open_handoff(
        conversation_id="web-resv",
        channel="livechat",
        name="Budi",
        instansi="BPKAD Kab. Brebes",
        topic_text="Reservasi video conference: DBH",
        topic=Topic.RESERVASI,
        pause=False,
        context=values,
    ).ticket


def _video(day: date, **extra) -> dict:
    body = {"date": day.isoformat(), "time": "10.00", "mode": "video_conference"}
    return {**body, "link": "https://teams.example/rapat-1", **extra}


async def test_confirm_then_reschedule_reach_the_user(console: Console, login) -> None:
    ticket = _reservation(console)
    agent = await login("agen1")
    assert (await agent.post(f"/api/tickets/{ticket.id}/claim"))[0] == 200
    day = _working_day(console, 7)
    status, data = await agent.post(BASE.format(id=ticket.id) + "confirm", _video(day))
    assert status == 200, data
    assert data["delivery"]["pushed"] is True
    assert data["ticket"]["context"][keys.AGREED_DATE] == day.isoformat()
    later = _working_day(console, 8 if day.weekday() < 4 else 10)
    body = {"date": later.isoformat(), "time": "13.30", "reason": "narasumber berhalangan"}
    status, data = await agent.post(BASE.format(id=ticket.id) + "reschedule", body)
    assert status == 200, data
    sent = console.socketio.sent_to("web-resv")
    assert len(sent) == 2
    assert "telah kami konfirmasi" in sent[0] and "https://teams.example/rapat-1" in sent[0]
    assert "pukul 10.00 WIB" in sent[0]
    assert "jadwalkan ulang" in sent[1] and "pukul 13.30 WIB" in sent[1]
    assert "https://teams.example/rapat-1" in sent[1], "the link stays when not changed"
    status, detail = await agent.get(f"/api/tickets/{ticket.id}")
    kinds = [e["kind"] for e in detail["events"]]
    assert kinds[-2:] == [EventKind.RESERVATION_CONFIRMED, EventKind.RESERVATION_RESCHEDULED]
    assert [m["text"] for m in detail["messages"]][-2:] == sent


@pytest.mark.parametrize(
    ("mode", "context", "body", "why"),
    [
        ("video_conference", {}, {"days": 7, "time": "19.00"}, "di luar jam layanan"),
        ("video_conference", {}, {"days": -3}, "sudah lewat"),
        ("video_conference", {}, {"days": 7, "link": ""}, "tautan rapat"),
        ("video_conference", {}, {"days": 7, "link": "javascript:alert(1)"}, "https://"),
        ("tatap_muka", {keys.ATTENDEES: 9.0, keys.LETTER_SENT: True}, {"days": 7}, "paling banyak"),
        ("tatap_muka", {keys.LETTER_SENT: None}, {"days": 7}, "surat permohonan"),
    ],
)
async def test_a_refused_confirmation_says_why_and_changes_nothing(
    console: Console, login, mode: str, context: dict, body: dict, why: str
) -> None:
    ticket = _reservation(console, mode, **context)
    agent = await login("agen1")
    await agent.post(f"/api/tickets/{ticket.id}/claim")
    days = body.pop("days")
    day = console.services.tickets.clock().date() + timedelta(days=days)
    if days > 0:
        day = _working_day(console, days)
    request = {"date": day.isoformat(), "time": "10.00", "mode": mode}
    request.update({"link": "https://teams.example/x", "room": "Ruang 901"}, **body)
    before = console.services.tickets.get(ticket.id)
    status, data = await agent.post(BASE.format(id=ticket.id) + "confirm", request)
    assert status == 422 and data["refused"] is True
    assert why in data["error"]
    assert console.services.tickets.get(ticket.id) == before
    assert console.socketio.sent_to("web-resv") == []


async def test_who_may_decide(console: Console, login) -> None:
    ticket = _reservation(console)
    day = _working_day(console, 7)
    other, pic = await login("agen2"), await login("pic-dtu")
    status, data = await other.post(BASE.format(id=ticket.id) + "confirm", _video(day))
    assert status == 409 and "claim" in data["error"]
    assert (await pic.post(BASE.format(id=ticket.id) + "decline", {"reason": "x"}))[0] == 404
    console.services.tickets.escalate(ticket.id, "dana-transfer-umum", "spv")
    status, data = await pic.post(BASE.format(id=ticket.id) + "decline", {"reason": "x"})
    assert status == 403, "the unit PIC sees the ticket but does not work reservations"
    spv = await login("spv")
    status, data = await spv.post(BASE.format(id=ticket.id) + "decline", {"reason": ""})
    assert status == 422 and "alasan" in data["error"]
    status, data = await spv.post(
        BASE.format(id=ticket.id) + "decline", {"reason": "kuota narasumber penuh"}
    )
    assert status == 200 and data["ticket"]["context"][keys.BOOKING] == keys.DECLINED
    assert "kuota narasumber penuh" in console.socketio.sent_to("web-resv")[0]
    status, data = await spv.post(BASE.format(id=console.web.id) + "decline", {"reason": "x"})
    assert status == 422 and "bukan tiket reservasi" in data["error"]
    anonymous = console.client()
    try:
        status, _ = await anonymous.post(BASE.format(id=ticket.id) + "decline", {"reason": "x"})
        assert status == 401
    finally:
        await anonymous.close()


async def test_a_letter_received_by_email_is_recorded_then_the_visit_confirmed(
    console: Console, login
) -> None:
    ticket = _reservation(console, "tatap_muka", **{keys.LETTER_SENT: None})
    agent = await login("agen1")
    path = BASE.format(id=ticket.id)
    status, data = await agent.post(path + "letter", {"via": "email"})
    assert status == 409 and "claim" in data["error"], "only the agent who took it"
    await agent.post(f"/api/tickets/{ticket.id}/claim")
    day = _working_day(console, 7)
    visit = {"date": day.isoformat(), "time": "10.00", "mode": "tatap_muka", "room": "Ruang 901"}
    status, data = await agent.post(path + "confirm", visit)
    assert status == 422 and "surat permohonan" in data["error"]
    status, data = await agent.post(path + "letter", {"via": "merpati"})
    assert status == 422 and "pos, e-mail" in data["error"]
    assert (await agent.post(path + "letter", {}))[0] == 400
    status, data = await agent.post(path + "letter", {"via": "email", "note": "ke kotak surat"})
    assert status == 200, data
    context = data["ticket"]["context"]
    assert context[keys.LETTER_SENT] is True
    assert (context[keys.LETTER_VIA], context[keys.LETTER_RECORDED_BY]) == ("email", "agen1")
    assert context[keys.LETTER_RECORDED_AT]
    assert console.socketio.sent_to("web-resv") == [], "recording the letter tells nobody"
    status, data = await agent.post(path + "confirm", visit)
    assert status == 200, data
    assert data["message"]["delivery"]["state"] == "sent"
    status, detail = await agent.get(f"/api/tickets/{ticket.id}")
    letter = next(e for e in detail["events"] if e["kind"] == EventKind.RESERVATION_LETTER)
    assert letter["actor"] == "agen1" and "e-mail: ke kotak surat" in letter["detail"]
    confirmation = detail["messages"][-1]
    assert confirmation["id"] == data["message"]["id"]
    assert confirmation["delivery"]["state"] == "sent", "the decision has a delivery state"
