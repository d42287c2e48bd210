"""Request actions: data requests, complaints and their escalation, letter status, routine
reports."""

from __future__ import annotations

import pytest

from actions.requests import (
    ActionCreateComplaint,
    ActionCreateDataRequest,
    ActionCreateLetterStatus,
    ActionRouteReport,
)
from bot.tickets.taxonomy import Category, Status, Topic
from tests.actions.trackers import make_tracker, run_action, texts

pytestmark = pytest.mark.usefixtures("frozen")


async def test_data_request_ticket(frozen):
    slots = {
        "data_purpose": "penelitian",
        "data_wanted": "realisasi APBD",
        "data_years": "2019-2023",
        "user_name": "Rina",
        "user_instansi": "mahasiswa UGM",
    }
    await run_action(ActionCreateDataRequest(), make_tracker("x", slots=slots))
    ticket = frozen.find()[0]
    assert (ticket.topic, ticket.category) == (Topic.PERMINTAAN_DATA, Category.AKADEMISI)


@pytest.mark.parametrize(
    ("what", "unit", "kind"),
    [
        (
            "dugaan penggunaan DAK Fisik tidak sesuai peruntukan",
            "dana-transfer-khusus",
            "pengaduan",
        ),
        (
            "definisi perjalanan dinas dalam kota di Perpres SHSR multitafsir",
            "evaluasi-informasi-keuangan-daerah",
            "keluhan_kebijakan",
        ),
        ("petugas tidak ramah", "sekretariat", "pengaduan"),
    ],
)
async def test_complaints_are_escalated_to_the_right_unit(frozen, what, unit, kind):
    slots = {
        "complaint_what": what,
        "complaint_where": "Kota Bandar Lampung",
        "complaint_when": "Februari 2023",
        "complaint_evidence": "tidak ada",
    }
    await run_action(ActionCreateComplaint(), make_tracker("x", slots=slots))
    ticket = frozen.find()[0]
    assert (ticket.topic, ticket.status, ticket.escalation_unit) == (
        Topic.PENGADUAN,
        Status.ESCALATED,
        unit,
    )
    assert ticket.context["jenis"] == kind
    assert (ticket.context.get("keluhan") == "kebijakan") == (kind == "keluhan_kebijakan")


async def test_letter_status_ticket_and_routine_report_routing(frozen):
    await run_action(
        ActionCreateLetterStatus(), make_tracker("x", slots={"sent_letter": "900/12/2026"})
    )
    assert frozen.find()[0].topic is Topic.SURAT_MASUK
    dispatcher, _ = await run_action(ActionRouteReport(), make_tracker("kirim syarat salur dau"))
    assert "lapor.djpk@kemenkeu.go.id" in texts(dispatcher)[0]
    assert len(frozen.find()) == 1


async def test_each_request_of_a_conversation_opens_its_own_ticket(frozen):
    data = {
        "data_purpose": "penelitian",
        "data_wanted": "realisasi APBD",
        "data_years": "2019-2023",
        "user_name": "Rina",
        "user_instansi": "mahasiswa UGM",
    }
    await run_action(ActionCreateDataRequest(), make_tracker("x", slots=data))
    complaint = {
        "complaint_what": "dugaan penggunaan DAK Fisik tidak sesuai peruntukan",
        "complaint_where": "Kota Bandar Lampung",
        "complaint_when": "Februari 2023",
        "complaint_evidence": "tidak ada",
    }
    dispatcher, _ = await run_action(ActionCreateComplaint(), make_tracker("x", slots=complaint))
    status, _ = await run_action(
        ActionCreateLetterStatus(), make_tracker("x", slots={"sent_letter": "900/123/2026"})
    )
    tickets = {t.topic: t for t in frozen.find()}
    assert set(tickets) == {Topic.PERMINTAAN_DATA, Topic.PENGADUAN, Topic.SURAT_MASUK}
    assert len({t.number for t in tickets.values()}) == 3
    assert tickets[Topic.PENGADUAN].number in texts(dispatcher)[0]
    assert tickets[Topic.SURAT_MASUK].number in texts(status)[0]
    assert tickets[Topic.PERMINTAAN_DATA].context["data_years"] == "2019-2023"
    assert tickets[Topic.PERMINTAAN_DATA].status is Status.OPEN  # not escalated with the complaint
    assert tickets[Topic.PENGADUAN].escalation_unit == "dana-transfer-khusus"
    assert tickets[Topic.SURAT_MASUK].context == {"surat": "900/123/2026"}
