"""Red flags in the text of a letter or message, each explained in Indonesian."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.contacts import Contacts, phone_digits


class FlagKind(Enum):
    """Kinds of red flag, in the order they are reported."""

    FEE = "fee"
    BANK_ACCOUNT = "bank_account"
    REWARD = "reward"
    PROMISE = "promise"
    PAID_HOTEL = "paid_hotel"
    PERSONAL_PHONE = "personal_phone"
    PERSONAL_EMAIL = "personal_email"
    UNOFFICIAL_QR = "unofficial_qr"


@dataclass(frozen=True)
class Flag:
    """One red flag: what it is, why it matters, and the words that raised it."""

    kind: FlagKind
    explanation: str
    evidence: str

    def to_json(self) -> dict[str, str]:
        """Plain JSON-ready form."""
        return {"kind": self.kind.value, "explanation": self.explanation, "evidence": self.evidence}


_I = re.IGNORECASE
_AMOUNT = r"(?:rp\.?\s*\d|\d+(?:[.,]\d+)?\s*(?:juta|jt|ribu|rb)\b|\d{1,3}(?:\.\d{3}){1,3}\b)"
_BANKS = r"(?:bri|bni|bca|bsi|btn|bjb|cimb|danamon|permata|ovo|gopay|bank\s+mandiri)"
_PATTERNS: dict[FlagKind, tuple[re.Pattern[str], ...]] = {
    FlagKind.FEE: (
        re.compile(
            r"\b(?:biaya|kontribusi|registrasi|pendaftaran|investasi|iuran|uang\s+(?:pendaftaran|"
            r"kontribusi|partisipasi|registrasi|pengganti))\b"
            rf"[^.\n]{{0,60}}?{_AMOUNT}",
            _I,
        ),
        re.compile(
            r"\b(?:biaya|dana)\s+(?:kontribusi|pendaftaran|registrasi|keikutsertaan|partisipasi|"
            r"pelatihan|bimtek|peserta|investasi)\b",
            _I,
        ),
        re.compile(
            r"\b(?:bayar|membayar|dibayarkan|pembayaran|melunasi|pelunasan)\b[^.\n]{0,40}?"
            r"\b(?:kontribusi|biaya|pendaftaran|registrasi|peserta|panitia|rekening|rp|juta)\b",
            _I,
        ),
        re.compile(r"\bkontribusi\s+(?:peserta|sebesar|kegiatan|per\s+orang|@)", _I),
        re.compile(r"\b(?:berbayar|dipungut\s+biaya|dikenakan\s+biaya)\b", _I),
    ),
    FlagKind.BANK_ACCOUNT: (
        re.compile(
            r"\b(?:transfer|ditransfer|mentransfer|tf|setor|disetor\w*|menyetor\w*|penyetoran)\b"
            rf"[^.\n]{{0,40}}?\b(?:rekening|rek|{_BANKS}|bank|virtual\s+account)\b",
            _I,
        ),
        re.compile(
            r"\brek(?:ening)?\b\.?[^.\n]{0,40}?(?:\d[\d\s.-]{6,}|\ba\.?\s?n\.?\s|atas\s+nama|"
            rf"panitia|pribadi|\bbank\b|\b{_BANKS}\b)",
            _I,
        ),
        re.compile(rf"\b(?:bank\s+)?{_BANKS}\b[^.\n]{{0,20}}?\d{{6,}}", _I),
    ),
    FlagKind.REWARD: (
        re.compile(
            r"\b(?:fee|cashback|komisi|imbalan|uang\s+jasa|uang\s+pelicin|success\s+fee)\b", _I
        ),
    ),
    FlagKind.PROMISE: (
        re.compile(
            r"\b(?:tambahan|penambahan|menambah|kenaikan|menaikkan)\s+(?:alokasi|pagu|"
            r"dana\s+(?:transfer|dak|dau|dbh|desa|insentif))",
            _I,
        ),
        re.compile(
            r"\b(?:percepatan|mempercepat|dipercepat|lebih\s+cepat)\s+(?:proses\s+)?"
            r"(?:pencairan|penyaluran|transfer)",
            _I,
        ),
        re.compile(r"\b(?:dokumen\s+pencairan|dijamin\s+(?:cair|lolos|disetujui))\b", _I),
    ),
}
_HOTEL = re.compile(
    r"\b(?:hotel|resort|resor|ballroom|convention\s+(?:center|hall))\b[^.,\n]{0,40}", _I
)
_PHONE = re.compile(r"(?<![\d])(?:\+?62|0)[\s-]?8\d{1,3}(?:[\s.-]?\d{1,5}){1,4}(?![-.]?\d|/)")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8})")
_NEGATION = re.compile(r"\b(?:tidak|tdk|tanpa|bebas|bukan|jangan|gratis|tak|nol)\b", _I)
# A clause ends at a full stop, not at the dots of "Rp 5.000.000".
_BOUNDARY = re.compile(
    r"[;!?\n]|(?<!\d)\.|\.(?!\d)|\b(?:namun|tetapi|tapi|akan\s+tetapi|kecuali)\b", _I
)
_EXEMPT = re.compile(r"kas\s+umum|rkud|rkun|dibebankan|ditanggung\s+(?:oleh\s+)?(?:djpk|dipa)", _I)


def _negated(text: str, start: int, end: int) -> bool:
    """True when the words just before (same clause) negate the match, or it is an exempt use."""
    before = text[max(0, start - 40) : start]
    clause = _BOUNDARY.split(before)[-1]
    stop = _BOUNDARY.search(text, end, end + 60)  # sees the digit before a dot at `end`
    after = text[end : stop.start() if stop else end + 60]
    return bool(_NEGATION.search(clause)) or bool(_EXEMPT.search(text[start:end] + after))


def _first(kind: FlagKind, text: str) -> str | None:
    for pattern in _PATTERNS[kind]:
        for match in pattern.finditer(text):
            if not _negated(text, match.start(), match.end()):
                return match.group(0).strip()
    return None


def _explain(kind: FlagKind, contacts: Contacts, evidence: str) -> str:
    texts = {
        FlagKind.FEE: "meminta biaya, kontribusi, atau pendaftaran berbayar, padahal seluruh "
        "layanan dan kegiatan DJPK tidak dipungut biaya (S-38/PK/2024)",
        FlagKind.BANK_ACCOUNT: "meminta transfer ke rekening bank; DJPK tidak pernah meminta "
        "pembayaran ke rekening panitia atau perorangan",
        FlagKind.REWARD: "meminta imbalan, fee, atau komisi atas nama DJPK",
        FlagKind.PROMISE: "menjanjikan tambahan alokasi atau percepatan pencairan/penyaluran "
        "dana; DJPK tidak pernah menjanjikan hal tersebut",
        FlagKind.PAID_HOTEL: "kegiatan di hotel dengan biaya dari peserta; kegiatan DJPK "
        "tidak memungut biaya",
        FlagKind.PERSONAL_PHONE: f"mencantumkan nomor {evidence} yang bukan nomor resmi DJPK "
        f"(WhatsApp {contacts.whatsapp}, Dering {contacts.dering})",
        FlagKind.PERSONAL_EMAIL: f"mencantumkan e-mail {evidence} di luar domain resmi "
        f"{', '.join(contacts.official_domains)}",
        FlagKind.UNOFFICIAL_QR: f"kode QR mengarah ke {evidence}, bukan domain resmi "
        f"{', '.join(contacts.official_domains)}",
    }
    text = texts[kind]
    return text[0].upper() + text[1:] + "."


def make_flag(kind: FlagKind, contacts: Contacts, evidence: str) -> Flag:
    """A flag of the given kind with its Indonesian explanation."""
    return Flag(kind, _explain(kind, contacts, evidence), evidence)


def find_flags(text: str, contacts: Contacts) -> tuple[Flag, ...]:
    """Red flags in the text, at most one per kind, in FlagKind order."""
    found: dict[FlagKind, str] = {}
    for kind in _PATTERNS:
        evidence = _first(kind, text)
        if evidence:
            found[kind] = evidence
    hotel = _HOTEL.search(text)
    if hotel and (FlagKind.FEE in found or FlagKind.BANK_ACCOUNT in found):
        found[FlagKind.PAID_HOTEL] = hotel.group(0).strip()
    for match in _PHONE.finditer(text):
        if (
            not contacts.is_official_phone(match.group(0))
            and 10 <= len(phone_digits(match.group(0))) <= 13
        ):
            found[FlagKind.PERSONAL_PHONE] = match.group(0).strip()
            break
    for match in _EMAIL.finditer(text):
        if not contacts.is_official_domain(match.group(1)):
            found[FlagKind.PERSONAL_EMAIL] = match.group(0)
            break
    return tuple(make_flag(kind, contacts, found[kind]) for kind in FlagKind if kind in found)
