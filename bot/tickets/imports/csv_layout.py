"""The import-csv column layout: parse and validate a file into rows, errors as file:line."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from bot.csv_safe import restore
from bot.hours import Zone
from bot.tickets.taxonomy import FACE_TO_FACE, VIDEO, Category, Status

REQUIRED = ("external_id", "channel", "created_at", "topic")
OPTIONAL = (
    "summary",
    "user_id",
    "user_name",
    "instansi",
    "category",
    "pemda",
    "zone",
    "in_service_hours",
    "status",
    "assigned_agent",
    "escalation_unit",
    "escalated_at",
    "resolved_at",
    "csat_service",
    "csat_answer",
    "reservasi",
    "jadwal",
    "topik_reservasi",
    "keluhan",
)
CHANNELS = {
    "telepon": "telepon",
    "telephone": "telepon",
    "phone": "telepon",
    "dering djpk": "telepon",
    "email": "email",
    "e-mail": "email",
    "surel": "email",
    "hai": "hai",
    "hai kemenkeu": "hai",
    "hai_kemenkeu": "hai",
}
BOT_CHANNELS = ("whatsapp", "livechat", "live chat", "rest")
STATUSES = {
    "baru": "open",
    "ditangani": "assigned",
    "dieskalasi": "escalated",
    "selesai": "resolved",
    "ditutup": "closed",
    **{s.value: s.value for s in Status},
}
CATEGORIES = {c.value.lower(): c.value for c in Category} | {"k/l": Category.KL.value}
MEETINGS = {  # the CSV's spellings -> the ticket context's values
    "video_conference": VIDEO,
    "video conference": VIDEO,
    "vicon": VIDEO,
    "tatap_muka": FACE_TO_FACE,
    "tatap muka": FACE_TO_FACE,
}
TRUE, FALSE = {"ya", "y", "true", "1", "dalam"}, {"tidak", "t", "false", "0", "luar"}
_LOCAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?$")


@dataclass(frozen=True)
class ImportedTicket:
    """One valid CSV row, normalised to the ticket table's values."""

    external_id: str
    line: int
    channel: str
    created_at: datetime
    topic: str
    summary: str
    conversation_id: str
    user_name: str | None
    instansi: str | None
    category: str
    pemda: str | None
    zone: str | None
    in_service_hours: bool
    status: str
    assigned_agent: str | None
    escalation_unit: str | None
    escalated_at: datetime | None
    resolved_at: datetime | None
    csat_service: int | None
    csat_answer: int | None
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Hash of everything but the line number: unchanged rows are skipped on re-import."""
        data = {k: v for k, v in asdict(self).items() if k != "line"}
        text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RowError(ValueError):
    """A problem with one value of a row."""


def moment(text: str, name: str) -> datetime:
    """'2023-02-06 09:15' (WIB), '06/02/2023 09:15' (WIB) or ISO 8601 with an offset, to UTC."""
    value = text.strip()
    for pattern, order in ((_LOCAL, (0, 1, 2)), (_DMY, (2, 1, 0))):
        found = pattern.match(value)
        if found:
            parts = [int(p) if p else 0 for p in found.groups()]
            year, month, day = (parts[i] for i in order)
            hour, minute, second = parts[3:]  # both patterns have six groups
            try:
                local = datetime(year, month, day, hour, minute, second, tzinfo=Zone.WIB.tzinfo)
            except ValueError as error:
                raise RowError(f"{name}: tanggal tidak valid '{text}' ({error})") from None
            return local.astimezone(timezone.utc)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RowError(f"{name}: '{text}' bukan waktu (YYYY-MM-DD HH:MM, WIB)") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=Zone.WIB.tzinfo)
    return parsed.astimezone(timezone.utc)


def day(text: str, name: str) -> date:
    """'2023-02-06' or '06/02/2023'."""
    value = text.strip()
    found = _DMY.match(value)
    try:
        if found and found.group(4) is None:
            return date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(f"{name}: '{text}' bukan tanggal (YYYY-MM-DD)") from None


def score(text: str, name: str) -> int | None:
    """A CSAT score 1-5, or None when blank."""
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise RowError(f"{name}: nilai harus 1 sampai 5, bukan '{text}'")
    return int(text)


def choice(text: str, options: dict[str, str], name: str) -> str:
    """The canonical value of an allowed option (case-insensitive)."""
    key = text.strip().lower()
    if key not in options:
        allowed = ", ".join(sorted(set(options.values())))
        raise RowError(f"{name}: '{text}' tidak dikenal (pilihan: {allowed})")
    return options[key]


def open_reader(path: Path) -> tuple[str, str]:
    """The file's text (BOM removed) and its delimiter (comma, or semicolon as Excel saves)."""
    text = path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return text, delimiter


def read(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(line, row) pairs with lower-case keys and stripped values, or header errors.

    A value a spreadsheet-safe writer quoted (`'=...`, see csv_safe) is read back without the quote.
    """
    text, delimiter = open_reader(path)
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        return [], [f"{path}:1: berkas kosong (baris judul kolom wajib ada)"]
    errors = [f"{path}:1: kolom wajib '{n}' tidak ada" for n in REQUIRED if n not in header]
    errors += [
        f"{path}:1: kolom '{n}' tidak dikenal (lihat bot/report/README.md)"
        for n in header
        if n not in REQUIRED and n not in OPTIONAL
    ]
    rows, line = [], 1
    for values in reader:
        start, line = line + 1, reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(f"{path}:{start}: {len(values)} kolom, judul punya {len(header)}")
            continue
        cells = zip(header, values, strict=True)
        rows.append((start, {k: restore(v.strip()).strip() for k, v in cells}))
    return rows, errors
