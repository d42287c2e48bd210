"""Read knowledge_base/letters/*.yml into records, reporting problems as `path:line: message`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from bot.content import SafeLoader
from bot.letters.records import Hoax, Letter
from bot.letters.schema import EntryChecker, LineDict, Problem

EXAMPLES_FILE = "examples.yml"


class _LineLoader(SafeLoader):
    """SafeLoader whose mappings are LineDicts; duplicate keys are recorded, not overwritten;
    an explicit tag on a value it cannot read (`!!int ""`) is a YAML error at its line."""

    duplicates: list[tuple[int, str]]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool, date)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a key must be a plain value, not a list or mapping",
                key_node.start_mark,
            )
        if key in result:
            loader.duplicates.append((line, f"duplicate key '{key}'"))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> object:
    """Dates as usual; an impossible date (2023-13-45) stays text so the checker can name it."""
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, AttributeError):  # AttributeError: PyYAML on `!!timestamp some text`
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass(frozen=True)
class RegistryData:
    """Everything read from the letters folder, with the problems found."""

    letters: tuple[Letter, ...]
    hoaxes: tuple[Hoax, ...]
    problems: tuple[Problem, ...]


def read_yaml(path: Path, checker: EntryChecker) -> LineDict:
    """Parse one file into LineDicts; YAML, encoding and nesting errors and duplicate keys
    become problems (never an exception)."""
    loader = None
    try:
        loader = _LineLoader(path.read_text(encoding="utf-8"))  # checks the characters
        loader.duplicates = []
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or exc
        checker.error(mark.line + 1 if mark else 1, f"YAML error: {problem}")
        return LineDict()
    except UnicodeDecodeError:
        checker.error(1, "not UTF-8 text")
        return LineDict()
    except RecursionError:
        checker.error(1, "YAML error: nested too deeply")
        return LineDict()
    finally:
        if loader is not None:
            loader.dispose()
    for line, message in loader.duplicates:
        checker.error(line, message)
    if data is None:
        return LineDict()
    if not isinstance(data, LineDict):
        checker.error(1, "expected a mapping with 'letters:' and/or 'hoaxes:'")
        return LineDict()
    return data


def _entries(data: LineDict, key: str, checker: EntryChecker) -> list[LineDict]:
    items = data.get(key) or []
    if not isinstance(items, list):
        checker.error(data.key_lines[key], f"'{key}' must be a list")
        return []
    good = [item for item in items if isinstance(item, LineDict)]
    if len(good) != len(items):
        checker.error(data.key_lines[key], f"each entry of '{key}' must be a mapping")
    return good


def load_dir(letters_dir: Path) -> RegistryData:
    """Read every *.yml in the folder; problems include duplicate numbers and hashes."""
    letters: list[Letter] = []
    hoaxes: list[Hoax] = []
    problems: list[Problem] = []
    paths = sorted(Path(letters_dir).glob("*.yml"))
    if not paths:
        problems.append(Problem(Path(letters_dir), 0, "no *.yml files in this folder"))
    for path in paths:
        checker = EntryChecker(path)
        data = read_yaml(path, checker)
        for key in data:
            if key not in ("letters", "hoaxes"):
                checker.error(data.key_lines[key], f"unknown top-level key '{key}'")
        for item in _entries(data, "letters", checker):
            letter = checker.letter(item, path.name == EXAMPLES_FILE)
            if letter is not None:
                letters.append(letter)
        for item in _entries(data, "hoaxes", checker):
            hoax = checker.hoax(item)
            if hoax is not None:
                hoaxes.append(hoax)
        problems.extend(checker.problems)
    problems.extend(_cross_checks(letters, hoaxes))
    return RegistryData(tuple(letters), tuple(hoaxes), tuple(problems))


def _problem(source: str, message: str) -> Problem:
    path, _, line = source.rpartition(":")
    return Problem(Path(path), int(line), message)


def _cross_checks(letters: list[Letter], hoaxes: list[Hoax]) -> list[Problem]:
    problems = []
    first: dict[str, str] = {}
    entries: list[tuple[str | None, tuple[str, ...], str]]
    entries = [(x.number.canonical, x.sha256, x.source) for x in letters]
    entries += [(x.number.canonical if x.number else None, x.sha256, x.source) for x in hoaxes]
    for number, sha256, source in entries:
        keys = ([f"number {number}"] if number else []) + [f"sha256 {d}" for d in sha256]
        for key in keys:
            if key in first:
                problems.append(_problem(source, f"duplicate {key} (first at {first[key]})"))
            first.setdefault(key, source)
    for hoax in hoaxes:
        key = f"hoax id {hoax.id}"
        if key in first:
            problems.append(_problem(hoax.source, f"duplicate {key} (first at {first[key]})"))
        first.setdefault(key, hoax.source)
    return problems
