"""The program guard as a question meets it: which programs a question names, which entries may
answer it, follow-ups that swap the program, and every problem of programs.yml named."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb.loader import KbError
from bot.kb.programs import Program, Programs, load_programs

CATALOGUE = (
    "programs:\n"
    "  - {id: tkd, name: Transfer ke Daerah, unit: eikd, names: [tkd, transfer ke daerah]}\n"
    "  - {id: dau, name: Dana Alokasi Umum, unit: dtu, parent: tkd,\n"
    "     names: [dau, dana alokasi umum]}\n"
    "  - {id: dbh, name: Dana Bagi Hasil, unit: dtu, parent: tkd, names: [dbh, bagi hasil]}\n"
    "  - {id: tdf, name: Treasury Deposit Facility, unit: dtu, parent: dbh, names: [tdf]}\n"
    "  - {id: dana-desa, name: Dana Desa, unit: dtk, names: [dana desa, dd]}\n"
    "  - {id: dbh-2024, name: DBH 2024, unit: dtu, parent: dbh, names: [dbh 2024]}\n"
)


@pytest.fixture
def programs(tmp_path: Path) -> Programs:
    (tmp_path / "programs.yml").write_text(CATALOGUE, encoding="utf-8")
    return load_programs(tmp_path)


def test_the_catalogue_is_read_as_written(programs: Programs) -> None:
    assert programs.get("tdf") == Program(
        "tdf", "Treasury Deposit Facility", "dtu", ("tdf",), "dbh"
    )
    assert programs.get("tkd") == Program(
        "tkd", "Transfer ke Daerah", "eikd", ("tkd", "transfer ke daerah")
    )
    assert programs.get("dak") is None
    assert programs.named_in("alokasi dbh 2024") == ("dbh-2024",)  # ids may hold digits


def test_programs_named_in_a_question_in_order_each_once(programs: Programs) -> None:
    assert programs.named_in("Kapan DBH dan Dana Desa cair? dbh dulu") == ("dbh", "dana-desa")
    assert programs.named_in("Dana Bagi Hasil") == ("dbh",)  # the official name counts too
    assert programs.named_in("dana-desa tahap 1") == ("dana-desa",)
    assert programs.named_in("mendaulat") == ()  # a name inside a word is no name
    assert programs.names_in("kalau DD sama dbh?") == ["dd", "dbh"]
    assert Programs().named_in("dau") == () and Programs().names_in("dau") == []


def test_a_follow_up_swaps_the_program(programs: Programs) -> None:
    assert programs.replace_names("Kapan DAU tahap 1 cair?", "dbh") == "kapan dbh tahap 1 cair"
    assert (
        programs.replace_names("DAU dan DBH cair kapan", "dana desa") == "dana desa dan cair kapan"
    )
    assert programs.replace_names("kapan cair", "dbh") == "kapan cair"
    assert Programs().replace_names("Kapan DAU?", "dbh") == "kapan dau"


def test_names_can_be_taken_out(programs: Programs) -> None:
    assert (
        programs.without_names("berapa alokasi Dana Alokasi Umum dan DBH kami")
        == "berapa alokasi dan kami"
    )
    assert Programs().without_names("Berapa DAU?") == "berapa dau"


def test_lineage_and_relations(programs: Programs) -> None:
    assert programs.lineage("tdf") == ("tdf", "dbh", "tkd")
    assert programs.lineage("unknown") == ("unknown",)
    assert programs.related("tdf", "tkd") and programs.related("tkd", "tdf")
    assert programs.related("dau", "dau")
    assert not programs.related("dau", "dbh") and not programs.related("tdf", "dau")


def test_a_parent_cycle_ends(tmp_path: Path) -> None:
    cycle = Programs((Program("a", "A", "u", ("a",), "b"), Program("b", "B", "u", ("b",), "a")))
    assert cycle.lineage("a") == ("a", "b")


@pytest.mark.parametrize(
    ("asked", "about", "fits"),
    [
        ((), ("dau",), True),  # the question names no program
        (("dau",), ("any",), True),  # a service entry for every program
        (("dau",), ("dau",), True),
        (("tdf",), ("dbh",), True),  # the parent's entry answers the child's question
        (("dbh",), ("tdf",), True),  # and the other way round
        (("dau",), ("dbh",), False),
        (("dau",), (), False),  # an entry about no program does not answer a DAU question
        (("dau", "dana-desa"), ("dana-desa",), True),
        (("dau", "dana-desa"), ("dbh", "tkd"), True),
    ],
)
def test_which_entries_may_answer(programs: Programs, asked, about, fits: bool) -> None:
    assert programs.fits(asked, about) is fits
    assert programs.fits(iter(asked), iter(about)) is fits  # any iterable, read once


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("- {name: X, unit: u, names: [x]}", "program 1: needs an 'id' in kebab-case"),
        (
            "- {id: Dana_Desa, name: X, unit: u, names: [x]}",
            "program 1: needs an 'id' in kebab-case",
        ),
        ("- {id: -dd, name: X, unit: u, names: [x]}", "program 1: needs an 'id' in kebab-case"),
        ("- just text", "program 1: needs an 'id' in kebab-case"),
        (
            "- {id: dd, unit: u, names: [x]}",
            "program 1 (dd): needs 'name', 'unit' and a 'names' list of texts",
        ),
        ("- {id: dd, name: ' ', unit: u, names: [x]}", "program 1 (dd): needs 'name'"),
        ("- {id: dd, name: X, names: [x]}", "program 1 (dd): needs 'name'"),
        ("- {id: dd, name: X, unit: u, names: x}", "program 1 (dd): needs 'name'"),
        ("- {id: dd, name: X, unit: u, names: [x, 3]}", "program 1 (dd): needs 'name'"),
        (
            "- {id: dd, name: X, unit: u, names: [x], parent: Induk}",
            "program 1 (dd): 'parent' must be a program id",
        ),
    ],
)
def test_each_bad_row_is_named_with_its_line(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "programs.yml"
    path.write_text(f"programs:\n  - {{id: tkd, name: TKD, unit: u, names: [tkd]}}\n  {row}\n")
    with pytest.raises(KbError) as caught:
        load_programs(tmp_path)
    (problem,) = caught.value.messages
    assert problem.startswith(f"{path}:3: {message.replace('program 1', 'program 2')}")


def test_a_duplicate_id_names_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "programs.yml"
    path.write_text(
        "programs:\n"
        "  - {id: dd, name: A, unit: u, names: [a]}\n"
        "  - {id: dd, name: B, unit: u, names: [b]}\n"
    )
    with pytest.raises(KbError) as caught:
        load_programs(tmp_path)
    assert caught.value.messages == [f"{path}:3: program 2: duplicate id 'dd' (first at line 2)"]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "programs.yml"
    path.write_text(
        "programs:\n"
        "  - {id: ok, name: OK, unit: u, names: [ok], parent: nowhere}\n"
        "  - {id: BAD}\n"
        "  - {id: dd, name: X, names: [x]}\n"
        "  - {id: pp, name: P, unit: u, names: [p], parent: Induk}\n"
        "  - {id: ok, name: OK2, unit: u, names: [ok2]}\n"
        "  - {id: ee, name: E, unit: u, names: [e]}\n"
        "  - {id: Last}\n"
    )
    with pytest.raises(KbError) as caught:
        load_programs(tmp_path)
    assert caught.value.messages == [
        f"{path}:3: program 2: needs an 'id' in kebab-case",
        f"{path}:4: program 3 (dd): needs 'name', 'unit' and a 'names' list of texts",
        f"{path}:5: program 4 (pp): 'parent' must be a program id",
        f"{path}:6: program 5: duplicate id 'ok' (first at line 2)",
        f"{path}:8: program 7: needs an 'id' in kebab-case",
        f"{path}:2: program ok: unknown parent 'nowhere'",
    ]


def test_a_name_of_punctuation_only_names_nothing() -> None:
    programs = Programs((Program("x", "--", "u", ("!!",)), Program("dd", "Dana Desa", "u", ())))
    assert programs.named_in("apa saja syaratnya") == ()
    assert programs.named_in("dana desa") == ("dd",)


def test_an_empty_names_list_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "programs.yml").write_text(
        "programs:\n  - {id: dd, name: Dana Desa, unit: u, names: []}\n"
    )
    assert load_programs(tmp_path).named_in("kapan dana desa cair") == ("dd",)
