"""The one base of every error about malformed content under knowledge_base/ (YAML, CSV).

Each loader keeps its own subclass (KbError, RegistryError, EntryError, ...); a caller that only
wants to know "is the content broken" catches ContentError and reads `messages`, one
`path:line: message` (or a plain sentence when no file is concerned) per problem.
"""

from __future__ import annotations

from collections.abc import Iterable


class ContentError(Exception):
    """Content under knowledge_base/ is malformed; `messages` lists every problem."""

    def __init__(self, messages: Iterable[str] | str = ()) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))
