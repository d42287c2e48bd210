"""Load and validate knowledge_base/faq/*.yml; every problem reported as `path:line: message`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.kb.programs import ANY, load_programs
from bot.kb.records import FaqEntry
from bot.kb.yamlfile import READ_ERRORS, KbError, line_of, read_error

MAX_ANSWER_CHARS = 1000
MIN_QUESTIONS = 3
REQUIRED = ("id", "topic", "unit", "questions", "answer", "references", "reviewed_on")
OPTIONAL = ("review_every_days", "keywords", "valid_until", "programs", "confirm")
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_LISTS = ("questions", "references", "keywords", "programs")
_DATES = ("reviewed_on", "valid_until")


def faq_dir(kb_dir: Path) -> Path:
    """The folder holding the FAQ files: `<kb_dir>/faq`, or kb_dir itself if it has none."""
    return kb_dir / "faq" if (kb_dir / "faq").is_dir() else kb_dir


def faq_files(folder: Path) -> list[Path]:
    """The FAQ files of a folder, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def load_dir(kb_dir: Path) -> tuple[FaqEntry, ...]:
    """Load every FAQ file; raise KbError with all problems found across the files."""
    folder = faq_dir(Path(kb_dir))
    if not folder.is_dir():
        raise KbError([f"{folder}:0: folder not found"])
    entries: list[FaqEntry] = []
    errors: list[str] = []
    seen: dict[str, str] = {}
    for path in map(_shown, faq_files(folder)):
        file_entries, file_errors = _load_file(path)
        errors.extend(file_errors)
        for entry in file_entries:
            if entry.id in seen:
                errors.append(
                    f"{path}:{entry.line}: duplicate id '{entry.id}' (first in {seen[entry.id]})"
                )
                continue
            seen[entry.id] = f"{entry.source}:{entry.line}"
            entries.append(entry)
    errors += _unknown_programs(Path(kb_dir), entries)
    if errors:
        raise KbError(errors)
    return tuple(entries)


def _unknown_programs(kb_dir: Path, entries: list[FaqEntry]) -> list[str]:
    """Entries whose `programs:` name an id missing from programs.yml."""
    try:
        catalogue = load_programs(kb_dir)
    except KbError as exc:  # reported with the FAQ's own problems, not instead of them
        return exc.messages
    return [
        f"{entry.source}:{entry.line}: entry '{entry.id}': unknown program '{name}' "
        f"(see {kb_dir / 'programs.yml'})"
        for entry in entries
        for name in entry.programs
        if name != ANY and catalogue.get(name) is None
    ]


def _shown(path: Path) -> Path:
    """The path relative to the working directory when it lies below it (shorter messages)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _load_file(path: Path) -> tuple[list[FaqEntry], list[str]]:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except READ_ERRORS as exc:
        return [], read_error(path, exc).messages
    if root is None:
        return [], [f"{path}:1: empty file (expected 'entries:')"]
    top, errors = _mapping(path, root)
    for key, value in top.items():
        if key != "entries":
            errors.append(f"{path}:{line_of(value)}: unknown top-level key '{key}'")
    node = top.get("entries")
    if node is None:
        return [], [*errors, f"{path}:{line_of(root)}: missing top-level 'entries:' list"]
    if not isinstance(node, SequenceNode):
        return [], [*errors, f"{path}:{line_of(node)}: 'entries' must be a list"]
    entries = []
    for item in node.value:
        entry, entry_errors = _entry(path, item)
        errors.extend(entry_errors)
        if entry is not None:
            entries.append(entry)
    return entries, errors


def _mapping(path: Path, node: Node) -> tuple[dict[str, Node], list[str]]:
    if not isinstance(node, MappingNode):
        return {}, [f"{path}:{line_of(node)}: expected a mapping"]
    fields: dict[str, Node] = {}
    errors = []
    for key_node, value_node in node.value:
        key = str(key_node.value)
        if key in fields:
            errors.append(f"{path}:{line_of(key_node)}: duplicate key '{key}'")
        fields[key] = value_node
    return fields, errors


def _entry(path: Path, node: Node) -> tuple[FaqEntry | None, list[str]]:
    fields, errors = _mapping(path, node)
    if not isinstance(node, MappingNode):
        return None, errors
    where = f"{path}:{line_of(node)}"
    ident = fields["id"].value if isinstance(fields.get("id"), ScalarNode) else "?"
    lines = {str(key.value): line_of(key) for key, _ in node.value}
    values: dict[str, object] = {}
    for key, value_node in fields.items():
        if key not in REQUIRED and key not in OPTIONAL:
            errors.append(f"{path}:{lines[key]}: entry '{ident}': unknown key '{key}'")
            continue
        try:
            values[key] = _value(key, value_node)
        except ValueError as exc:
            errors.append(f"{path}:{lines[key]}: entry '{ident}': {key}: {exc}")
    errors += [f"{where}: entry '{ident}': missing '{k}'" for k in REQUIRED if k not in fields]
    errors += _checks(path, lines, values, ident)
    if errors:
        return None, errors
    return FaqEntry(**values, source=str(path), line=line_of(node)), []  # type: ignore[arg-type]


def _value(key: str, node: Node) -> object:
    if key in _LISTS:
        if not isinstance(node, SequenceNode):
            raise ValueError("must be a list")
        if not all(isinstance(item, ScalarNode) and str(item.value).strip() for item in node.value):
            raise ValueError("items must be non-empty texts")
        return tuple(" ".join(str(item.value).split()) for item in node.value)
    if not isinstance(node, ScalarNode):
        raise ValueError("must be a single value")
    text = str(node.value).strip()
    if key in _DATES:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)") from None
    if key == "review_every_days":
        if not text.isdigit() or int(text) < 1:
            raise ValueError(f"'{text}' is not a positive whole number of days")
        return int(text)
    if not text:
        raise ValueError("must not be empty")
    return text


def _checks(path: Path, lines: dict[str, int], values: dict[str, object], ident: str) -> list[str]:
    def at(key: str, message: str) -> str:
        return f"{path}:{lines[key]}: entry '{ident}': {message}"

    errors = []
    if isinstance(values.get("id"), str) and not _KEBAB.match(ident):
        errors.append(at("id", f"id '{ident}' must be kebab-case (a-z, 0-9 and '-')"))
    if isinstance(values.get("id"), str) and len(ident) > 80:
        errors.append(at("id", "id longer than 80 characters"))
    answer = values.get("answer")
    if isinstance(answer, str) and len(answer) > MAX_ANSWER_CHARS:
        errors.append(
            at("answer", f"answer has {len(answer)} characters (at most {MAX_ANSWER_CHARS})")
        )
    questions = values.get("questions")
    if isinstance(questions, tuple) and len(questions) < MIN_QUESTIONS:
        errors.append(at("questions", f"{len(questions)} questions (at least {MIN_QUESTIONS})"))
    unit = values.get("unit")
    if isinstance(unit, str) and unit != path.stem:
        errors.append(at("unit", f"unit '{unit}' differs from the file name '{path.stem}'"))
    return errors
