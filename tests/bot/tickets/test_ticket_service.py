"""TicketService: hand-off inside and outside service hours, zones, profile, labels, CSAT."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.hours import ServiceHours, Zone
from bot.regions import RegionIndex
from bot.settings import Settings
from bot.tickets.records import NewMessage
from bot.tickets.service import TicketService
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Category, Channel, Sender, Status, Topic, report_topic

KB = Path(__file__).resolve().parents[3] / "knowledge_base"
MONDAY_10_WIB = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)
FRIDAY_18_WITA = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def kb() -> tuple[RegionIndex, ServiceHours]:
    return RegionIndex.load(KB), ServiceHours.load(KB)


@pytest.fixture
def service(store: SqlTicketStore, kb) -> TicketService:
    return TicketService(store, *kb, clock=lambda: MONDAY_10_WIB)


def _open(service: TicketService, now: datetime, **fields):
    values = {
        "conversation_id": "c1",
        "channel": Channel.LIVECHAT,
        "name": "Budi",
        "instansi": "BPKAD Kab. Brebes",
        "topic_text": "DAU tahap 1 belum masuk ke RKUD",
        "now": now,
    }
    values.update(fields)
    return service.open_handoff(**values)


def test_inside_hours_queues_and_pauses(service: TicketService, store: SqlTicketStore) -> None:
    transcript = [
        ("user", "dau tahap 1 kok belum masuk", MONDAY_10_WIB - timedelta(minutes=2)),
        NewMessage(Sender.BOT, "Maaf, saya belum menemukan jawabannya.", MONDAY_10_WIB),
    ]
    context = {"faq_tried": ["dau-penyaluran-tahap-1"]}
    result = _open(service, MONDAY_10_WIB, transcript=transcript, context=context)
    ticket = result.ticket
    assert result.created and result.in_hours and result.paused and result.opening is None
    assert result.zone is Zone.WIB
    assert ticket.number == "DJPK-20261130-0001"
    assert (ticket.pemda, ticket.category, ticket.topic) == (
        "Kab. Brebes",
        Category.PEMDA,
        Topic.DAU,
    )
    assert ticket.in_service_hours and ticket.status is Status.OPEN
    assert ticket.summary == "DAU tahap 1 belum masuk ke RKUD"
    assert ticket.context == context
    assert [m.sender for m in store.messages(ticket.id)] == [Sender.USER, Sender.BOT]
    assert service.is_paused("c1")
    profile = service.profile("c1", "livechat")
    assert (profile.name, profile.pemda, profile.zone) == ("Budi", "Kab. Brebes", Zone.WIB)
    labels = service.conversations.labels(
        MONDAY_10_WIB - timedelta(hours=1), MONDAY_10_WIB + timedelta(hours=1)
    )
    assert [(label.bot_only, label.topic) for label in labels] == [(False, Topic.DAU)]


def test_outside_hours_tells_the_opening_in_the_users_zone(service: TicketService) -> None:
    result = _open(service, FRIDAY_18_WITA, instansi="Pemkab Sumbawa", topic_text="dana desa")
    assert not result.in_hours and not result.ticket.in_service_hours
    assert result.zone is Zone.WITA and result.ticket.zone is Zone.WITA
    assert result.opening == "Senin, 09.00 WITA"
    assert not result.paused and not service.is_paused("c1")
    assert result.ticket.topic is Topic.DANA_DESA


def test_unknown_origin_gets_wib_and_no_pemda(service: TicketService) -> None:
    result = _open(service, FRIDAY_18_WITA, instansi="warga", topic_text="cara daftar efin")
    assert result.zone is None and result.ticket.zone is None and result.ticket.pemda is None
    assert result.opening == "Senin, 08.00 WIB"
    assert result.ticket.category is Category.LAINNYA
    assert result.ticket.topic is Topic.NON_DJPK


def test_a_campus_in_a_kabupaten_is_not_a_pemda(service: TicketService) -> None:
    result = _open(service, MONDAY_10_WIB, instansi="mahasiswa Universitas Jember")
    assert result.ticket.category is Category.AKADEMISI
    assert result.ticket.pemda is None and result.zone is Zone.WIB


def test_retry_returns_the_same_ticket(service: TicketService, store: SqlTicketStore) -> None:
    first = _open(service, MONDAY_10_WIB, transcript=[("user", "halo", MONDAY_10_WIB)])
    again = _open(service, MONDAY_10_WIB, transcript=[("user", "halo", MONDAY_10_WIB)])
    assert not again.created and again.ticket.number == first.ticket.number
    assert len(store.messages(first.ticket.id)) == 1


def test_video_conference_is_a_reservasi_counted_apart(service: TicketService) -> None:
    result = _open(service, MONDAY_10_WIB, topic_text="mohon jadwal video conference DAU")
    assert result.ticket.topic is Topic.RESERVASI
    assert report_topic(result.ticket.topic, result.ticket.context) == "Video Conference"


def test_agent_cycle_and_csat(service: TicketService, store: SqlTicketStore) -> None:
    ticket = _open(service, FRIDAY_18_WITA).ticket
    saturday = FRIDAY_18_WITA + timedelta(hours=16)
    assert service.record_user_message("c1", "halo, ada yang bisa bantu?", saturday) == ticket
    assert service.record_user_message("other", "halo", saturday) is None
    service.claim(ticket.id, "anas", MONDAY_10_WIB)
    assert service.is_paused("c1")
    service.reply(ticket.id, "anas", "Selamat pagi, DAU tahap 1 sudah disalurkan.", MONDAY_10_WIB)
    assert service.resolve(ticket.id, "anas", MONDAY_10_WIB).status is Status.RESOLVED
    assert not service.is_paused("c1")
    scored = service.submit_csat(ticket.id, service="5", answer=4, now=MONDAY_10_WIB)
    assert (scored.csat_service, scored.csat_answer) == (5, 4)
    for bad in ("6", "x", "0"):
        with pytest.raises(ValueError):
            service.submit_csat(ticket.id, service=bad)
    lines = [(m.sender, m.at) for m in store.messages(ticket.id)]
    assert lines == [(Sender.USER, saturday), (Sender.AGENT, MONDAY_10_WIB)]


def test_bot_only_label(service: TicketService, store: SqlTicketStore) -> None:
    label = service.label("c9", "whatsapp", Topic.DBH, MONDAY_10_WIB, instansi="pemprov jatim")
    assert label.bot_only and label.pemda == "Prov. Jawa Timur" and label.zone is Zone.WIB


def test_from_settings_uses_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env({"DJPK_DB_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    service = TicketService.from_settings(settings)
    result = service.open_handoff(
        conversation_id="s1",
        channel="rest",
        name=None,
        instansi="Kota Manado",
        topic_text="pembiayaan daerah",
        now=MONDAY_10_WIB,
    )
    assert result.zone is Zone.WITA and result.ticket.topic is Topic.PEMBIAYAAN
