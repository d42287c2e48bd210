"""What the console API returns: queue rows, and a ticket with its context summary on top."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from bot.console.times import stamp
from bot.console.units import unit_name
from bot.hours import Zone
from bot.tickets.records import Ticket, TicketEvent, TicketMessage

PREVIEW = 160
FaqTitle = Callable[[str], "str | None"]


def queue_row(ticket: Ticket, zone: Zone = Zone.WIB) -> dict[str, Any]:
    """One line of the queue (`zone`: the agents' zone, for the texts of its times)."""
    summary = ticket.summary if len(ticket.summary) <= PREVIEW else ticket.summary[:PREVIEW] + "…"
    return {
        "id": ticket.id,
        "number": ticket.number,
        "status": ticket.status.value,
        "channel": ticket.channel.value,
        "topic": ticket.topic.value,
        "zone": ticket.zone.value if ticket.zone else None,
        "in_service_hours": ticket.in_service_hours,
        "user_name": ticket.user_name,
        "instansi": ticket.instansi,
        "pemda": ticket.pemda,
        "summary": summary,
        "assigned_agent": ticket.assigned_agent,
        "escalation_unit": ticket.escalation_unit,
        "created_at": ticket.created_at.isoformat(),
        "created_text": stamp(ticket.created_at, zone, ticket.zone),
        "updated_at": ticket.updated_at.isoformat(),
    }


def _verification(value: Any) -> str:
    if isinstance(value, dict):
        parts = [str(value.get("verdict") or "?"), str(value.get("number") or "")]
        return " ".join(part for part in parts if part)
    return str(value)


def context_summary(ticket: Ticket, faq_title: FaqTitle) -> list[dict[str, str]]:
    """Labelled lines for the top of the ticket: who, where, what, and what the bot tried."""
    lines = [
        ("Pengguna", ticket.user_name),
        ("Instansi", ticket.instansi),
        ("Kategori", ticket.category.value if ticket.category else None),
        ("Pemda", ticket.pemda),
        ("Zona waktu", ticket.zone.value if ticket.zone else None),
        ("Kanal", ticket.channel.value),
        ("Topik", ticket.topic.value),
        (
            "Jam layanan",
            "di dalam jam layanan" if ticket.in_service_hours else "di luar jam layanan",
        ),
        ("Status", ticket.status.value),
        ("Petugas", ticket.assigned_agent),
        ("Unit eskalasi", unit_name(ticket.escalation_unit) if ticket.escalation_unit else None),
        ("Permasalahan", ticket.summary),
    ]
    context = dict(ticket.context)
    faq_id = context.pop("faq_last_id", None)
    if faq_id:
        title = faq_title(str(faq_id))
        lines.append(("FAQ yang dicoba bot", f"{title} ({faq_id})" if title else str(faq_id)))
    verification = context.pop("last_verification", None)
    if verification:
        lines.append(("Verifikasi surat", _verification(verification)))
    for key, value in sorted(context.items()):
        if value is None:  # a key the form left empty: nothing to show ("null" before)
            continue
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append((key.replace("_", " ").capitalize(), shown))
    if ticket.csat_service or ticket.csat_answer:
        scores = f"layanan {ticket.csat_service or '-'}, substansi {ticket.csat_answer or '-'}"
        lines.append(("CSAT", scores))
    return [{"label": label, "value": str(value)} for label, value in lines if value]


def ticket_detail(
    ticket: Ticket,
    messages: Sequence[TicketMessage],
    events: Sequence[TicketEvent],
    faq_title: FaqTitle,
    zone: Zone = Zone.WIB,
) -> dict[str, Any]:
    """The ticket, its context summary, transcript (user, bot and agent) and history.

    Each time also comes as `at_text` in the agents' `zone`, with the user's zone beside it.
    """
    data = ticket.to_dict()
    data["context_summary"] = context_summary(ticket, faq_title)
    data["messages"] = [
        {
            "id": m.id,
            "at": m.at.isoformat(),
            "at_text": stamp(m.at, zone, ticket.zone),
            "sender": m.sender.value,
            "text": m.text,
            "faq_id": m.faq_id,
        }
        for m in messages
    ]
    data["events"] = [
        {
            "at": e.at.isoformat(),
            "at_text": stamp(e.at, zone, ticket.zone),
            "kind": e.kind.value,
            "actor": e.actor,
            "detail": e.detail,
        }
        for e in events
    ]
    return data
