"""A FAQ file as text plus its ruamel.yaml round-trip tree: find an entry's lines, dump one entry
the way the file writes entries, and splice it back, leaving every other byte as it was."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString

ANSWER_WIDTH = 92  # where a new answer's folded lines break (the files' own width)
ORDER = (
    "id",
    "topic",
    "unit",
    "questions",
    "keywords",
    "answer",
    "references",
    "reviewed_on",
    "review_every_days",
    "valid_until",
    "programs",
    "confirm",
)
FLOW_LISTS = ("keywords", "programs")  # written `[a, b]`, as the files do
KEPT_EMPTY = ("references",)  # required lists an entry may leave empty


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True  # type: ignore[assignment]
    yaml.width = 4096  # type: ignore[assignment]  # never re-wrap a line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


class Unparsable(ValueError):
    """The file is not YAML ruamel.yaml can round-trip (message: `line: problem`)."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"{line}: {problem}")
        self.line, self.problem = line, problem


@dataclass
class FaqText:
    """One FAQ file: its text, its entries (round-trip nodes) and where each starts."""

    text: str
    entries: CommentedSeq

    @classmethod
    def parse(cls, text: str) -> FaqText:
        """Parse; Unparsable when it is not YAML or has no `entries:` block list."""
        try:
            data = _yaml().load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            raise Unparsable(mark.line + 1 if mark else 1, f"invalid YAML: {problem}") from exc
        entries = data.get("entries") if isinstance(data, CommentedMap) else None
        if not isinstance(entries, CommentedSeq) or entries.fa.flow_style():
            raise Unparsable(1, "expected a top-level 'entries:' block list")
        return cls(text, entries)

    def index(self, entry_id: str) -> int | None:
        """The position of the entry with this id, or None."""
        for number, entry in enumerate(self.entries):
            if isinstance(entry, CommentedMap) and str(entry.get("id", "")).strip() == entry_id:
                return number
        return None

    def span(self, number: int) -> tuple[int, int]:
        """The 0-based [first, end) lines of entry `number`: from its `-` to its last line of
        content (the blank and comment lines after it, before the next entry, are not its own)."""
        lines = self.text.splitlines(keepends=True)
        first = self.entries.lc.item(number)[0]
        end = self.entries.lc.item(number + 1)[0] if number + 1 < len(self.entries) else len(lines)
        while end > first + 1 and _outside(lines[end - 1]):
            end -= 1
        return first, end

    def entry(self, number: int) -> CommentedMap:
        """Entry `number`, to edit: without the comments that follow its last value (those
        belong to the gap before the next entry, which an edit leaves as it is)."""
        entry: CommentedMap = self.entries[number]
        _drop_trailing_comments(entry)
        return entry

    def block(self, number: int) -> str:
        """The exact text of entry `number` (its span)."""
        first, end = self.span(number)
        return "".join(self.text.splitlines(keepends=True)[first:end])

    def dash_column(self, number: int) -> int:
        """The column of the entry's `-`."""
        line = self.text.splitlines()[self.entries.lc.item(number)[0]]
        return len(line) - len(line.lstrip(" -")) - 2 if "-" in line else 2

    def dump(self, entry: CommentedMap, column: int) -> str:
        """The entry as the file writes entries, its `-` at `column`, without the blank and
        comment lines ruamel.yaml keeps after its last value (they stay in the file as they are)."""
        _drop_trailing_comments(entry)
        out = io.StringIO()
        _yaml().dump(CommentedSeq([entry]), out)
        shift = column - 2
        lines = out.getvalue().splitlines(keepends=True)
        while len(lines) > 1 and _outside(lines[-1]):
            lines.pop()
        if shift > 0:
            lines = [(" " * shift + line) if line.strip() else line for line in lines]
        elif shift < 0:
            lines = [line[-shift:] if line.startswith(" " * -shift) else line for line in lines]
        return "".join(lines)

    def replaced(self, number: int, block: str) -> str:
        """The file with entry `number`'s span replaced by `block` ("" removes it)."""
        lines = self.text.splitlines(keepends=True)
        first, end = self.span(number)
        head = lines[:first]
        if not block and first > 0 and not lines[first - 1].strip() and end == len(lines):
            head = head[:-1]  # the last entry removed: its separating blank line too
        return "".join([*head, block, *lines[end:]])

    def appended(self, block: str) -> str:
        """The file with `block` added after the last entry (a blank line between)."""
        text = self.text if self.text.endswith("\n") else self.text + "\n"
        if len(self.entries) and not text.endswith("\n\n"):
            text += "\n"
        return text + block


