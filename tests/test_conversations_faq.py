"""FAQ conversations through the real trained bot: unseen wording, follow-ups, the program guard,
hot-reloaded entries found by meaning, and waiting for an agent (Rasa + action server over REST)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from harness.stack import ROOT, Stack
from tests.stacks import kb_copy, needs_model, start_stack

pytestmark = needs_model
VECTORS = ROOT / "var" / "kb-embeddings.sqlite"  # shared by the stacks: entries embedded once
FAKETIME = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
WEDNESDAY_10_WIB = "@2026-12-02 03:00:00"  # the action server's clock starts here (UTC)
SATURDAY_20_WIB = "@2026-12-05 13:00:00"


def copy_kb(tmp_path_factory) -> Path:
    """A copy of the knowledge base without the Otsus entry, with its real service hours."""
    folder = kb_copy(tmp_path_factory.mktemp("kb"), open_all_day=False)
    path = folder / "faq" / "dana-transfer-khusus.yml"
    data = yaml.safe_load(path.read_text())
    data["entries"] = [e for e in data["entries"] if e["id"] != "otsus-penyaluran"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return folder


def start(kb: Path, tmp_path_factory, clock: str) -> Stack:
    """Rasa and action servers; the action server's clock (libfaketime) starts at `clock`,
    whatever today is. The Rasa server keeps the real clock: TensorFlow's model loading can hang
    under libfaketime, and every decision about hours is the action server's."""
    if not FAKETIME.exists():
        pytest.skip("Debian's faketime is not installed (make system-deps)")
    fake = {
        "LD_PRELOAD": str(FAKETIME),
        "FAKETIME": clock,
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "TZ": "UTC",
    }
    var = tmp_path_factory.mktemp("var")
    return start_stack(kb, var, env={"DJPK_VECTOR_CACHE": str(VECTORS)}, action_env=fake)


@pytest.fixture(scope="module")
def open_kb(tmp_path_factory) -> Path:
    return copy_kb(tmp_path_factory)


@pytest.fixture(scope="module")
def stack(open_kb, tmp_path_factory):
    """The assistant on a Wednesday morning, agents on duty."""
    running = start(open_kb, tmp_path_factory, WEDNESDAY_10_WIB)
    yield running
    running.stop()


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
    number = hand_off(stack, "wait-1")
    reply = say(stack, "wait-1", "halo? masih ada orang?")
    assert number in reply and "urutan" in reply and "batal" in reply
    assert say(stack, "wait-1", "ditunggu ya") == ""  # acknowledged minutes ago: the agent reads
    reply = say(stack, "wait-1", "batal, saya tanya asisten saja")
    assert number in reply and "batalkan" in reply
    assert "lapor.djpk@kemenkeu.go.id" in say(stack, "wait-1", "email lapor djpk apa")


@pytest.fixture(scope="module")
def closed_stack(tmp_path_factory):
    """The assistant on a Saturday evening, no agent on duty."""
    running = start(copy_kb(tmp_path_factory), tmp_path_factory, SATURDAY_20_WIB)
    yield running
    running.stop()


def test_outside_hours_a_waiting_user_is_told_when_agents_answer(closed_stack):
    number = hand_off(closed_stack, "night-1")
    reply = say(closed_stack, "night-1", "halo?")
    assert number in reply and "melayani kembali Senin, 09.00 WITA" in reply  # Lembata: WITA
    assert "DBH" in say(closed_stack, "night-1", "syarat salur dbh apa")  # the bot still answers
    assert "batalkan" in say(closed_stack, "night-1", "batal")
