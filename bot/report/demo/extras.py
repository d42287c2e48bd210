"""Demo rows beyond contacts: FAQ misses, letter checks and reports."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from bot.hours import ServiceHours
from bot.report.demo import profile, texts
from bot.report.demo.rows import moment
from bot.report.demo.targets import apportion
from bot.report.period import Month

TOPIC_WEIGHTS = {
    "DAU": 30,
    "DBH": 22,
    "DAK Fisik": 10,
    "DAK Non Fisik": 8,
    "Dana Desa": 10,
    "PDRD": 6,
    "JF AKPD": 4,
    "SHSR": 3,
    "Pembiayaan": 2,
    "APBD": 3,
    "Lainnya": 2,
}
SOURCES = ("text", "text", "text", "pdf_text", "ocr")


def faq_owners(kb_dir: Path) -> dict[str, str]:
    """One FAQ entry id per unit (the closest entry of a miss), when the KB loads."""
    from bot.kb.loader import load_dir
    from bot.kb.yamlfile import KbError

    try:
        entries = load_dir(kb_dir)
    except KbError:
        return {}
    owners: dict[str, str] = {}
    for entry in entries:
        owners.setdefault(entry.unit, entry.id)
    return owners


def misses(labels: list[dict], owners: dict[str, str], rng: random.Random) -> list[dict]:
    """Unanswered questions in a share of the labelled conversations."""
    units = list(texts.UNANSWERED)
    rows = []
    for label in rng.sample(labels, round(len(labels) * profile.MISS_SHARE)):
        for _ in range(rng.choice((1, 1, 1, 2))):
            unit = rng.choices(units, [len(units) - i for i in range(len(units))])[0]
            options = texts.UNANSWERED[unit]
            text = rng.choices(options, [2 ** (len(options) - i) for i in range(len(options))])[0]
            if rng.random() < 0.2:
                text = f" {text.capitalize()} "
            rows.append(
                dict(
                    conversation_id=label["conversation_id"],
                    channel=label["channel"],
                    created_at=label["created_at"] + timedelta(minutes=rng.randint(1, 5)),
                    text=text,
                    best_id=owners.get(unit),
                    best_unit=unit,
                    best_score=round(rng.uniform(0.15, 0.45), 3),
                )
            )
    return rows


def letters(
    month: Month,
    scale: float,
    seed_month: bool,
    labels: list[dict],
    hours: ServiceHours,
    rng: random.Random,
) -> tuple[list[dict], list[dict]]:
    """Verifications per verdict and reports of fake numbers for the month."""
    total = round(sum(profile.VERIFICATIONS.values()) * scale)
    verifications = []
    for verdict, count in apportion(total, profile.VERIFICATIONS).items():
        for _ in range(count):
            label = rng.choice(labels)
            number = {
                "genuine": rng.choice(texts.GENUINE_NUMBERS),
                "known_hoax": rng.choice(("UND-107/PK/2019", "UND-12/PK/2023", None)),
                "revoked": "S-38/PK/2024",
            }.get(verdict, rng.choice(texts.FAKE_NUMBERS))
            verifications.append(
                dict(
                    created_at=label["created_at"] + timedelta(minutes=2),
                    conversation_id=label["conversation_id"],
                    channel=label["channel"],
                    verdict=verdict,
                    number=number,
                    source=rng.choice(SOURCES),
                )
            )
    kinds = {str(i): count for i, (_, _, count) in enumerate(profile.FAKE_REPORTS)}
    wanted = round(sum(kinds.values()) * scale * (1.0 if seed_month else 0.4))
    counts = apportion(wanted, kinds)
    reports = []
    for key, count in counts.items():
        number, verdict, _ = profile.FAKE_REPORTS[int(key)]
        for _ in range(count):
            label = rng.choice(labels)
            reports.append(
                dict(
                    created_at=moment(month, True, hours, rng),
                    conversation_id=label["conversation_id"],
                    channel=label["channel"],
                    number=number,
                    verdict=verdict,
                    file_sha256=None,
                    ticket_id=None,
                    evidence_text=f"Laporan surat mencurigakan {number or 'tanpa nomor'}",
                    pemda=label["pemda"],
                )
            )
    return verifications, reports
