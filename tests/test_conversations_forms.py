"""Forms that bend, through the real trained bot: Rasa server + action server over REST."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.stacks import needs_model

pytestmark = needs_model
WHATSAPP = "0811-150420-7"


@pytest.fixture
def kb(open_kb) -> Path:
    """The shared stack's knowledge base, open every day around the clock."""
    return open_kb


@pytest.fixture
def stack(open_stack):
    """The session's shared stack (tests/conftest.py); the conversation ids keep tests apart."""
    return open_stack


def say(stack, sender: str, text: str) -> str:
    """The bot's replies to one message: texts and button titles, joined."""
    replies = stack.say(sender, text)
    buttons = [b.get("title", "") for r in replies for b in r.get("buttons") or []]
    return "\n".join([*(r.get("text", "") for r in replies), *buttons])


def working_day(kb: Path) -> str:
    """A working day ten or more days ahead, as the user would type it."""
    from bot.hours import ServiceHours

    hours = ServiceHours.load(kb)
    day = date.today() + timedelta(days=10)
    while not hours.is_working_day(day) or day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def test_a_question_in_the_hand_off_form_is_answered_and_the_name_asked_again(stack):
    assert "nama" in say(stack, "forms-f1", "saya mau bicara dengan petugas")
    reply = say(stack, "forms-f1", "eh nomor wa djpk berapa dulu?")
    assert WHATSAPP in reply and "nama" in reply
    assert "instansi" in say(stack, "forms-f1", "Rahmat Hidayat")


def test_a_question_in_the_reservation_form_is_answered_and_the_form_goes_on(stack):
    assert "instansi" in say(stack, "forms-f2", "mau mengajukan video conference dengan djpk")
    reply = say(stack, "forms-f2", "jam layanan djpk sampai jam berapa?")
    assert "jam layanan" in reply.lower() and "instansi" in reply
    assert "Pilih jenis konsultasi" in say(stack, "forms-f2", "BPKAD Kab. Wajo")


def test_a_question_in_the_data_request_form_is_answered(stack):
    assert "nama" in say(stack, "forms-f3", "saya mau minta data apbd untuk penelitian")
    reply = say(stack, "forms-f3", "btw whatsapp djpk nomornya berapa?")
    assert WHATSAPP in reply and "nama" in reply
    assert "instansi" in say(stack, "forms-f3", "Rina Marlina")


def test_a_question_in_the_complaint_form_is_answered(stack):
    assert "ceritakan" in say(stack, "forms-f4", "ada dugaan penyalahgunaan dak di daerah kami")
    assert "Di mana" in say(stack, "forms-f4", "DAK fisik dipakai untuk kegiatan lain")
    reply = say(stack, "forms-f4", "ini bot ya?")
    assert "asisten virtual" in reply and "Di mana" in reply
    assert "Kapan" in say(stack, "forms-f4", "Kota Bandar Lampung")


def test_a_greeting_in_the_letter_status_form_is_returned(stack):
    assert "instansi" in say(stack, "forms-f5", "sudah kirim surat ke djpk, bagaimana statusnya?")
    reply = say(stack, "forms-f5", "selamat pagi")
    assert "Selamat datang" in reply and "instansi" in reply
    assert "nomor, tanggal, dan perihal" in say(stack, "forms-f5", "BPKAD Kab. Lembata")


@pytest.mark.parametrize("word", ["batal", "gak jadi", "tidak jadi", "stop"])
def test_cancel_words_cancel_any_form(stack, word):
    sender = f"forms-c-{word}"
    assert "nama" in say(stack, sender, "hubungkan ke petugas")
    assert "batalkan" in say(stack, sender, word)
    assert "lapor.djpk@kemenkeu.go.id" in say(stack, sender, "email untuk laporan rutin apa ya")


def test_a_cancel_with_more_words_cancels_too(stack):
    assert "instansi" in say(stack, "forms-c2", "kami ingin berkunjung ke djpk untuk konsultasi")
    assert "batalkan" in say(stack, "forms-c2", "batal, saya tanya bot aja")
    assert WHATSAPP in say(stack, "forms-c2", "nomor wa djpk brp")


def test_no_answer_still_answers_and_completes_a_complaint(stack):
    for line in ["ada pungli dalam pencairan dak", "oknum minta setoran", "Kab. Karo", "Maret"]:
        say(stack, "forms-c3", line)
    assert "nomor tiket DJPK-" in say(stack, "forms-c3", "tidak ada")


def test_two_refused_answers_offer_a_way_out(stack, kb):
    for line in ["mau mengajukan video conference dengan djpk", "BPKAD Kab. Kaur", "vicon", "DAU"]:
        say(stack, "forms-v1", line)
    assert "Berapa orang" in say(stack, "forms-v1", working_day(kb))
    assert "Batalkan" not in say(stack, "forms-v1", "banyak")
    assert "Batalkan" in say(stack, "forms-v1", "pokoknya banyak")
    assert "batalkan" in say(stack, "forms-v1", "batal")


OUT_OF_SCOPE = ["jadwal kapal pelni ke kupang", "booking tiket travel ke bandung", "harga emas"]


@pytest.mark.parametrize("text", OUT_OF_SCOPE)
def test_out_of_scope_is_refused_and_starts_no_form(stack, text):
    sender = f"forms-o-{text[:12]}"
    reply = say(stack, sender, text)
    assert re.search(r"Mohon maaf|di luar", reply)
    assert not re.search(r"PMK|DAU|DBH", reply)
    assert not re.search(r"instansi|nama Bapak", reply)
    follow = say(stack, sender, "Budi Santoso")
    assert not re.search(r"Pilih jenis konsultasi|Topik apa", follow)


def test_another_institutions_question_is_referred_and_starts_no_form(stack):
    reply = say(stack, "forms-o2", "mau minta data npwp wajib pajak pribadi")
    assert "bukan DJPK" in reply or "bukan kewenangan DJPK" in reply
    assert not re.search(r"Untuk keperluan apa|nama Bapak", reply)
