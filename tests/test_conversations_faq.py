"""FAQ conversations through the real trained bot: unseen wording, follow-ups, the program guard,
hot-reloaded entries found by meaning, and waiting for an agent (Rasa + action server over REST)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from harness.stack import Stack
from tests.stacks import faketime_env, kb_copy, needs_model, start_stack, without_otsus

pytestmark = needs_model
SATURDAY_20_WIB = "@2026-12-05 13:00:00"


@pytest.fixture
def open_kb(wednesday_kb) -> Path:
    """The Wednesday stack's knowledge base: real service hours, no Otsus entry."""
    return wednesday_kb


@pytest.fixture
def stack(wednesday_stack):
    """The assistant on a Wednesday morning, agents on duty (the session's shared stack: the
    action server's clock starts at 10.00 WIB, whatever today is)."""
    return wednesday_stack


def say(stack: Stack, sender: str, text: str) -> str:
    """The bot's replies to one message: texts and button titles, joined."""
    replies = stack.say(sender, text)
    buttons = [b.get("title", "") for r in replies for b in r.get("buttons") or []]
    return "\n".join([*(r.get("text", "") for r in replies), *buttons])


def test_a_question_in_words_the_entries_do_not_use_is_answered(stack):
    reply = say(stack, "faq-1", "berapa lama cs djpk melayani tiap hari")
    assert "08.00" in reply or "jam layanan" in reply.lower()


def test_a_follow_up_on_another_program_answers_that_program(stack):
    assert "DAU" in say(stack, "faq-2", "dokumen persyaratan penyaluran dau dikirim kemana")
    reply = say(stack, "faq-2", "kalau dbh?")
    assert "DBH" in reply and "DAU" not in reply


def test_a_follow_up_on_the_stage_answers_that_stage(stack):
    say(stack, "faq-3", "dau earmark tahap 1 kapan cair")
    assert "Tahap II" in say(stack, "faq-3", "yang tahap 2?")


def test_a_follow_up_on_a_program_the_kb_lacks_says_so(stack):
    say(stack, "faq-4", "dau tahap 1 kapan cair")
    reply = say(stack, "faq-4", "kalau otsus?")
    assert "belum memuat jawaban" in reply and "Otonomi Khusus" in reply
    assert "DAU" not in reply and "Hubungi petugas" in reply


@pytest.mark.parametrize(
    "text", ["kapan dana desa tahap 2 disalurkan ke rekening desa", "dd thp 1 kpn cair min"]
)
def test_a_dana_desa_question_never_gets_a_dau_answer(stack, text):
    reply = say(stack, "faq-5", text)
    assert "Dana Desa" in reply and "DAU yang Ditentukan" not in reply


def test_one_pemdas_own_allocation_is_not_answered_from_the_faq(stack):
    reply = say(stack, "faq-6", "berapa alokasi dak fisik kabupaten kami tahun depan")
    assert "belum memuat jawaban" in reply and "Hubungi petugas" in reply


def test_an_entry_added_while_running_is_found_by_meaning(stack, open_kb):
    question = "apakah mahasiswa bisa praktik kerja lapangan di djpk"
    assert "belum menemukan jawaban" in say(stack, "faq-7", question)
    path = open_kb / "faq" / "sekretariat.yml"
    data = yaml.safe_load(path.read_text())
    data["entries"].append(
        {
            "id": "program-magang",
            "topic": "Program magang mahasiswa di DJPK",
            "unit": "sekretariat",
            "questions": [
                "Apakah DJPK menerima magang?",
                "info magang kemenkeu djpk",
                "cara daftar internship di djpk",
            ],
            "answer": "Permohonan magang disampaikan dengan surat resmi dari kampus.",
            "references": [],
            "reviewed_on": "2026-11-28",
        }
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    reply = say(stack, "faq-8", question)  # answered, or offered first among close entries
    assert (
        "surat resmi dari kampus" in reply or reply.split("\n")[1] == "Apakah DJPK menerima magang?"
    )


def hand_off(stack: Stack, sender: str) -> str:
    say(stack, sender, "tolong sambungkan ke petugas")
    say(stack, sender, "Siti Aminah")
    say(stack, sender, "BPKAD Kab. Lembata")
    reply = say(stack, sender, "dana desa tahap 2 belum masuk")
    number = re.search(r"DJPK-\d{8}-\d{4}", reply)
    assert number, reply
    return number.group(0)


def test_waiting_for_an_agent_is_acknowledged_once_and_can_be_left(stack):
    number = hand_off(stack, "faq-wait")
    reply = say(stack, "faq-wait", "halo? masih ada orang?")
    assert number in reply and "urutan" in reply and "batal" in reply
    assert say(stack, "faq-wait", "ditunggu ya") == ""  # acknowledged minutes ago: the agent reads
    reply = say(stack, "faq-wait", "batal, saya tanya asisten saja")
    assert number in reply and "batalkan" in reply
    assert "lapor.djpk@kemenkeu.go.id" in say(stack, "faq-wait", "email lapor djpk apa")


@pytest.fixture(scope="module")
def closed_stack(tmp_path_factory):
    """The assistant on a Saturday evening, no agent on duty: the action server's clock starts
    at `SATURDAY_20_WIB` (libfaketime); the Rasa server keeps the real clock."""
    fake = faketime_env(SATURDAY_20_WIB)
    kb = without_otsus(kb_copy(tmp_path_factory.mktemp("kb"), open_all_day=False))
    running = start_stack(kb, tmp_path_factory.mktemp("var"), action_env=fake)
    yield running
    running.stop()


def test_outside_hours_a_waiting_user_is_told_when_agents_answer(closed_stack):
    number = hand_off(closed_stack, "faq-night")
    reply = say(closed_stack, "faq-night", "halo?")
    assert number in reply and "melayani kembali Senin, 09.00 WITA" in reply  # Lembata: WITA
    assert "DBH" in say(closed_stack, "faq-night", "syarat salur dbh apa")  # the bot still answers
    assert "batalkan" in say(closed_stack, "faq-night", "batal")
