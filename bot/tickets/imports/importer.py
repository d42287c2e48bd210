"""`python -m bot.report import-csv FILE`: telephone, e-mail and HAI tickets, re-import safe."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.db import engine_for, session_factory
from bot.hours import ServiceHours
from bot.regions import RegionIndex
from bot.tickets.imports.csv_layout import ImportedTicket
from bot.tickets.imports.csv_rows import parse
from bot.tickets.imports.tables import ReportImportRow
from bot.tickets.numbering import format_number, next_sequence, service_day
from bot.tickets.tables import TicketEventRow, TicketRow

ACTIVE = ("open", "assigned", "escalated")
FIELDS = (
    "conversation_id",
    "channel",
    "user_name",
    "instansi",
    "category",
    "pemda",
    "zone",
    "topic",
    "summary",
    "status",
    "in_service_hours",
    "assigned_agent",
    "escalation_unit",
    "context",
    "csat_service",
    "csat_answer",
    "created_at",
    "escalated_at",
    "resolved_at",
)


class ImportFailed(ValueError):
    """The file has errors; nothing was written. `messages` are 'file:line: message' lines."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


@dataclass(frozen=True)
class ImportResult:
    """What one import did."""

    file: str
    created: int
    updated: int
    unchanged: int

    def describe(self) -> str:
        """One line for the console."""
        return (
            f"{self.file}: {self.created} tiket baru, {self.updated} diperbarui, "
            f"{self.unchanged} tidak berubah"
        )


def _values(item: ImportedTicket) -> dict[str, Any]:
    values = {name: getattr(item, name) for name in FIELDS}
    values["context"] = dict(item.context)
    values["updated_at"] = max(
        t for t in (item.created_at, item.escalated_at, item.resolved_at) if t
    )
    values["closed_at"] = values["updated_at"] if item.status == "closed" else None
    values["assigned_at"] = item.created_at if item.assigned_agent else None
    return values


def _events(item: ImportedTicket, ticket_id: int) -> list[TicketEventRow]:
    events = [("created", item.created_at, "import", f"in_service_hours={item.in_service_hours}")]
    if item.escalated_at:
        events.append(("escalated", item.escalated_at, "import", item.escalation_unit or ""))
    if item.resolved_at:
        events.append(("resolved", item.resolved_at, "import", ""))
    return [
        TicketEventRow(ticket_id=ticket_id, at=at, kind=kind, actor=actor, detail=detail)
        for kind, at, actor, detail in events
    ]


def _create(session: Session, item: ImportedTicket) -> TicketRow:
    day = service_day(item.created_at)
    row = TicketRow(number=format_number(day, next_sequence(session, day)), **_values(item))
    row.open_key = None  # imported tickets never claim a bot conversation
    session.add(row)
    session.flush()
    session.add_all(_events(item, row.id))
    return row


def write(session: Session, items: list[ImportedTicket], source: str) -> tuple[int, int, int]:
    """Insert new external ids, update changed ones, skip the rest; (created, updated, same)."""
    now = utcnow()
    known: dict[str, ReportImportRow] = {}
    ids = [item.external_id for item in items]
    for start in range(0, len(ids), 500):
        query = select(ReportImportRow).where(
            ReportImportRow.external_id.in_(ids[start : start + 500])
        )
        known.update({row.external_id: row for row in session.execute(query).scalars()})
    alive: set[int] = set()
    linked = [link.ticket_id for link in known.values()]
    for start in range(0, len(linked), 500):
        query = select(TicketRow.id).where(TicketRow.id.in_(linked[start : start + 500]))
        alive.update(session.execute(query).scalars())
    created = updated = unchanged = 0
    for item in items:
        link = known.get(item.external_id)
        if link is not None and link.fingerprint == item.fingerprint and link.ticket_id in alive:
            unchanged += 1
            continue
        if link is None:
            row = _create(session, item)
            session.add(
                ReportImportRow(
                    external_id=item.external_id,
                    ticket_id=row.id,
                    fingerprint=item.fingerprint,
                    source=source,
                    line=item.line,
                    imported_at=now,
                )
            )
            created += 1
            continue
        ticket = session.get(TicketRow, link.ticket_id)
        if ticket is None:  # the ticket was deleted since: import it again
            link.ticket_id = _create(session, item).id
            link.fingerprint, link.source, link.line, link.imported_at = (
                item.fingerprint,
                source,
                item.line,
                now,
            )
            created += 1
            continue
        for name, value in _values(item).items():
            setattr(ticket, name, value)
        session.add(
            TicketEventRow(
                ticket_id=ticket.id,
                at=now,
                kind="note",
                actor="import",
                detail=f"diperbarui dari {source}:{item.line}",
            )
        )
        link.fingerprint, link.source, link.line, link.imported_at = (
            item.fingerprint,
            source,
            item.line,
            now,
        )
        updated += 1
    return created, updated, unchanged


def import_file(path: Path, db_url: str, kb_dir: Path) -> ImportResult:
    """Validate the whole file first; write it in one transaction only when it has no errors."""
    if not path.is_file():
        raise ImportFailed([f"{path}:0: berkas tidak ditemukan"])
    items, errors = parse(path, RegionIndex.load(kb_dir), ServiceHours.load(kb_dir))
    if errors:
        raise ImportFailed(errors)
    with session_factory(engine_for(db_url)).begin() as session:
        created, updated, unchanged = write(session, items, str(path)[:300])
    return ImportResult(str(path), created, updated, unchanged)
