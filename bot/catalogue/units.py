"""Which DJPK unit a complaint about a topic is escalated to (knowledge_base/services.yml)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.catalogue.reservations import FILE_NAME
from bot.tickets.taxonomy import Topic


class EscalationUnits:
    """Topic to owning unit, with a default (the Secretariat)."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping

    @classmethod
    def load(cls, kb_dir: Path | str) -> EscalationUnits:
        """Read the `escalation_units` block of services.yml."""
        data = yaml.safe_load((Path(kb_dir) / FILE_NAME).read_text(encoding="utf-8")) or {}
        return cls({str(k): str(v) for k, v in (data.get("escalation_units") or {}).items()})

    def for_topic(self, topic: Topic) -> str:
        """The unit for a topic, or the default."""
        return self.mapping.get(topic.value) or self.mapping.get("default", "sekretariat")
