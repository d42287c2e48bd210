"""One CSV row to one ImportedTicket (or the row's errors), with pemda, zone and hours derived."""

from __future__ import annotations

from pathlib import Path

from bot.hours import ServiceHours, Zone
from bot.regions import RegionIndex
from bot.tickets.classify import classify_category
from bot.tickets.imports.csv_layout import (
    BOT_CHANNELS,
    CATEGORIES,
    CHANNELS,
    FALSE,
    MEETINGS,
    STATUSES,
    TRUE,
    ImportedTicket,
    RowError,
    choice,
    day,
    moment,
    read,
    score,
)
from bot.tickets.taxonomy import (
    COMPLAINT,
    POLICY,
    RESERVATION,
    SCHEDULE,
    SUBJECT,
    VIDEO,
    VIDEO_CONFERENCE,
    Category,
    Topic,
)

TOPICS = {t.value.lower(): t.value for t in Topic} | {VIDEO_CONFERENCE.lower(): VIDEO_CONFERENCE}
ZONES = {z.value.lower(): z.value for z in Zone} | {
    "barat": "WIB",
    "tengah": "WITA",
    "timur": "WIT",
}


def _channel(text: str) -> str:
    if text.strip().lower() in BOT_CHANNELS:
        raise RowError(
            f"channel: '{text}' dicatat langsung oleh bot; impor hanya telepon, email, hai"
        )
    return choice(text, CHANNELS, "channel")


def _flag(text: str, name: str) -> bool:
    key = text.strip().lower()
    if key in TRUE or key in FALSE:
        return key in TRUE
    raise RowError(f"{name}: isi 'ya' atau 'tidak', bukan '{text}'")


def ticket(
    line: int, row: dict[str, str], regions: RegionIndex, hours: ServiceHours
) -> ImportedTicket:
    """The row as an ImportedTicket; RowError for the first bad value."""

    def get(name: str, default: str = "") -> str:
        return row.get(name, default)

    external = get("external_id", "")
    if not external or len(external) > 64:
        raise RowError("external_id: wajib diisi, paling panjang 64 karakter")
    channel = _channel(get("channel", ""))
    created = moment(get("created_at", ""), "created_at")
    topic = choice(get("topic", ""), TOPICS, "topic")
    region = None
    if get("pemda"):
        region = regions.match(get("pemda"))
        if region is None:
            raise RowError(f"pemda: '{get('pemda')}' tidak ditemukan di knowledge_base/regions.csv")
    instansi = get("instansi") or None
    place = region or (regions.match(instansi) if instansi else None)
    if get("category"):
        category = choice(get("category"), CATEGORIES, "category")
    else:
        category = classify_category(instansi, pemda_matched=place is not None).value
    zone = choice(get("zone"), ZONES, "zone") if get("zone") else None
    zone = zone or (place.zone.value if place else None)
    inside = (
        _flag(get("in_service_hours"), "in_service_hours")
        if get("in_service_hours")
        else hours.is_open(created)
    )
    status = choice(get("status") or "resolved", STATUSES, "status")
    unit = get("escalation_unit") or None
    escalated = moment(get("escalated_at"), "escalated_at") if get("escalated_at") else None
    if status == "escalated" and not unit:
        raise RowError("escalation_unit: wajib diisi untuk status escalated")
    escalated = escalated or (created if unit else None)
    resolved = moment(get("resolved_at"), "resolved_at") if get("resolved_at") else None
    if status == "resolved":
        resolved = resolved or created
    for name, value in (("escalated_at", escalated), ("resolved_at", resolved)):
        if value is not None and value < created:
            raise RowError(f"{name}: lebih awal dari created_at")
    context: dict[str, str] = {}
    if topic == VIDEO_CONFERENCE:
        topic, context[RESERVATION] = Topic.RESERVASI.value, VIDEO
    if get("reservasi"):
        context[RESERVATION] = choice(get("reservasi"), MEETINGS, "reservasi")
    if get("jadwal"):
        context[SCHEDULE] = day(get("jadwal"), "jadwal").isoformat()
    if get("topik_reservasi"):
        context[SUBJECT] = get("topik_reservasi")
    if get("keluhan"):
        context[COMPLAINT] = choice(get("keluhan"), {POLICY: POLICY}, "keluhan")
    user = get("user_id") or None
    return ImportedTicket(
        external,
        line,
        channel,
        created,
        topic,
        get("summary", ""),
        f"{channel}:{user}"[:128] if user else f"import:{external}",
        get("user_name") or None,
        instansi,
        category,
        place.name if place and category == Category.PEMDA.value else None,
        zone,
        inside,
        status,
        get("assigned_agent") or None,
        unit,
        escalated,
        resolved,
        score(get("csat_service", ""), "csat_service"),
        score(get("csat_answer", ""), "csat_answer"),
        context,
    )


def parse(
    path: Path, regions: RegionIndex, hours: ServiceHours
) -> tuple[list[ImportedTicket], list[str]]:
    """(tickets, errors) of a CSV file; every error is 'file:line: message'."""
    rows, errors = read(path)
    tickets: list[ImportedTicket] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            item = ticket(line, row, regions, hours)
        except RowError as error:
            errors.append(f"{path}:{line}: {error}")
            continue
        if item.external_id in seen:
            first = seen[item.external_id]
            errors.append(
                f"{path}:{line}: external_id '{item.external_id}' sudah ada di baris {first}"
            )
            continue
        seen[item.external_id] = line
        tickets.append(item)
    return tickets, errors
