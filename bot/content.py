"""The one base of every error about malformed content under knowledge_base/ (YAML, CSV).

Each loader keeps its own subclass (KbError, RegistryError, EntryError, HoursError, ...); a
caller that only wants to know "is the content broken" catches ContentError and reads
`messages`, one `path:line: message` (or a plain sentence when no file is concerned) per problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml
from yaml.nodes import Node


class ContentError(Exception):
    """Content under knowledge_base/ is malformed; `messages` lists every problem."""

    def __init__(self, messages: Iterable[str] | str = ()) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


class SafeLoader(yaml.SafeLoader):
    """SafeLoader whose explicit tag on a value it cannot read (`!!int ""`, `!!timestamp x`,
    `!!bool maybe`) is a YAML error at that node's line, not PyYAML's own ValueError,
    IndexError, KeyError or AttributeError."""

    def construct_object(self, node: Node, deep: bool = False) -> object:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, IndexError, KeyError, AttributeError, TypeError):
            tag = str(node.tag).rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"value not readable as {tag}", node.start_mark
            ) from None


def read_yaml(path: Path, error: type[ContentError] = ContentError) -> object:
    """The document of a YAML file; bad YAML or encoding is `error` naming `path:line`.

    A missing or unreadable file stays an OSError (it is not malformed content).
    """
    text = path.read_bytes()
    try:
        return yaml.load(text.decode("utf-8"), Loader=SafeLoader)  # noqa: S506 (a SafeLoader)
    except UnicodeDecodeError as exc:
        raise error([f"{path}:1: not UTF-8 text"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        detail = getattr(exc, "problem", None) or getattr(exc, "context", None) or exc
        raise error([f"{path}:{line}: invalid YAML: {detail}"]) from exc
