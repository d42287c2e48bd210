"""The report lists meetings on the date an agent agreed in the console, and says so."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from bot.db import engine_for
from bot.hours import ServiceHours
from bot.regions import RegionIndex
from bot.report.figures.summary import build
from bot.report.period import Month
from bot.report.writer import write
from bot.reservations import Booking, Mode, ReservationRules
from bot.settings import ROOT
from bot.tickets import taxonomy as keys
from bot.tickets.service import TicketService
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel, Topic

KB = ROOT / "knowledge_base"
BOOKED = datetime(2023, 1, 30, 3, tzinfo=timezone.utc)  # Monday 30 January 2023, 10.00 WIB


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'report.db'}"


def _reservation(service: TicketService, who: str, requested: str, subject: str) -> int:
    context = {
        keys.RESERVATION: keys.VIDEO,
        keys.SCHEDULE: requested,
        keys.SUBJECT: subject,
        keys.ATTENDEES: 2.0,
    }
    return service.open_handoff(
        conversation_id=who,
        channel=Channel.WHATSAPP,
        name=who,
        instansi=f"BPKAD {who}",
        topic_text=f"Reservasi video conference: {subject}",
        topic=Topic.RESERVASI,
        pause=False,
        context=context,
        now=BOOKED,
    ).ticket.id


def test_agreed_dates_move_meetings_in_and_out_of_the_month(url: str, tmp_path) -> None:
    engine = engine_for(url)
    service = TicketService(
        SqlTicketStore(engine),
        RegionIndex.load(KB),
        ServiceHours.load(KB),
        clock=lambda: BOOKED,
        reservation_rules=ReservationRules.load(KB),
    )

    def video(day: date) -> Booking:
        return Booking(day, time(10), Mode.VIDEO_CONFERENCE, link="https://teams.example/r")

    stays = _reservation(service, "Kab. Brebes", "2023-02-08", "DAU")
    moved_out = _reservation(service, "Kota Manado", "2023-02-09", "DBH")
    moved_in = _reservation(service, "Kab. TTU", "2023-03-02", "Pembiayaan")
    declined = _reservation(service, "Kab. Sleman", "2023-02-10", "PDRD")
    _reservation(service, "Kota Padang", "2023-02-15", "Dana Desa")  # never decided
    service.confirm_reservation(stays, "rina", video(date(2023, 2, 14)))
    service.confirm_reservation(moved_out, "rina", video(date(2023, 2, 21)))
    service.reschedule_reservation(moved_out, "rina", video(date(2023, 3, 7)), "narasumber cuti")
    service.confirm_reservation(moved_in, "rina", video(date(2023, 2, 22)))
    service.decline_reservation(declined, "rina", "kuota penuh")

    summary = build(engine, Month(2023, 2), KB)
    held = [(m.day.isoformat(), m.place, m.agreed) for m in summary.video_conferences]
    assert held == [
        ("2023-02-14", "BPKAD Kab. Brebes", True),
        ("2023-02-15", "BPKAD Kota Padang", False),
        ("2023-02-22", "BPKAD Kab. TTU", True),
    ]
    march = build(engine, Month(2023, 3), KB)
    assert [(m.day.isoformat(), m.agreed) for m in march.video_conferences] == [
        ("2023-03-07", True)
    ]
    write(summary, tmp_path / "report")
    markdown = next((tmp_path / "report").glob("*.md")).read_text(encoding="utf-8")
    assert "| 1 | 14 Februari 2023 | BPKAD Kab. Brebes | DAU | disepakati |" in markdown
    assert "| 2 | 15 Februari 2023 | BPKAD Kota Padang | Dana Desa | diajukan |" in markdown
    engine.dispose()
