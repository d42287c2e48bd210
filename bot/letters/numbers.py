"""Letter and regulation numbers: find them in free text or OCR output and canonicalise them."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters OCR confuses with digits; mapped only where a digit must stand (never digit->digit).
_DIGITISH = "0-9OoQIlSsBZz"
_TO_DIGIT = str.maketrans("OoQIlSsBZz", "0001155822")
_D = f"[{_DIGITISH}]"
_PREFIXES = {"UND": "UND", "UNO": "UND", "UN0": "UND", "SE": "SE", "5E": "SE", "S": "S", "5": "S"}
_PREFIXES.update({name: name for name in ("ND", "PENG", "KEP", "PER")})
REGULATION_PREFIXES = frozenset({"PMK", "PERPRES"})

_B = r"(?<![A-Za-z0-9])"  # no letter or digit just before
_E = r"(?![0-9])"  # no digit just after
_SEP = r"(?:\s{0,3}[/|\\⁄]\s{0,3}|\s{1,3})"
_YEAR = rf"(?P<year>[12]{_D}{{3}})"
_PK_UNIT = r"(?P<unit>P\s?K)(?:\s{0,2}[.,\-]?\s{0,2}(?P<unitno>0?[1-9Il]))?"
_PATTERNS = (
    re.compile(
        rf"{_B}(?P<prefix>PENG|KEP|PER|UND|UN[O0]|5E|SE|ND|S|5)[\s\-–—.:]{{0,3}}"
        rf"(?P<seq>{_D}{{1,5}}){_SEP}{_PK_UNIT}{_SEP}{_YEAR}{_E}",
        re.IGNORECASE,
    ),
    re.compile(rf"{_B}(?P<seq>{_D}{{1,5}}){_SEP}{_PK_UNIT}{_SEP}{_YEAR}{_E}", re.IGNORECASE),
    re.compile(
        rf"{_B}(?P<seq>{_D}{{1,4}})\s{{0,3}}[/|\\]\s{{0,3}}(?P<reg>PMK)\s{{0,2}}[.,]?\s{{0,2}}"
        rf"(?P<unitno>{_D}{{1,3}})"
        rf"\s{{0,3}}[/|\\]\s{{0,3}}{_YEAR}{_E}",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?P<reg>PMK|Peraturan\s{1,3}Menteri\s{1,3}Keuangan|Perpres|Peraturan\s{1,3}Presiden)"
        r"\s{0,3}(?:(?:Nomor|No\.?)\s{0,3})?(?P<seq>\d{1,4})"
        r"(?:\s{0,3}/\s{0,3}|\s{1,3}Tahun\s{1,3})(?P<year>(?:19|20)\d\d)" + _E,
        re.IGNORECASE,
    ),
)


_LEAD = re.compile(
    r"\s*(?:(?:PMK|Peraturan\s+Menteri\s+Keuangan)\s*)?(?:(?:Nomor|No\.?)\s*)?", re.I
)


@dataclass(frozen=True, order=True)
class LetterNumber:
    """A letter or regulation number split into its parts (prefix may be None when unread)."""

    prefix: str | None
    seq: int
    unit: str | None
    year: int

    @property
    def canonical(self) -> str:
        """The one spelling used as registry key, e.g. 'UND-41/PK.3/2023', '211/PMK.07/2022'."""
        if self.unit is None:
            return f"{self.prefix} {self.seq}/{self.year}"
        if self.prefix is None or self.prefix == "PMK":
            return f"{self.seq}/{self.unit}/{self.year}"
        return f"{self.prefix}-{self.seq}/{self.unit}/{self.year}"

    @property
    def is_regulation(self) -> bool:
        """True for PMK and Perpres numbers (cited rules, not letters)."""
        return self.prefix in REGULATION_PREFIXES

    def __str__(self) -> str:
        return self.canonical


@dataclass(frozen=True)
class NumberMatch:
    """A number found in a text, with where it was and how it was written."""

    number: LetterNumber
    start: int
    end: int
    raw: str


def _number(raw: str | None, anchored: bool = True) -> int | None:
    """OCR-tolerant integer; None if a character is no digit look-alike, or (unanchored, i.e.
    with no prefix before it) if not one character was a real digit."""
    if raw is None or (not anchored and not any(ch.isdigit() for ch in raw)):
        return None
    digits = raw.translate(_TO_DIGIT)
    return int(digits) if digits.isdigit() else None


def _upper(text: str | None) -> str:
    """Upper case after case folding, one space between words: IGNORECASE lets the Kelvin sign
    match K and the long s match S (only folding turns them into the letters the tables know),
    and the patterns allow up to three spaces or a line break between words."""
    return " ".join((text or "").casefold().upper().split())


def _build(match: re.Match[str]) -> LetterNumber | None:
    groups = match.groupdict()
    seq = _number(groups["seq"], anchored=bool(groups.get("prefix")))
    year = _number(groups["year"])
    if not seq or year is None or not 1990 <= year <= 2099:
        return None
    reg = _upper(groups.get("reg"))
    unitno = _number(groups.get("unitno"))
    if groups.get("unitno") and not unitno:
        return None
    if reg == "PMK" and unitno:
        return LetterNumber(
            "PMK", seq, f"PMK.{unitno:02d}" if unitno < 10 else f"PMK.{unitno:03d}", year
        )
    if reg:
        kind = "PERPRES" if reg.startswith(("PERPRES", "PERATURAN PRESIDEN")) else "PMK"
        return LetterNumber(kind, seq, None, year)
    unit = f"PK.{unitno}" if unitno else "PK"
    prefix = groups.get("prefix")
    return LetterNumber(_PREFIXES[_upper(prefix)] if prefix else None, seq, unit, year)


def find_numbers(text: str) -> list[NumberMatch]:
    """Every distinct number in the text, in reading order (overlaps resolved by longest)."""
    found: list[NumberMatch] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            number = _build(match)
            if number is not None:
                found.append(NumberMatch(number, match.start(), match.end(), match.group(0)))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[NumberMatch] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            if item.end - item.start > kept[-1].end - kept[-1].start:
                kept[-1] = item
            continue
        kept.append(item)
    seen: set[str] = set()
    unique = []
    for item in kept:
        if item.number.canonical not in seen:
            seen.add(item.number.canonical)
            unique.append(item)
    return unique


def parse_number(text: str) -> LetterNumber | None:
    """The number when the whole string is exactly one number (surrounding spaces allowed)."""
    matches = find_numbers(text)
    if len(matches) != 1:
        return None
    match = matches[0]
    if not _LEAD.fullmatch(text[: match.start]) or text[match.end :].strip():
        return None
    return match.number


def canonical(text: str) -> str | None:
    """Canonical spelling of a single number, or None when the string is not one number."""
    number = parse_number(text)
    return number.canonical if number else None
