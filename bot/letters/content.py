"""Content checks: does a text contradict the registered letter (dates, mode, perihal)?"""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz import fuzz

from bot.letters.records import MONTHS, Letter, tanggal

_MONTH_NUMBERS = {name.lower()[:3]: i for i, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBERS.update({"agt": 8, "ags": 8, "okt": 10, "des": 12, "mei": 5})
_TEXT_DATE = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+((?:19|20)\d\d)\b")
_NUM_DATE = re.compile(r"\b(\d{1,2})[/-](\d{1,2})[/-]((?:19|20)\d\d)\b")
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})\b")
_OFFLINE = re.compile(r"\b(?:offline|luring|tatap\s+muka|hotel|resort|ballroom)\b", re.I)
_PERIHAL = re.compile(r"\b(?:perihal|hal)\s*:\s*([^\n]{6,160})|\bperihal\s+([^\n]{6,160})", re.I)
_FILLER = re.compile(
    r"\b(?:undangan|surat|edaran|perihal|hal|tahun|ta|anggaran|kegiatan|pelaksanaan|dalam|rangka|"
    r"dan|di|ke|tentang|yang|untuk|atas|nomor|no)\b|\d+",
    re.I,
)
SUBJECT_THRESHOLD = 50


def _core(words: str) -> str:
    return " ".join(_FILLER.sub(" ", words.lower()).split())


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[date]:
    """Calendar dates written in the text (Indonesian month names, dd/mm/yyyy, yyyy-mm-dd)."""
    found = []
    for day, month, year in _TEXT_DATE.findall(text):
        number = _MONTH_NUMBERS.get(month.lower()[:3])
        if number:
            found.append(_safe_date(int(year), number, int(day)))
    for day, month, year in _NUM_DATE.findall(text):
        found.append(_safe_date(int(year), int(month), int(day)))
    for year, month, day in _ISO_DATE.findall(text):
        found.append(_safe_date(int(year), int(month), int(day)))
    return [d for d in found if d is not None]


def _subject_in(text: str) -> str | None:
    match = _PERIHAL.search(text)
    if not match:
        return None
    return (match.group(1) or match.group(2)).strip(" .,:;")


def contradictions(text: str, letter: Letter) -> list[str]:
    """Indonesian reasons why the text does not fit the registered letter (empty: it fits)."""
    reasons = []
    event = letter.event
    if event is not None and event.mode == "daring":
        offline = _OFFLINE.search(text)
        if offline:
            reasons.append(
                f"Teks menyebut kegiatan luring/tatap muka ('{offline.group(0)}'), "
                "sedangkan surat terdaftar adalah kegiatan daring."
            )
    if event is not None and event.date is not None:
        dates = find_dates(text)
        known = {event.date, letter.date}
        if dates and not known.intersection(dates):
            shown = ", ".join(tanggal(d) for d in dates[:3])
            reasons.append(
                f"Tanggal dalam teks ({shown}) tidak sama dengan tanggal surat atau kegiatan "
                f"terdaftar ({tanggal(event.date)})."
            )
    subject = _subject_in(text) or ""
    core = _core(subject)
    if core and fuzz.token_set_ratio(core, _core(letter.subject)) < SUBJECT_THRESHOLD:
        reasons.append(
            f"Perihal dalam teks ('{subject[:80]}') berbeda dengan perihal terdaftar "
            f"('{letter.subject}')."
        )
    return reasons
