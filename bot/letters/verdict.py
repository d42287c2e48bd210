"""The outcome of a verification: verdict kind, the number judged, reasons and evidence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.letters.flags import Flag
from bot.letters.records import Hoax, Letter

EVIDENCE_LIMIT = 4000


class VerdictKind(Enum):
    """Verdicts of the `bot.letters verify` contract (DESIGN.md section 3)."""

    GENUINE = "genuine"
    NOT_FOUND = "not_found"
    NEAR_MATCH = "near_match"
    REVOKED = "revoked"
    MISMATCH = "mismatch"
    KNOWN_HOAX = "known_hoax"

    @property
    def severity(self) -> int:
        """How bad the verdict is; with several numbers the worst one is reported."""
        return list(VerdictKind).index(self)


class Source(Enum):
    """Where the judged text came from."""

    TEXT = "text"
    PDF_HASH = "pdf_hash"
    PDF_TEXT = "pdf_text"
    OCR = "ocr"


@dataclass(frozen=True)
class Verdict:
    """A verification result; `reasons` are short Indonesian sentences, worst first."""

    verdict: VerdictKind
    number: str | None
    reasons: tuple[str, ...]
    letter: Letter | None = None
    hoax: Hoax | None = None
    flags: tuple[Flag, ...] = ()
    differences: tuple[str, ...] = ()
    source: Source = Source.TEXT
    readable: bool = True
    numbers: tuple[str, ...] = ()
    file_sha256: str | None = None
    evidence: str = ""

    @property
    def offer_report(self) -> bool:
        """Every verdict but genuine offers the "Laporkan surat palsu" button."""
        return self.verdict is not VerdictKind.GENUINE

    @property
    def is_genuine(self) -> bool:
        """True only for a registered, valid letter with nothing contradicting it."""
        return self.verdict is VerdictKind.GENUINE

    def to_json(self) -> dict[str, Any]:
        """The CLI contract: {"verdict", "number", "reasons", ...} plus details for the action."""
        return {
            "verdict": self.verdict.value,
            "number": self.number,
            "reasons": list(self.reasons),
            "flags": [flag.to_json() for flag in self.flags],
            "letter": self.letter.to_json() if self.letter else None,
            "hoax": self.hoax.to_json() if self.hoax else None,
            "differences": list(self.differences),
            "source": self.source.value,
            "readable": self.readable,
            "numbers": list(self.numbers),
            "file_sha256": self.file_sha256,
            "offer_report": self.offer_report,
        }
