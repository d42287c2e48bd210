"""Coverage of the real knowledge base: every program has an owner and an entry, flagged entries
route to an official channel, and no answer cites a regulation its references do not list."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml
from kb_samples import REAL_KB, entry_yaml, write_faq

from bot.kb.loader import faq_dir, faq_files, load_dir
from bot.kb.programs import ANY, Programs, load_programs
from bot.kb.records import FaqEntry

# Ids other benchmark sets and conversations refer to: they must keep existing.
ROUTING_IDS = (
    "dana-desa-penyaluran",
    "otsus-penyaluran",
    "insentif-fiskal",
    "ikd-interkoneksi-sikd",
)

_SLASHED = re.compile(r"\b(?:[A-Z]{1,6}-)?\d+(?:/[A-Z0-9.]+)+/\d{4}\b", re.IGNORECASE)
_KIND = r"UU|Undang-Undang|PP|Peraturan Pemerintah|Perpres|Peraturan Presiden|PMK|Permendagri|Perda"
_NUMBER = r"\s+(?:Nomor\s+|No\.?\s*)?(\d+)\s+Tahun\s+(\d{4})"
_NAMED = re.compile(rf"\b({_KIND}){_NUMBER}", re.IGNORECASE)
_SHORT = re.compile(rf"\b({_KIND})\s+(\d+)/(\d{{4}})\b", re.IGNORECASE)
_LONG_KIND = {"undang-undang": "UU", "peraturan pemerintah": "PP", "peraturan presiden": "PERPRES"}


def regulation_numbers(text: str) -> set[str]:
    """Regulation and letter numbers in a text, one spelling each (UU 1/2022, SE-1/PK/2023)."""
    found = {m.group(0).upper() for m in _SLASHED.finditer(text)}
    for pattern in (_NAMED, _SHORT):
        for kind, number, year in pattern.findall(text):
            kind = _LONG_KIND.get(kind.lower(), kind.upper())
            found.add(f"{kind} {int(number)}/{year}")
    return found


def entry_programs(entry: FaqEntry, programs: Programs) -> set[str]:
    """The programs an entry is about: named in its id and topic, plus its `programs:` list."""
    named = programs.named_in(entry.id.replace("-", " ")) + programs.named_in(entry.topic)
    return (set(named) | set(entry.programs)) - {ANY}


def programs_without_unit_file(programs: Programs, kb_dir: Path) -> list[str]:
    """Programs whose owning unit has no faq/<unit>.yml."""
    units = {path.stem for path in faq_files(faq_dir(kb_dir))}
    return [p.id for p in programs.programs if p.unit not in units]


def programs_without_entry(programs: Programs, entries: Iterable[FaqEntry]) -> list[str]:
    """Programs no entry is about; a parent also counts as covered by an entry about a child."""
    covered: set[str] = set()
    for entry in entries:
        for program in entry_programs(entry, programs):
            covered.update(programs.lineage(program))  # DAK Fisik entries answer DAK questions
    return [p.id for p in programs.programs if p.id not in covered]


def official_channels(kb_dir: Path) -> tuple[str, ...]:
    """The WhatsApp number, Dering number and e-mail addresses of contacts.yml."""
    contacts = yaml.safe_load((kb_dir / "contacts.yml").read_text(encoding="utf-8"))
    return (str(contacts["whatsapp"]), str(contacts["dering"]), *contacts["emails"].values())


def flagged_without_channel(entries: Iterable[FaqEntry], channels: Iterable[str]) -> list[str]:
    """Flagged entries whose answer names no official channel."""
    patterns = [re.compile(rf"(?<![\w.-]){re.escape(c)}(?![\w-])", re.IGNORECASE) for c in channels]
    return [e.id for e in entries if e.flagged and not any(p.search(e.answer) for p in patterns)]


def unreferenced_regulations(entries: Iterable[FaqEntry]) -> list[str]:
    """`entry-id: number` for each regulation number an answer cites but its references lack."""
    problems = []
    for entry in entries:
        listed = set().union(*(regulation_numbers(r) for r in entry.references))
        problems += [f"{entry.id}: {n}" for n in sorted(regulation_numbers(entry.answer) - listed)]
    return problems


@pytest.fixture(scope="module")
def real() -> tuple[tuple[FaqEntry, ...], Programs]:
    return load_dir(REAL_KB), load_programs(REAL_KB)


def test_every_program_is_owned_by_a_unit_with_a_faq_file(real) -> None:
    _, programs = real
    assert programs.programs, "programs.yml is empty"
    assert programs_without_unit_file(programs, REAL_KB) == []


def test_every_program_has_an_entry_about_it(real) -> None:
    entries, programs = real
    assert programs_without_entry(programs, entries) == []


def test_routing_entries_other_sets_refer_to_exist(real) -> None:
    entries, programs = real
    by_id = {e.id: e for e in entries}
    assert set(ROUTING_IDS) <= set(by_id)
    assert "dana-desa" in entry_programs(by_id["dana-desa-penyaluran"], programs)
    assert "otsus" in entry_programs(by_id["otsus-penyaluran"], programs)
    assert "insentif-fiskal" in entry_programs(by_id["insentif-fiskal"], programs)
    assert "ikd" in entry_programs(by_id["ikd-interkoneksi-sikd"], programs)


def test_flagged_entries_route_to_an_official_channel(real) -> None:
    entries, _ = real
    assert any(e.flagged for e in entries)
    assert flagged_without_channel(entries, official_channels(REAL_KB)) == []


def test_answers_cite_only_regulations_listed_in_their_references(real) -> None:
    entries, _ = real
    assert unreferenced_regulations(entries) == []


def test_a_dau_entry_is_not_about_dana_desa(real) -> None:
    entries, programs = real
    for entry in entries:
        if entry.id.startswith("dau-"):
            assert "dana-desa" not in entry_programs(entry, programs), entry.id


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Sesuai PMK 211/PMK.07/2022 dan SE-1/PK.1/2023.", {"211/PMK.07/2022", "SE-1/PK.1/2023"}),
        ("UU Nomor 1 Tahun 2022 tentang HKPD", {"UU 1/2022"}),
        ("Undang-Undang No. 1 Tahun 2022", {"UU 1/2022"}),
        ("UU 1/2022", {"UU 1/2022"}),
        ("Peraturan Presiden Nomor 33 Tahun 2020", {"PERPRES 33/2020"}),
        ("undangan UND-41/PK.3/2023 (28 Februari 2023)", {"UND-41/PK.3/2023"}),
        ("DAK Fisik TA 2023, tahap II, bulan Februari", set()),
    ],
)
def test_regulation_numbers_are_read_in_one_spelling(text: str, numbers: set[str]) -> None:
    assert regulation_numbers(text) == numbers


_FLAG = "    confirm: Jadwal belum pasti."


def test_the_checks_catch_a_broken_copy(tmp_path: Path) -> None:
    kb = tmp_path / "knowledge_base"
    shutil.copytree(REAL_KB, kb)
    with (kb / "programs.yml").open("a", encoding="utf-8") as extra:
        extra.write(
            "\n  - id: dana-hibah\n    name: Dana Hibah\n    unit: dana-transfer-umum\n"
            "    names: [dana hibah]\n"
            "\n  - id: program-yatim\n    name: Program Yatim\n    unit: unit-tak-ada\n"
            "    names: [program yatim]\n"
        )
    write_faq(
        kb,
        "uji-coba",
        entry_yaml("uji-ditandai", "uji-coba", answer="Mohon menunggu.", extra=_FLAG),
        entry_yaml("uji-rujukan", "uji-coba", answer="Diatur dalam PMK 99/PMK.07/2099."),
        entry_yaml("uji-bukan-wa", "uji-coba", answer="Hubungi 0812-150420-9.", extra=_FLAG),
    )
    entries, programs = load_dir(kb), load_programs(kb)
    assert programs_without_unit_file(programs, kb) == ["program-yatim"]
    assert programs_without_entry(programs, entries) == ["dana-hibah", "program-yatim"]
    channels = official_channels(kb)
    assert flagged_without_channel(entries, channels) == ["uji-ditandai", "uji-bukan-wa"]
    assert unreferenced_regulations(entries) == ["uji-rujukan: 99/PMK.07/2099"]
