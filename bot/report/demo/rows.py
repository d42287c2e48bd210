"""Planned contacts to table rows: times consistent with service hours, numbers, events, labels.

A planned contact the assistant can close alone (spam, another institution's question, a share of
the FAQ questions, on WhatsApp and Live Chat) becomes a bot-only conversation label and no ticket;
every other one a ticket (with its hand-off label on the bot's channels)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot.hours import ServiceHours, Zone
from bot.report.demo import profile, texts
from bot.report.demo.plan import Draft
from bot.report.period import Month
from bot.tickets.numbering import format_number
from bot.tickets.taxonomy import VIDEO_CONFERENCE, Topic

PREFIX = "demo-"  # conversation ids of demo rows start with this (re-runs delete them first)
UNITS = {
    "DAU": "dana-transfer-umum",
    "DBH": "dana-transfer-umum",
    "DAK Fisik": "dana-transfer-khusus",
    "DAK Non Fisik": "dana-transfer-khusus",
    "Dana Desa": "dana-transfer-khusus",
    "PDRD": "pajak-daerah",
    "Pembiayaan": "pembiayaan-kapasitas-daerah",
    "APBD": "evaluasi-informasi-keuangan-daerah",
    "SHSR": "evaluasi-informasi-keuangan-daerah",
    "JF AKPD": "sekretariat",
}
BOT_CHANNELS = ("whatsapp", "livechat")
WIB = timezone(timedelta(hours=Zone.WIB.offset_hours), Zone.WIB.value)


def service_day(at: datetime) -> date:
    """The WIB calendar day (as bot.tickets.numbering.service_day, with one tzinfo reused)."""
    return at.astimezone(WIB).date()


@dataclass
class Batch:
    """Rows to insert, built month by month (ids and day counters carry over)."""

    next_id: int
    counters: dict[str, int]
    tickets: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    label_keys: set[tuple[str, str]] = field(default_factory=set)

    def label(
        self, conversation: str, channel: str, at: datetime, bot_only: bool, in_hours: bool, **who
    ) -> None:
        """One conversation label per conversation and WIB day (the first one wins)."""
        day = f"{service_day(at):%Y%m%d}"
        if (conversation, day) in self.label_keys:
            return
        self.label_keys.add((conversation, day))
        self.labels.append(
            dict(
                conversation_id=conversation,
                day=day,
                channel=channel,
                bot_only=bot_only,
                in_service_hours=in_hours,
                created_at=at,
                topic=who.get("topic"),
                category=who.get("category"),
                pemda=who.get("pemda"),
                zone=who.get("zone"),
            )
        )


def moment(
    month: Month,
    inside: bool,
    hours: ServiceHours,
    rng: random.Random,
    days: range | None = None,
) -> datetime:
    """A random aware UTC time in the month (on one of `days`) inside or outside service hours."""
    choices = list(days or range(1, month.days + 1))
    for attempt in range(400):
        pool = choices if attempt < 200 else range(1, month.days + 1)
        day = date(month.year, month.month, rng.choice(list(pool)))
        minute = rng.randint(8 * 60, 17 * 60 - 1) if inside else rng.randint(0, 24 * 60 - 1)
        at = datetime(day.year, day.month, day.day, minute // 60, minute % 60, rng.randint(0, 59))
        at = at.replace(tzinfo=WIB)
        if hours.is_open(at) is inside:
            return at.astimezone(timezone.utc)
    raise ValueError(f"no {'open' if inside else 'closed'} minute in {month}")


def _minutes(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(minutes=rng.randint(low, high), seconds=rng.randint(0, 59))


def bot_alone(draft: Draft, rng: random.Random) -> bool:
    """Whether the assistant closes this contact without an agent: on its channels, nothing an
    agent must act on (no escalation, rating, meeting, request details or seed listing), and
    spam, another institution's question, or an FAQ question in a share of cases."""
    needs_agent = draft.escalated or draft.rating or draft.meeting_day is not None
    if draft.channel not in BOT_CHANNELS or needs_agent or draft.context or draft.special:
        return False
    if draft.topic in (Topic.SPAM.value, Topic.NON_DJPK.value):
        return True
    return draft.topic in UNITS and rng.random() < profile.FAQ_ALONE_SHARE


