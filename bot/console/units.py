"""The DJPK units a ticket can be escalated to, as the console shows them: the `units` list of
knowledge_base/services.yml, read through bot.units (its one loader)."""

from __future__ import annotations

from pathlib import Path

from bot.reservations import FILE_NAME
from bot.settings import Settings
from bot.units import SEKRETARIAT, EscalationUnits, Unit

__all__ = ["SEKRETARIAT", "Unit", "escalation_units", "unit_name"]


_CACHE: dict[Path, tuple[tuple[int, int], EscalationUnits]] = {}


def _load(kb_dir: Path | str) -> EscalationUnits:
    """services.yml's units, read again when the file changes (none when it is missing)."""
    path = Path(kb_dir)
    try:
        stat = (path / FILE_NAME).stat()
    except OSError:
        return EscalationUnits({})
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(path)
    if cached is None or cached[0] != stamp:
        cached = _CACHE[path] = (stamp, EscalationUnits.load(path))
    return cached[1]


def unit_name(slug: str, kb_dir: Path | str | None = None) -> str:
    """The display name of a unit slug (a title-cased slug when it is not a known one)."""
    return _load(kb_dir or Settings.from_env().kb_dir).name_of(slug)


def escalation_units(kb_dir: Path | str) -> tuple[Unit, ...]:
    """The units of services.yml, by slug (the FAQ owners and Sekretariat)."""
    return _load(kb_dir).units
