"""The DJPK units of knowledge_base/services.yml: the units (slug and display name) and which
one a complaint about a topic is escalated to. The one loader of that list (the console too)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.content import read_yaml
from bot.reservations import FILE_NAME, ServicesError
from bot.tickets.taxonomy import Topic

SEKRETARIAT = "sekretariat"


class UnitsError(ServicesError):
    """services.yml's `units` or `escalation_units` block is malformed."""


@dataclass(frozen=True)
class Unit:
    """One escalation unit: the slug stored on tickets and users, and its display name."""

    slug: str
    name: str

    def to_dict(self) -> dict[str, str]:
        """JSON-ready."""
        return {"slug": self.slug, "name": self.name}


def _block(data: object, key: str, path: Path) -> dict[str, str]:
    block = (data.get(key) if isinstance(data, dict) else None) or {}
    if not isinstance(block, dict):
        raise UnitsError([f"{path}:1: `{key}` must map names to names"])
    return {str(k): str(v) for k, v in block.items()}


class EscalationUnits:
    """Topic to owning unit, with a default (the Secretariat), and the units' display names."""

    def __init__(self, mapping: dict[str, str], names: dict[str, str] | None = None) -> None:
        self.mapping = mapping
        self.names = dict(names or {})

    @classmethod
    def load(cls, kb_dir: Path | str) -> EscalationUnits:
        """Read the `units` and `escalation_units` blocks of services.yml."""
        path = Path(kb_dir) / FILE_NAME
        data = read_yaml(path, UnitsError) or {}
        return cls(_block(data, "escalation_units", path), _block(data, "units", path))

    def for_topic(self, topic: Topic) -> str:
        """The unit for a topic, or the default."""
        return self.mapping.get(topic.value) or self.mapping.get("default", SEKRETARIAT)

    @property
    def units(self) -> tuple[Unit, ...]:
        """Every listed unit, by slug."""
        return tuple(Unit(slug, self.names[slug]) for slug in sorted(self.names))

    def name_of(self, slug: str) -> str:
        """The display name of a unit slug (a title-cased slug when it is not a listed one)."""
        return self.names.get(slug) or slug.replace("-", " ").title()
