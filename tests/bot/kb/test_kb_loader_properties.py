"""Properties of the knowledge-base loaders: any file text, any structured-but-wrong document and
any mutation of the real files gives a loaded result or errors naming `file:line: message` (a
KbError for the FAQ, programs.yml and refusals.yml; problems for the letter registry), never
another exception."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.kb.loader import OPTIONAL, REQUIRED, KbError, load_dir
from bot.kb.programs import load_programs
from bot.kb.refusals import load_refusals
from bot.letters.loader import load_dir as load_letters
from bot.letters.schema import HOAX_KEYS, LETTER_KEYS

REAL_KB = Path(__file__).resolve().parents[3] / "knowledge_base"
FILE_LINE = re.compile(r"^\S+:\d+: \S")  # `path:line: message`
UNIT = "dana-transfer-umum"


def budget(examples: int) -> settings:
    """Hypothesis settings for one property: `examples` cases, no per-case deadline."""
    return settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )


YAML_PIECES = st.sampled_from(
    [
        "entries:",
        "programs:",
        "kinds:",
        "letters:",
        "hoaxes:",
        "\n",
        "  ",
        "- ",
        ": ",
        "id: ",
        "questions:",
        "all_of:",
        "names:",
        "parent:",
        "number:",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "<<: *a",
        "? ",
        "!!str ",
        "!!binary ",
        "!!timestamp ",
        "!!set ",
        "!!omap ",
        "!!int ",
        "'",
        '"',
        "#",
        "\t",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "~",
        "null",
        "2023-13-45",
        "2024-02-29",
        "UND-1/PK/2023",
        "\x00",
        "\x1f",
        "\x85",
        "\ufeff",
        "\ud7ff",
    ]
)
YAML_TEXT = st.lists(YAML_PIECES | st.text(max_size=5), max_size=40).map("".join)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.dates()
    | st.sampled_from(["dau", "UND-1/PK/2023", UNIT, "any"])
)


def documents(keys: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Values shaped like registry rows: mappings with the real keys, wrong values."""
    values = st.recursive(
        SCALARS,
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.sampled_from(keys) | st.text(max_size=5), inner, max_size=5)
        ),
        max_leaves=25,
    )
    return st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))


FAQ_ROWS = documents(REQUIRED + OPTIONAL)
PROGRAM_ROWS = documents(("id", "name", "unit", "names", "parent"))
REFUSAL_ROWS = documents(("id", "reason", "all_of"))
LETTER_ROWS = documents(LETTER_KEYS + ("notes",))
HOAX_ROWS = documents(HOAX_KEYS)


@contextmanager
def kb_with(files: dict[str, str | bytes]) -> Iterator[Path]:
    """A throwaway knowledge base folder holding these files (relative paths)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        yield root


def loads_or_names_file_and_line(load: Callable[[Path], Any], folder: Path) -> None:
    """The loader's contract: a result, or a KbError whose every message is `file:line: ...`."""
    try:
        load(folder)
    except KbError as exc:
        assert exc.messages
        for message in exc.messages:
            assert FILE_LINE.match(message), message


def letters_report_file_and_line(folder: Path) -> None:
    """The registry loader never raises: its problems carry a file and a line."""
    data = load_letters(folder)
    for problem in data.problems:
        assert isinstance(problem.line, int) and problem.line >= 0
        assert FILE_LINE.match(str(problem)), str(problem)


def check_all(folder: Path) -> None:
    for load in (load_dir, load_programs, load_refusals):
        loads_or_names_file_and_line(load, folder)
    if (folder / "letters").is_dir():
        letters_report_file_and_line(folder / "letters")


# --- any text --------------------------------------------------------------------------------


@budget(120)
@given(YAML_TEXT, st.sampled_from([f"faq/{UNIT}.yml", "programs.yml", "refusals.yml"]))
@example("\x1f", "programs.yml")  # was yaml ReaderError, not a KbError
@example("programs: !!timestamp x", "programs.yml")  # was AttributeError inside PyYAML
@example("kinds: [!!timestamp 2023-13-45]", "refusals.yml")  # was ValueError
@example("[" * 3000, "refusals.yml")  # was RecursionError
@example("[" * 3000, f"faq/{UNIT}.yml")
def test_any_text_loads_or_names_file_and_line(text: str, name: str) -> None:
    with kb_with({name: text}) as folder:
        check_all(folder)


@budget(120)
@given(YAML_TEXT)
@example("\x1f")  # was ReaderError raised by the loader's constructor, outside its try
@example("? [a]\n: b\n")  # was TypeError: unhashable type: 'list'
@example("letters: [{date: !!timestamp x}]")  # was AttributeError
@example("[" * 3000)
def test_any_letters_file_gives_problems_not_exceptions(text: str) -> None:
    with kb_with({"letters/official.yml": text}) as folder:
        letters_report_file_and_line(folder / "letters")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=40))
@example(b"entries:\n  - id: \xff\xfe\n")  # not UTF-8: was UnicodeDecodeError (programs, letters)
def test_any_bytes_load_or_name_file_and_line(data: bytes) -> None:
    files = {f"faq/{UNIT}.yml": data, "programs.yml": data, "refusals.yml": data}
    with kb_with({**files, "letters/official.yml": data}) as folder:
        check_all(folder)


