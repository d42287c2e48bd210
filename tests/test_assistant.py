"""The whole assistant through the REST channel: Rasa server + action server, real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from harness.stack import ROOT
from tests.stacks import needs_model

pytestmark = needs_model


@pytest.fixture
def kb(open_kb) -> Path:
    """The shared stack's knowledge base, open every day around the clock."""
    return open_kb


@pytest.fixture
def stack(open_stack):
    """The session's shared stack (tests/conftest.py); the conversation ids keep tests apart."""
    return open_stack


def said(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def test_informal_question_gets_the_whatsapp_number(stack):
    assert "0811-150420-7" in said(stack.say("assistant-u1", "min nomor wa djpk brp ya"))


def test_an_edited_answer_is_served_on_the_next_message(stack, kb):
    question = "email untuk laporan rutin apa ya"
    assert "lapor.djpk@kemenkeu.go.id" in said(stack.say("assistant-u2", question))
    faq = next(p for p in (kb / "faq").glob("*.yml") if "id: email-lapor" in p.read_text())
    original = faq.read_text()
    data = yaml.safe_load(original)
    entry = next(e for e in data["entries"] if e["id"] == "email-lapor")
    entry["answer"] = "Laporan rutin (diubah oleh PIC) dikirim ke lapor.djpk@kemenkeu.go.id."
    try:
        faq.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        assert "(diubah oleh PIC)" in said(stack.say("assistant-u2", question))
    finally:
        faq.write_text(original)  # the shared knowledge base as the other tests know it


def test_registered_letter_is_genuine(stack):
    reply = said(stack.say("assistant-u3", "apakah surat UND-41/PK.3/2023 benar dari djpk?"))
    assert "Petunjuk Teknis DAK Fisik" in reply


def test_paid_invitation_gets_a_warning_and_a_report_button(stack):
    replies = stack.say(
        "assistant-u4",
        "undangan bimtek JF AKPD nomor UND-77/PK/2023, bayar kontribusi "
        "3,5 juta ke rekening panitia, asli?",
    )
    buttons = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert "/report_fake" in buttons
    assert "rekening" in said(replies).lower()


def test_asking_for_a_person_gives_a_ticket_and_the_wait_is_acknowledged_once(stack):
    assert "nama" in said(stack.say("assistant-u5", "saya mau bicara dengan petugas"))
    assert "instansi" in said(stack.say("assistant-u5", "Budi Santoso"))
    assert "permasalahan" in said(stack.say("assistant-u5", "BPKAD Kab. Brebes"))
    reply = said(stack.say("assistant-u5", "dau tahap 1 kami belum cair"))
    assert "nomor tiket DJPK-" in reply
    ticket = next(t for t in tickets(stack) if t["conversation_id"] == "assistant-u5")
    assert (ticket["topic"], ticket["zone"], ticket["pemda"]) == ("DAU", "WIB", "Kab. Brebes")
    if "di luar jam layanan" in reply:  # a public holiday: queued, the bot keeps answering
        assert not ticket["in_service_hours"]
        return
    assert ticket["in_service_hours"]
    assert ticket["number"] in said(stack.say("assistant-u5", "halo, masih menunggu"))
    assert (
        stack.say("assistant-u5", "mohon dibantu segera ya") == []
    )  # kept for the agent, no second ack


def test_the_hand_off_form_can_be_cancelled(stack):
    assert "nama" in said(stack.say("assistant-u6", "hubungkan ke petugas"))
    assert "batalkan" in said(stack.say("assistant-u6", "batal"))


def tickets(stack) -> list[dict]:
    listed = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "bot.tickets", "list", "--json"],
        env={**os.environ, **stack.env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(listed.stdout)


def conversation(stack, sender: str, lines: list[str]) -> str:
    """Send each line in turn; the bot's last reply."""
    reply = ""
    for line in lines:
        reply = said(stack.say(sender, line))
    return reply


def future_working_day(kb: Path) -> str:
    from datetime import date, timedelta

    from bot.hours import ServiceHours

    hours = ServiceHours.load(kb)
    day = date.today() + timedelta(days=10)
    while not hours.is_working_day(day) or day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def test_a_video_conference_is_reserved(stack, kb):
    assert "instansi" in said(
        stack.say("assistant-r1", "mau mengajukan video conference dengan djpk")
    )
    reply = conversation(
        stack,
        "assistant-r1",
        [
            "BPKAD Kab. Wajo",
            "video conference",
            "penyaluran DAU",
            future_working_day(kb),
            "3",
            "Kepala BPKAD dan dua staf",
        ],
    )
    assert "nomor tiket DJPK-" in reply and "video conference" in reply
    ticket = next(t for t in tickets(stack) if t["conversation_id"] == "assistant-r1")
    assert (ticket["topic"], ticket["pemda"]) == ("Reservasi", "Kab. Wajo")


def test_a_visit_with_too_many_guests_is_refused_with_the_reason(stack, kb):
    said(stack.say("assistant-r2", "kami ingin berkunjung ke djpk untuk konsultasi"))
    conversation(
        stack, "assistant-r2", ["BPKAD Kab. Kaur", "tatap muka", "DAU", future_working_day(kb)]
    )
    assert "paling banyak 5 orang" in said(stack.say("assistant-r2", "8 orang"))


def test_data_request_complaint_and_letter_status_become_tickets(stack):
    data = conversation(
        stack,
        "assistant-d1",
        [
            "saya mau minta data apbd untuk penelitian",
            "Rina",
            "mahasiswa UGM",
            "skripsi",
            "realisasi APBD kabupaten",
            "2019-2023",
        ],
    )
    complaint = conversation(
        stack,
        "assistant-c1",
        [
            "ada dugaan penyalahgunaan dak di daerah kami",
            "DAK fisik dipakai untuk kegiatan lain",
            "Kota Bandar Lampung",
            "Februari 2023",
            "tidak ada",
        ],
    )
    status = conversation(
        stack,
        "assistant-s1",
        [
            "sudah kirim surat ke djpk, bagaimana statusnya?",
            "BPKAD Kab. Lembata",
            "nomor 900/123/2026 perihal permohonan konsultasi",
        ],
    )
    for reply in (data, complaint, status):
        assert "nomor tiket DJPK-" in reply
    by_sender = {t["conversation_id"]: t for t in tickets(stack)}
    assert by_sender["assistant-d1"]["topic"] == "Permintaan Data"
    assert (by_sender["assistant-c1"]["topic"], by_sender["assistant-c1"]["status"]) == (
        "Pengaduan",
        "escalated",
    )
    assert by_sender["assistant-s1"]["topic"] == "Surat Masuk"


def test_non_djpk_questions_and_blast_replies_make_no_ticket(stack):
    assert "1500200" in said(stack.say("assistant-n1", "cara bikin npwp online"))
    assert stack.say("assistant-n1", "siap") == []
    assert not [t for t in tickets(stack) if t["conversation_id"] == "assistant-n1"]
