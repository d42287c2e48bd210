"""Every figure of one month's report, gathered from the database, and its JSON form."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from bot.report.figures.assistant import AssistantFigures, assistant
from bot.report.figures.knowledge import KnowledgeFigures, knowledge
from bot.report.figures.listings import (
    Complaint,
    Meeting,
    complaints,
    main_subject,
    meetings,
    policy_complaints,
)
from bot.report.figures.replies import ReplyFigures, replies
from bot.report.figures.satisfaction import Satisfaction, satisfaction
from bot.report.figures.topics import Topics, topics
from bot.report.figures.users import CategoryCount, PemdaContacts, categories, top_pemda
from bot.report.figures.volume import Volume, volume
from bot.report.figures.zones import ServiceHoursFigures, service_hours
from bot.report.formatting import percent
from bot.report.period import Month
from bot.report.vocabulary import FACE_TO_FACE, VIDEO


@dataclass(frozen=True)
class Summary:
    """The whole report as data; the HTML, Markdown, JSON and CSV are views of it."""

    month: str
    month_label: str
    generated_at: str
    volume: Volume
    topics: Topics
    users: tuple[CategoryCount, ...]
    top_pemda: tuple[PemdaContacts, ...]
    hours: ServiceHoursFigures
    complaints: tuple[Complaint, ...]
    complaint_tickets: int
    policy_complaints: tuple[Complaint, ...]
    video_conferences: tuple[Meeting, ...]
    video_conference_subject: str | None
    face_to_face: tuple[Meeting, ...]
    face_to_face_subject: str | None
    satisfaction: Satisfaction
    assistant: AssistantFigures
    replies: ReplyFigures  # agent replies and the suggested answers they reused
    knowledge: KnowledgeFigures  # the knowledge loop per unit (bot/kb/loop)

    @property
    def period(self) -> Month:
        """The report month."""
        return Month.parse(self.month)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: Decimals as numbers, with a formatted '<name>_text' next to each share."""
        plain: dict[str, Any] = _plain(self)
        return plain


def build(engine: Engine, month: Month, kb_dir: Path, now: datetime | None = None) -> Summary:
    """Query every figure of the month (one connection, read only)."""
    with engine.connect() as connection:
        counts = volume(connection, month)
        held = meetings(connection, month)
        videos = tuple(m for m in held if m.kind == VIDEO)
        visits = tuple(m for m in held if m.kind == FACE_TO_FACE)
        listed = complaints(connection, month)
        return Summary(
            month.key,
            month.label,
            (now or datetime.now().astimezone()).isoformat(timespec="seconds"),
            counts,
            topics(connection, month, counts.total),
            categories(connection, month, counts.total),
            top_pemda(connection, month),
            service_hours(connection, month),
            listed,
            sum(item.tickets for item in listed),
            policy_complaints(connection, month),
            videos,
            main_subject(videos),
            visits,
            main_subject(visits),
            satisfaction(connection, month),
            assistant(connection, month, kb_dir),
            replies(connection, month),
            knowledge(connection, month, kb_dir),
        )


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        result: dict[str, Any] = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            result[field.name] = _plain(item)
            if _is_share(field.name):
                result[f"{field.name}_text"] = percent(item)
        return result
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _is_share(name: str) -> bool:
    return name.endswith(("share", "change", "share_of_total"))