def add_contact(
    batch: Batch, draft: Draft, month: Month, n: int, hours: ServiceHours, rng: random.Random
) -> None:
    """Append a bot-only label, or the ticket's row, its events and (bot channels) its label."""
    days = None
    if draft.meeting_day is not None:
        meet = min(draft.meeting_day, month.days)
        draft.context["jadwal"] = date(month.year, month.month, meet).isoformat()
        days = range(max(1, meet - 7), meet + 1)
    created = moment(month, draft.in_hours, hours, rng, days)
    if bot_alone(draft, rng):
        batch.label(
            f"{PREFIX}{month.key}-b{n:06d}",
            draft.channel,
            created,
            True,
            draft.in_hours,
            topic=draft.topic,
            category=draft.category,
            pemda=draft.pemda,
            zone=draft.zone,
        )
        return
    key = f"{service_day(created):%Y%m%d}"
    batch.counters[key] = batch.counters.get(key, 0) + 1
    user = f"u{draft.user}" if draft.user is not None else f"{n:06d}"
    conversation = f"{PREFIX}{month.key}-{user}"
    start = created + _minutes(rng, 2, 40)
    if not draft.in_hours:
        start = hours.next_opening(created) + _minutes(rng, 5, 90)
    topic = Topic.RESERVASI.value if draft.topic == VIDEO_CONFERENCE else draft.topic
    events: list[tuple[str, datetime, str | None, str | None]]
    events = [("created", created, "bot", f"in_service_hours={draft.in_hours}")]
    events.append(("assigned", start, draft.agent, draft.agent))
    row: dict[str, Any] = dict(
        id=batch.next_id,
        number=format_number(service_day(created), batch.counters[key]),
        conversation_id=conversation,
        open_key=None,
        channel=draft.channel,
        user_name=rng.choice(texts.NAMES),
        instansi=draft.instansi,
        category=draft.category,
        pemda=draft.pemda,
        zone=draft.zone,
        topic=topic,
        summary=draft.summary or "",
        status="resolved",
        in_service_hours=draft.in_hours,
        assigned_agent=draft.agent,
        escalation_unit=None,
        context=draft.context,
        csat_service=None,
        csat_answer=None,
        created_at=created,
        assigned_at=start,
        escalated_at=None,
        resolved_at=None,
        closed_at=None,
    )
    done = start + _minutes(rng, 5, 120)
    if draft.escalated:
        unit = UNITS.get(draft.topic, "sekretariat")
        row.update(escalation_unit=unit, escalated_at=start + _minutes(rng, 10, 180))
        events.append(("escalated", row["escalated_at"], draft.agent, unit))
        done = row["escalated_at"] + timedelta(days=rng.randint(1, 4))
        if rng.random() < 0.3:
            row.update(status="escalated", open_key=conversation)
            done = row["escalated_at"]
    if row["status"] == "resolved" and draft.topic == "Spam":
        row.update(status="closed", closed_at=done)
        events.append(("closed", done, draft.agent, "spam"))
    elif row["status"] == "resolved":
        row["resolved_at"] = done
        events.append(("resolved", done, draft.agent, ""))
        if draft.rating:
            row.update(csat_service=draft.rating[0], csat_answer=draft.rating[1])
            done = done + _minutes(rng, 1, 10)
            events.append(
                ("csat", done, "user", f"service={draft.rating[0]} answer={draft.rating[1]}")
            )
    row["updated_at"] = done
    batch.tickets.append(row)
    batch.events += [
        dict(ticket_id=row["id"], at=at, kind=kind, actor=actor, detail=detail)
        for kind, at, actor, detail in events
    ]
    batch.next_id += 1
    if draft.channel in BOT_CHANNELS:
        batch.label(
            conversation,
            draft.channel,
            created,
            False,
            draft.in_hours,
            topic=topic,
            category=draft.category,
            pemda=draft.pemda,
            zone=draft.zone,
        )
