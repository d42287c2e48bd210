"""Who may see and change the knowledge base in the console (issue 16).

A supervisor sees and edits every unit; a unit PIC only its own unit; an agent nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.console.access import Denied
from bot.console.users import ConsoleUser, Role
from bot.kb.loop.edits import may_edit

AGENTS_REFUSED = "Basis Pengetahuan hanya untuk PIC unit dan supervisor."
OTHER_UNIT = "Bapak/Ibu hanya dapat mengelola basis pengetahuan unit Bapak/Ibu sendiri."


def check_any(user: ConsoleUser) -> None:
    """Raise Denied unless the user may open the knowledge view at all."""
    if user.role is Role.SUPERVISOR:
        return
    if user.role is Role.UNIT_PIC and user.unit:
        return
    raise Denied(403, AGENTS_REFUSED)


def check_unit(user: ConsoleUser, unit: str) -> None:
    """Raise Denied unless the user may see and edit `unit`'s entries and questions (the
    editor's own rule, `may_edit`: a supervisor every unit, a PIC its own)."""
    check_any(user)
    if not may_edit(user.role.value, user.unit, unit):
        raise Denied(403, OTHER_UNIT)


def visible_units(user: ConsoleUser, units: Iterable[str]) -> tuple[str, ...]:
    """The units the user works on: all for a supervisor, its own for a unit PIC."""
    check_any(user)
    if user.role is Role.UNIT_PIC:
        return (user.unit,) if user.unit else ()
    return tuple(units)


def unit_filter(user: ConsoleUser, asked: str | None) -> str | None:
    """The unit a listing is narrowed to: a PIC's own always; a supervisor's choice (None: all)."""
    check_any(user)
    if user.role is Role.UNIT_PIC:
        if asked and asked != user.unit:
            raise Denied(403, OTHER_UNIT)
        return user.unit
    return asked or None
