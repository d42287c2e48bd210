"""Agent assist and the agents' clock: suggested answers for a ticket, the entry kept on the
reply, and times in WIB (or DJPK_CONSOLE_ZONE) with the user's zone beside them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.console.times import stamp
from bot.hours import Zone
from bot.settings import Settings

SENT = datetime(2026, 12, 1, 5, 56, tzinfo=timezone.utc)  # 12.56 WIB, 13.56 WITA


def _makassar_ticket(console):
    """A ticket from a WITA pemda whose transcript line was stored at 05:56 UTC."""
    result = console.services.tickets.open_handoff(
        conversation_id="wa-makassar",
        channel="whatsapp",
        name="Andi",
        instansi="BPKAD Kota Makassar",
        topic_text="kapan dau tahap 1 disalurkan",
        transcript=[("user", "kapan dau tahap 1 disalurkan", SENT)],
        now=SENT,
    )
    return result.ticket


async def test_times_are_shown_in_wib_with_the_users_zone_beside(console, login) -> None:
    ticket = _makassar_ticket(console)
    assert ticket.zone is Zone.WITA
    client = await login("agen1")
    status, detail = await client.get(f"/api/tickets/{ticket.id}")
    assert status == 200
    assert detail["messages"][0]["at_text"] == "01/12/26 12.56 WIB · 13.56 WITA"
    assert detail["events"][0]["at_text"] == "01/12/26 12.56 WIB · 13.56 WITA"
    rows = {t["id"]: t for t in (await client.get("/api/tickets"))[1]["tickets"]}
    assert rows[ticket.id]["created_text"] == "01/12/26 12.56 WIB · 13.56 WITA"
    status, same_zone = await client.get(f"/api/tickets/{console.web.id}")
    assert status == 200, same_zone
    assert " · " not in same_zone["messages"][0]["at_text"]  # Brebes is WIB: one clock
    assert same_zone["messages"][0]["at_text"].endswith(" WIB")
    meta = (await client.get("/api/meta"))[1]
    assert meta["console_zone"] == {"name": "WIB", "offset_hours": 7}


def test_the_console_zone_is_configurable() -> None:
    assert Settings.from_env({}).console_zone == "WIB"
    assert Settings.from_env({"DJPK_CONSOLE_ZONE": "wita"}).console_zone == "WITA"
    with pytest.raises(ValueError, match="DJPK_CONSOLE_ZONE"):
        Settings.from_env({"DJPK_CONSOLE_ZONE": "UTC"})
    assert stamp(SENT, Zone.WIT, Zone.WIB) == "01/12/26 14.56 WIT · 12.56 WIB"
    late = datetime(2026, 12, 1, 16, 30, tzinfo=timezone.utc)  # 23.30 WIB, 1.30 WIT next day
    assert stamp(late, Zone.WIB, Zone.WIT) == "01/12/26 23.30 WIB · 01.30 WIT"


async def test_suggestions_are_the_bots_answers_for_the_tickets_question(console, login) -> None:
    client = await login("agen1")
    base = f"/api/tickets/{console.web.id}"
    assert (await client.get(f"{base}/suggestions"))[0] == 409  # not claimed yet
    await client.post(f"{base}/claim")
    status, data = await client.get(f"{base}/suggestions")
    assert status == 200
    assert data["query"].startswith("dau tahap 1 belum cair")
    ids = [s["id"] for s in data["suggestions"]]
    assert 1 <= len(ids) <= 3 and ids[0] == "dau-penyaluran-tahap-1"
    bot_answer = console.services.knowledge.match(data["query"], k=3)
    assert ids == [hit.id for hit in bot_answer.hits[:3]]  # the bot's own search, same order
    assert "PMK" in data["suggestions"][0]["answer"]


async def test_suggestions_only_for_who_may_reply(console, login) -> None:
    base = f"/api/tickets/{console.web.id}"
    owner = await login("agen1")
    await owner.post(f"{base}/claim")
    other = await login("agen2")
    status, data = await other.get(f"{base}/suggestions")
    assert (status, data["error"]) == (409, "ticket belongs to agen1")
    assert (await (await login("spv")).get(f"{base}/suggestions"))[0] == 200
    assert (await (await login("pic-sek")).get(f"{base}/suggestions"))[0] == 404
    anonymous = console.client()
    assert (await anonymous.get(f"{base}/suggestions"))[0] == 401
    await anonymous.close()
    assert (await owner.get("/api/tickets/99999/suggestions"))[0] == 404


async def test_a_reply_from_a_suggestion_keeps_the_entry_id(console, login) -> None:
    client = await login("agen1")
    base = f"/api/tickets/{console.web.id}"
    await client.post(f"{base}/claim")
    suggested = (await client.get(f"{base}/suggestions"))[1]["suggestions"][0]
    edited = "Bapak/Ibu, " + suggested["answer"]
    status, data = await client.post(f"{base}/reply", {"text": edited, "faq_id": suggested["id"]})
    assert (status, data["message"]["faq_id"]) == (200, "dau-penyaluran-tahap-1")
    await client.post(f"{base}/reply", {"text": "Ada lagi yang bisa kami bantu?", "faq_id": None})
    stored = console.services.tickets.messages(console.web.id)[-2:]
    assert [(m.text, m.faq_id) for m in stored] == [
        (edited, "dau-penyaluran-tahap-1"),
        ("Ada lagi yang bisa kami bantu?", None),
    ]
    sent = "\n\n".join(console.socketio.sent_to("web-1"))  # the channel sends paragraphs apart
    assert sent.endswith(edited + "\n\nAda lagi yang bisa kami bantu?")
    detail = (await client.get(base))[1]
    assert detail["messages"][-2]["faq_id"] == "dau-penyaluran-tahap-1"
    status, data = await client.post(f"{base}/reply", {"text": "x", "faq_id": "entri-khayalan"})
    assert (status, data["error"]) == (400, "unknown FAQ entry 'entri-khayalan'")
    assert len(console.services.tickets.messages(console.web.id)) == 4
