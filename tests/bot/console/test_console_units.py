"""The console's unit list is knowledge_base/services.yml's, read through the one loader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.console.units import escalation_units, unit_name
from bot.content import ContentError
from bot.kb.loader import faq_dir, faq_files
from bot.units import EscalationUnits, UnitsError

KB = Path(__file__).resolve().parents[3] / "knowledge_base"


def test_the_console_lists_exactly_the_units_of_services_yml() -> None:
    listed = yaml.safe_load((KB / "services.yml").read_text(encoding="utf-8"))["units"]
    units = escalation_units(KB)
    assert {unit.slug: unit.name for unit in units} == listed
    assert [unit.slug for unit in units] == sorted(listed)
    assert unit_name("sekretariat", KB) == listed["sekretariat"] == "Sekretariat DJPK"


def test_every_faq_owner_and_escalation_target_is_a_listed_unit() -> None:
    slugs = {unit.slug for unit in escalation_units(KB)}
    owners = {path.stem for path in faq_files(faq_dir(KB))}
    assert owners and owners | {"sekretariat"} == slugs
    assert set(EscalationUnits.load(KB).mapping.values()) <= slugs


def test_names_follow_the_file_and_unknown_slugs_are_title_cased(tmp_path: Path) -> None:
    shutil.copy(KB / "services.yml", tmp_path / "services.yml")
    assert unit_name("gudang-arsip", tmp_path) == "Gudang Arsip"
    (tmp_path / "services.yml").write_text(
        "units:\n  gudang-arsip: Gudang Arsip DJPK\n", encoding="utf-8"
    )
    assert unit_name("gudang-arsip", tmp_path) == "Gudang Arsip DJPK"
    assert [unit.slug for unit in escalation_units(tmp_path)] == ["gudang-arsip"]


def test_a_malformed_units_block_is_a_content_error(tmp_path: Path) -> None:
    (tmp_path / "services.yml").write_text("units:\n  - sekretariat\n", encoding="utf-8")
    with pytest.raises(UnitsError) as error:
        EscalationUnits.load(tmp_path)
    assert isinstance(error.value, ContentError)
    assert error.value.messages == [
        f"{tmp_path / 'services.yml'}:1: `units` must map names to names"
    ]
