"""Reading knowledge-base YAML files: the KbError every loader raises (`path:line: message`),
a SafeLoader whose unreadable tagged values are YAML errors, and the top-level list reader that
programs.yml and refusals.yml share with the FAQ loader."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.content import ContentError, SafeLoader


def line_of(node: Node) -> int:
    """The 1-based line a YAML node starts on."""
    return node.start_mark.line + 1


class KbError(ContentError):
    """The knowledge base is invalid; `messages` holds every `path:line: message`."""

    def __init__(self, messages: Iterable[str]) -> None:
        super().__init__(list(messages))


def read_error(path: Path, exc: BaseException) -> KbError:
    """A YAML, encoding, nesting or file error as one `path:line: message` KbError."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return KbError([f"{path}:{line}: invalid YAML: {exc.problem or exc.context}"])
    if isinstance(exc, RecursionError):
        return KbError([f"{path}:1: invalid YAML: nested too deeply"])
    if isinstance(exc, OSError):
        return KbError([f"{path}:1: cannot read: {exc.strerror or exc}"])
    return KbError([f"{path}:1: invalid YAML: {exc}"])


READ_ERRORS = (yaml.YAMLError, UnicodeDecodeError, RecursionError, OSError)


def read_top_rows(path: Path, key: str) -> list[tuple[int, object]]:
    """Each item of the top-level `key:` list of a YAML file with its line; KbError naming
    `path:line` for anything else (bad YAML or encoding, another shape)."""
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=SafeLoader)  # parsed once: lines from the nodes,
        data = SafeLoader("").construct_document(root) if root is not None else None  # values
    except READ_ERRORS as exc:
        raise read_error(path, exc) from exc
    rows = data.get(key) if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise KbError([f"{path}:1: expected a top-level '{key}:' list"])
    lines = [line_of(item) for item in _top_items(root, key)]
    if len(lines) != len(rows):  # a merge key (<<) built the list: no line per item
        lines = [1] * len(rows)
    return list(zip(lines, rows, strict=True))


def _top_items(root: Node | None, key: str) -> list[Node]:
    """The nodes of the (last) top-level `key:` sequence, if the file spells one."""
    items: list[Node] = []
    if isinstance(root, MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                items = value_node.value if isinstance(value_node, SequenceNode) else []
    return items
