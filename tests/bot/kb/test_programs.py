"""programs.yml and refusals.yml: loaded as data, every problem named with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.loader import KbError
from bot.kb.programs import load_programs
from bot.kb.refusals import load_refusals


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "programs.yml").write_text("programs:\n  - id: dau\n   names: [\n")
    (tmp_path / "refusals.yml").write_text("kinds: [\n")
    with pytest.raises(KbError) as programs:
        load_programs(tmp_path)
    assert programs.value.messages[0].startswith(f"{tmp_path / 'programs.yml'}:3: invalid YAML")
    with pytest.raises(KbError) as refusals:
        load_refusals(tmp_path)
    assert refusals.value.messages[0].startswith(f"{tmp_path / 'refusals.yml'}:2: invalid YAML")


def test_a_missing_list_and_an_unknown_parent_are_reported(tmp_path: Path) -> None:
    (tmp_path / "programs.yml").write_text("program: []\n")
    with pytest.raises(KbError, match="expected a top-level 'programs:' list"):
        load_programs(tmp_path)
    (tmp_path / "programs.yml").write_text(
        "programs:\n  - {id: dak-fisik, name: DAK Fisik, unit: u, parent: dak, names: [dakf]}\n"
    )
    with pytest.raises(KbError, match="unknown parent 'dak'"):
        load_programs(tmp_path)


def test_absent_files_mean_no_programs_and_no_refusals(tmp_path: Path) -> None:
    assert load_programs(tmp_path).named_in("dau tahap 1") == ()
    assert load_refusals(tmp_path).kind_of("berapa alokasi dau kami") is None


def test_names_are_matched_longest_first_after_normalising(tmp_path: Path) -> None:
    (tmp_path / "programs.yml").write_text(
        "programs:\n"
        "  - {id: dak, name: DAK, unit: u, names: [dak]}\n"
        "  - {id: dak-nonfisik, name: DAK NF, unit: u, parent: dak, names: [dak non fisik]}\n"
    )
    programs = load_programs(tmp_path)
    assert programs.named_in("laporan DAK nonfisik") == ("dak-nonfisik",)
    assert programs.named_in("juknis dak") == ("dak",)
    assert programs.fits(["dak"], ["dak-nonfisik"]) and not programs.fits(["dak-nonfisik"], [])