# --- structured but wrong --------------------------------------------------------------------


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@budget(80)
@given(
    st.lists(FAQ_ROWS, max_size=3),
    st.lists(PROGRAM_ROWS, max_size=3),
    st.lists(REFUSAL_ROWS, max_size=3),
)
@example([], [{"id": "dak", "name": "DAK", "unit": "u", "parent": ["dau"]}], [])  # TypeError
@example([], [{"id": 5, "name": "DAK", "unit": "u"}], [])
@example([], [], [{"id": "semua", "all_of": [["!!!"]]}])  # was a kind refusing every question
def test_wrong_documents_load_or_name_file_and_line(
    faq: list[dict], programs: list[dict], refusals: list[dict]
) -> None:
    files = {
        f"faq/{UNIT}.yml": dump({"entries": faq}),
        "programs.yml": dump({"programs": programs}),
        "refusals.yml": dump({"kinds": refusals}),
    }
    with kb_with(files) as folder:
        check_all(folder)
        try:
            kinds = load_refusals(folder).kinds
        except KbError:
            return
        assert not any(kind.applies("dau tahap satu kapan cair") for kind in kinds) or any(
            "dau" in str(row)
            or "tahap" in str(row)
            or "satu" in str(row)
            or "kapan" in str(row)
            or "cair" in str(row)
            for row in refusals
        )


@budget(80)
@given(st.lists(LETTER_ROWS, max_size=3), st.lists(HOAX_ROWS, max_size=3))
def test_wrong_letter_documents_give_problems_not_exceptions(
    letters: list[dict], hoaxes: list[dict]
) -> None:
    with kb_with({"letters/official.yml": dump({"letters": letters, "hoaxes": hoaxes})}) as kb:
        letters_report_file_and_line(kb / "letters")


# --- the real files, mutated -----------------------------------------------------------------

REAL_FILES = {
    f"faq/{UNIT}.yml": (REAL_KB / "faq" / f"{UNIT}.yml").read_text(encoding="utf-8"),
    "programs.yml": (REAL_KB / "programs.yml").read_text(encoding="utf-8"),
    "refusals.yml": (REAL_KB / "refusals.yml").read_text(encoding="utf-8"),
    "letters/official.yml": (REAL_KB / "letters" / "official.yml").read_text(encoding="utf-8"),
}


@st.composite
def mutated_files(draw: st.DrawFn) -> tuple[str, str]:
    """One real file with one to three lines replaced, deleted, duplicated or re-indented."""
    name = draw(st.sampled_from(sorted(REAL_FILES)))
    lines = REAL_FILES[name].splitlines()
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["replace", "delete", "duplicate", "indent", "dedent"]))
        if how == "replace":
            lines[index] = draw(YAML_TEXT)
        elif how == "delete":
            del lines[index]
        elif how == "duplicate":
            lines.insert(index, lines[index])
        elif how == "indent":
            lines[index] = "  " + lines[index]
        else:
            lines[index] = lines[index].lstrip()
        if not lines:
            lines = [""]
    return name, "\n".join(lines) + "\n"


@budget(60)
@given(mutated_files())
def test_mutated_real_files_load_or_name_file_and_line(mutated: tuple[str, str]) -> None:
    name, text = mutated
    with kb_with({**REAL_FILES, name: text}) as folder:
        check_all(folder)


def test_the_real_files_copied_load_cleanly() -> None:
    with kb_with(REAL_FILES) as folder:
        assert load_dir(folder) and load_programs(folder).programs and load_refusals(folder).kinds
        assert load_letters(folder / "letters").problems == ()


def test_programs_and_refusals_name_the_line_of_the_bad_row() -> None:
    programs = "programs:\n  - {id: dau, name: DAU, unit: u, names: [dau]}\n  - {id: 5}\n"
    refusals = "kinds:\n  - id: a\n    all_of: [[alokasi]]\n  - id: b\n    all_of: [['!!!']]\n"
    with kb_with({"programs.yml": programs, "refusals.yml": refusals}) as folder:
        for load, line in ((load_programs, 3), (load_refusals, 4)):
            try:
                load(folder)
            except KbError as exc:
                (message,) = exc.messages
                assert re.match(rf"^\S+\.yml:{line}: ", message), message
            else:
                raise AssertionError(f"{load.__name__} accepted a bad row")


def test_a_broken_programs_file_is_reported_with_the_faqs_own_problems() -> None:
    files = {f"faq/{UNIT}.yml": "entries: [{id: Bad Id}]\n", "programs.yml": "programs: 5\n"}
    with kb_with(files) as folder:
        try:
            load_dir(folder)
        except KbError as exc:
            files_named = {message.split(":")[0].rsplit("/", 1)[-1] for message in exc.messages}
            assert files_named == {f"{UNIT}.yml", "programs.yml"}
        else:
            raise AssertionError("loaded")


def test_dates_in_wrong_documents_are_not_a_crash() -> None:
    faq = dump(
        {"entries": [{"id": "x", "reviewed_on": date(2026, 1, 1), "questions": [date.today()]}]}
    )
    with kb_with({f"faq/{UNIT}.yml": faq}) as folder:
        loads_or_names_file_and_line(load_dir, folder)