def _outside(line: str) -> bool:
    """A blank or comment-only line."""
    return not line.strip() or line.lstrip().startswith("#")


def _drop_trailing_comments(node: Any) -> None:
    """Forget the lines ruamel.yaml attached after the last value of a node (recursively),
    keeping a comment at the end of that value's own line."""
    if isinstance(node, CommentedMap) and node:
        last: Any = list(node.keys())[-1]
    elif isinstance(node, CommentedSeq) and node:
        last = len(node) - 1
    else:
        return
    tokens = node.ca.items.get(last)
    for number, token in enumerate(tokens or []):
        if token is None or not hasattr(token, "value"):
            continue
        if token.value.startswith("#"):  # `value   # comment`: keep that line's comment
            token.value = token.value.split("\n", 1)[0] + "\n"
        else:
            tokens[number] = None
    _drop_trailing_comments(node[last])


def folded(text: str, width: int = ANSWER_WIDTH) -> FoldedScalarString | str:
    """A one-paragraph text as a `>-` block folded at `width`; other texts as they are."""
    text = " ".join(text.split()) if "\n\n" not in text else text.strip()
    if "\n" in text or len(text) <= width:
        return text
    folds, line_start = [], 0
    last_space = -1
    for position, char in enumerate(text):
        if char == " ":
            if position - line_start > width and last_space > line_start:
                folds.append(last_space)
                line_start = last_space + 1
            last_space = position
    if len(text) - line_start > width and last_space > line_start:
        folds.append(last_space)
    value: FoldedScalarString = FoldedScalarString(text)
    value.fold_pos = folds  # type: ignore[attr-defined]  # where the emitter breaks lines
    return value


def node_value(key: str, value: Any, original: Any = None) -> Any:
    """A field value as the file writes it: lists of texts, dates, folded answers."""
    if key in ("questions", "references", *FLOW_LISTS):
        items = [" ".join(str(v).split()) for v in value]
        seq = CommentedSeq(items)
        flow = original.fa.flow_style() if isinstance(original, CommentedSeq) else key in FLOW_LISTS
        if flow:
            seq.fa.set_flow_style()
        return seq
    if key in ("reviewed_on", "valid_until"):
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text  # the loader reports it with its line
    if key == "review_every_days":
        text = str(value).strip()
        return int(text) if text.isdigit() else text
    if key == "answer":
        return folded(str(value))
    return " ".join(str(value).split())


def set_fields(entry: CommentedMap, fields: dict[str, Any]) -> None:
    """Set (or, with None/""/[], remove) fields, new keys in the files' usual order. An empty
    list for a key every entry must have (`references: []`: an answer that cites no regulation)
    is written as `[]`, so the loader does not refuse the entry as incomplete."""
    for key, value in fields.items():
        empty = value is None or value == "" or (isinstance(value, (list, tuple)) and not value)
        if empty and key in KEPT_EMPTY and isinstance(value, (list, tuple)):
            new: Any = CommentedSeq()
            new.fa.set_flow_style()
        elif empty:
            if key in entry:
                del entry[key]
            continue
        else:
            new = node_value(key, value, entry.get(key))
        if key in entry:
            entry[key] = new
            continue
        rank = ORDER.index(key) if key in ORDER else len(ORDER)
        position = sum(1 for k in entry if (ORDER.index(k) if k in ORDER else len(ORDER)) < rank)
        entry.insert(position, key, new)
