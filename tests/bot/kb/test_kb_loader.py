"""Loader: the real knowledge base, and every kind of error with its file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from kb_samples import REAL_KB, entry_yaml, line_of, write_faq

from bot.kb.loader import MAX_ANSWER_CHARS, KbError, load_dir

_REQUIRED = """kontak-whatsapp kontak-telepon kontak-email email-lapor kontak-live-chat
jam-layanan konsultasi-tatap-muka video-conference ppid-permintaan-data portal-data-apbd
dau-penyaluran-tahap-1 dau-kegiatan-ditentukan dau-tidak-ditentukan dbh-tdf-pencairan
dbh-tdf-pencatatan-lkpd
pdrd-bimtek-raperda dak-fisik-juknis dak-nonfisik-pmk-204 dana-desa-jumlah-desa jf-akpd
shsr-perjalanan-dinas jenis-dana-perimbangan sumber-pendapatan-daerah defisit-apbd
efin-npwp-bukan-djpk layanan-gratis"""
REQUIRED_IDS = _REQUIRED.split()


def errors_of(kb_dir: Path) -> list[str]:
    with pytest.raises(KbError) as caught:
        load_dir(kb_dir)
    return caught.value.messages


def test_real_knowledge_base_loads_with_every_required_entry() -> None:
    entries = {entry.id: entry for entry in load_dir(REAL_KB)}
    assert set(REQUIRED_IDS) <= set(entries)
    for entry in entries.values():
        assert len(entry.answer) <= MAX_ANSWER_CHARS
        assert len(entry.questions) >= 3
        assert entry.reviewed_on == date(2026, 11, 28)
        assert entry.review_every_days == 30
        assert entry.keywords
        assert Path(entry.source).stem == entry.unit


def test_real_knowledge_base_carries_the_official_facts() -> None:
    entries = {entry.id: entry for entry in load_dir(REAL_KB)}
    assert "0811-150420-7" in entries["kontak-whatsapp"].answer
    assert "150420" in entries["kontak-telepon"].answer
    assert "callcenter.djpk@kemenkeu.go.id" in entries["kontak-email"].answer
    assert "lapor.djpk@kemenkeu.go.id" in entries["email-lapor"].answer
    assert "contact-djpk.kemenkeu.go.id" in entries["kontak-live-chat"].answer
    assert "1500200" in entries["efin-npwp-bukan-djpk"].answer
    assert "tidak dipungut biaya" in entries["layanan-gratis"].answer
    assert "S-38/PK/2024" in entries["layanan-gratis"].references
    assert "PMK 211/PMK.07/2022" in entries["dau-penyaluran-tahap-1"].references
    assert "SE-1/PK.1/2023" in entries["konsultasi-tatap-muka"].answer
    assert "Microsoft Teams" in entries["video-conference"].answer


def test_valid_folder_loads_entries_with_their_source_line(tmp_path: Path) -> None:
    path = write_faq(
        tmp_path,
        "sekretariat",
        entry_yaml("satu", "sekretariat"),
        entry_yaml("dua", "sekretariat", extra="    keywords: [a, b]"),
    )
    entries = load_dir(tmp_path)
    assert [e.id for e in entries] == ["satu", "dua"]
    assert entries[1].line == line_of(path, "id: dua")
    assert entries[1].keywords == ("a", "b")
    assert entries[0].valid_until is None


def test_duplicate_ids_across_files_are_refused(tmp_path: Path) -> None:
    write_faq(tmp_path, "a-unit", entry_yaml("sama", "a-unit"))
    second = write_faq(
        tmp_path, "b-unit", entry_yaml("lain", "b-unit"), entry_yaml("sama", "b-unit")
    )
    (message,) = errors_of(tmp_path)
    assert message.startswith(f"{second}:{line_of(second, 'id: sama')}: ")
    assert "duplicate id 'sama'" in message and "a-unit.yml" in message


def test_missing_field_is_reported_at_the_entry(tmp_path: Path) -> None:
    text = entry_yaml("tanpa-jawaban", "unit").replace("    answer: Jawaban singkat.\n", "")
    path = write_faq(tmp_path, "unit", entry_yaml("baik", "unit"), text)
    (message,) = errors_of(tmp_path)
    assert (
        message
        == f"{path}:{line_of(path, 'id: tanpa-jawaban')}: entry 'tanpa-jawaban': missing 'answer'"
    )


def test_unknown_key_is_reported_at_its_line(tmp_path: Path) -> None:
    path = write_faq(tmp_path, "unit", entry_yaml("x", "unit", extra="    jawaban: salah kunci"))
    (message,) = errors_of(tmp_path)
    assert message.startswith(f"{path}:{line_of(path, 'jawaban:')}: ")
    assert "unknown key 'jawaban'" in message


def test_over_long_answer_is_refused(tmp_path: Path) -> None:
    path = write_faq(tmp_path, "unit", entry_yaml("panjang", "unit", answer="a" * 1001))
    (message,) = errors_of(tmp_path)
    assert message.startswith(f"{path}:{line_of(path, 'answer:')}: ")
    assert "1001 characters" in message


def test_fewer_than_three_questions_are_refused(tmp_path: Path) -> None:
    path = write_faq(tmp_path, "unit", entry_yaml("sedikit", "unit", questions=("Satu?", "Dua?")))
    (message,) = errors_of(tmp_path)
    assert message.startswith(f"{path}:{line_of(path, 'questions:')}: ")
    assert "at least 3" in message


@pytest.mark.parametrize("bad_id", ["Kontak_WA", "kontak--wa", "-kontak", "kontak wa"])
def test_ids_must_be_kebab_case(tmp_path: Path, bad_id: str) -> None:
    path = write_faq(tmp_path, "unit", entry_yaml(bad_id, "unit"))
    (message,) = errors_of(tmp_path)
    assert message.startswith(f"{path}:{line_of(path, 'id: ')}: ")
    assert "kebab-case" in message


def test_bad_dates_are_refused(tmp_path: Path) -> None:
    text = entry_yaml("tanggal", "unit", extra="    valid_until: 2026-13-45")
    path = write_faq(
        tmp_path, "unit", text.replace("reviewed_on: 2026-11-28", "reviewed_on: besok")
    )
    messages = errors_of(tmp_path)
    where = f"{path}:{line_of(path, 'reviewed_on:')}: entry 'tanggal'"
    assert f"{where}: reviewed_on: 'besok' is not a date (YYYY-MM-DD)" in messages
    assert any(m.startswith(f"{path}:{line_of(path, 'valid_until:')}: ") for m in messages)


def test_unit_must_match_the_file_name(tmp_path: Path) -> None:
    path = write_faq(tmp_path, "sekretariat", entry_yaml("x", "pajak-daerah"))
    (message,) = errors_of(tmp_path)
    assert message.startswith(f"{path}:{line_of(path, 'unit:')}: ")


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write_faq(tmp_path, "unit", entry_yaml("x", "unit"))
    lines = path.read_text().splitlines()
    lines[5] = "      - [tidak ditutup"
    path.write_text("\n".join(lines) + "\n")
    (message,) = errors_of(tmp_path)
    assert message.startswith(f"{path}:")
    assert "invalid YAML" in message
    assert 6 <= int(message.split(":")[1]) <= 8


def test_every_file_is_checked_and_all_errors_are_reported(tmp_path: Path) -> None:
    write_faq(tmp_path, "a", entry_yaml("a-1", "a", answer="x" * 1200))
    write_faq(tmp_path, "b", entry_yaml("B_1", "b"))
    (tmp_path / "faq" / "c.yml").write_text("entries: [\n")
    messages = errors_of(tmp_path)
    assert len(messages) == 3
    assert [Path(m.split(":")[0]).name for m in messages] == ["a.yml", "b.yml", "c.yml"]


def test_missing_entries_list_is_reported(tmp_path: Path) -> None:
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "x.yml").write_text("items:\n  - id: a\n")
    messages = errors_of(tmp_path)
    assert any("unknown top-level key 'items'" in m for m in messages)
    assert any("missing top-level 'entries:'" in m for m in messages)
