"""Registry files: the real ones are valid; each kind of problem is reported as path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.letters.loader import load_dir
from bot.letters.numbers import parse_number
from bot.letters.registry import Registry, RegistryError, RegistrySource
from tests.bot.letters.conftest import KB_DIR

GOOD = """\
letters:
  - number: UND-5/PK.3/2023
    date: 2023-01-10
    subject: Undangan Rapat
    unit: null
    signer: null
    addressees: null
    event: {date: 2023-01-20, place: null, mode: daring}
    fee: false
    sha256: []
    status: valid
    example: false
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "official.yml").write_text(text, encoding="utf-8")
    return [str(p) for p in load_dir(tmp_path).problems]


def test_the_real_registry_is_valid_and_holds_the_seed_letters() -> None:
    data = load_dir(KB_DIR / "letters")
    assert data.problems == ()
    numbers = {letter.number.canonical for letter in data.letters}
    assert {"UND-41/PK.3/2023", "SE-1/PK/2023", "SE-1/PK.1/2023", "S-38/PK/2024"} <= numbers
    assert {"211/PMK.07/2022", "204/PMK.07/2022", "PERPRES 33/2020"} <= numbers
    assert all(letter.example for letter in data.letters if letter.number.year == 2099)
    assert {h.id for h in data.hoaxes} == {"bimtek-obligasi-daerah-2019", "jf-akpd-bimtek-2023"}


def test_a_good_file_has_no_problems(tmp_path: Path) -> None:
    assert _problems(tmp_path, GOOD) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("    fee: false\n", "    fee: false\n    colour: red\n", 10, "unknown key 'colour'"),
        ("    signer: null\n", "", 2, "missing field 'signer'"),
        ("date: 2023-01-10", "date: 2023-13-45", 3, "bad date"),
        ("date: 2023-01-10", "date: 2022-12-30", 3, "not in the number's year"),
        ("sha256: []", "sha256: [abc123]", 10, "bad sha256"),
        ("status: valid", "status: withdrawn", 11, "status must be valid or revoked"),
        ("fee: false", "fee: true", 9, "fee must be false"),
        ("UND-5/PK.3/2023", "und 5/pk3/2023", 2, "write the number as 'UND-5/PK.3/2023'"),
        ("UND-5/PK.3/2023", "hello", 2, "not a letter or regulation number"),
        ("mode: daring", "mode: zoom", 8, "mode must be one of"),
        ("    example: false\n", "    example: false\n    example: true\n", 13, "duplicate key"),
    ],
)
def test_problems_name_file_line_and_cause(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    problems = _problems(tmp_path, GOOD.replace(old, new))
    assert any(
        p.startswith(f"{tmp_path / 'official.yml'}:{line}: ") and message in p for p in problems
    ), problems


def test_duplicate_numbers_across_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "more.yml").write_text(GOOD.replace("date: 2023-01-10", "date: 2023-01-11"))
    problems = _problems(tmp_path, GOOD)
    assert any("duplicate number UND-5/PK.3/2023" in p and "more.yml:2" in p for p in problems)


def test_yaml_syntax_errors_are_reported_with_a_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, GOOD + "  - number: [unclosed\n")
    assert problems and problems[0].startswith(f"{tmp_path / 'official.yml'}:")
    assert "YAML error" in problems[0]


def test_example_letters_must_be_labelled(tmp_path: Path) -> None:
    (tmp_path / "examples.yml").write_text(GOOD.replace("UND-5/", "UND-6/"))
    assert any("examples.yml must say example: true" in p for p in _problems(tmp_path, GOOD))


def test_registry_refuses_invalid_files(tmp_path: Path) -> None:
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "official.yml").write_text(GOOD.replace("fee: false", "fee: maybe"))
    with pytest.raises(RegistryError) as error:
        Registry.from_dir(tmp_path)
    assert "'fee' must be true or false" in str(error.value)


def test_examples_are_loaded_only_on_request() -> None:
    number = parse_number("UND-901/PK.3/2099")
    assert Registry.from_dir(KB_DIR).get(number) is None
    assert Registry.from_dir(KB_DIR, include_examples=True).get(number).example


def test_closest_reports_what_differs() -> None:
    registry = Registry.from_dir(KB_DIR)
    near = registry.closest(parse_number("UND-41/PK.3/2022"))
    assert near.letter.number.canonical == "UND-41/PK.3/2023"
    assert near.differences == ("tahun 2022 (terdaftar: 2023)",)
    assert registry.closest(parse_number("UND-77/PK/2023")) is None
    assert registry.closest(parse_number("UND-5/PK.3/2023")) is None


def test_pmk_by_number_and_year_finds_the_registered_regulation() -> None:
    registry = Registry.from_dir(KB_DIR)
    assert registry.get(parse_number("PMK Nomor 204 Tahun 2022")).number.canonical == (
        "204/PMK.07/2022"
    )


def test_source_reloads_after_an_edit_and_keeps_the_last_good_one(kb_copy: Path) -> None:
    source = RegistrySource(kb_copy)
    assert source.get().get(parse_number("UND-5/PK.3/2023")) is None
    official = kb_copy / "letters" / "official.yml"
    official.write_text(official.read_text() + GOOD.replace("letters:\n", "\n"))
    assert source.get().get(parse_number("UND-5/PK.3/2023")) is not None
    official.write_text(official.read_text() + "  - number: broken\n")
    assert source.get().get(parse_number("UND-5/PK.3/2023")) is not None
