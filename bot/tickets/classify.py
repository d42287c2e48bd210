"""Keyword rules that put a user's own words into the topic taxonomy and a user category."""

from __future__ import annotations

import re

from bot.tickets.taxonomy import Category, Topic

# First rule whose pattern occurs wins, so the specific ones come first ("dak non fisik" before
# "dak fisik" before "dak"; a booking is Reservasi whatever it is about). Patterns are matched
# on lower-cased text with word boundaries.
_TOPIC_RULES: tuple[tuple[Topic, str], ...] = (
    (Topic.SPAM, r"unsubscribe|stop wa blast|judi|slot gacor|pinjol"),
    (Topic.PENGADUAN, r"pengaduan|aduan|mengadu|penipuan|palsu|hoaks?|pungutan liar|pungli"),
    (Topic.NON_DJPK, r"efin|npwp|spt|pajak penghasilan|pph|coretax|bpjs|cpns|bansos|kip kuliah"),
    (Topic.PERMINTAAN_DATA, r"permintaan data|minta data|meminta data|data .* penelitian|ppid"),
    (
        Topic.RESERVASI,
        r"reservasi|video ?conference|vicon|zoom|ms teams|tatap muka|audiensi|janji temu",
    ),
    (Topic.DAK_NON_FISIK, r"dak non ?fisik|bok|bop|tpg|tunjangan profesi guru|dana bos"),
    (Topic.DAK_FISIK, r"dak fisik|dak|dana alokasi khusus|krisna|omspan dak"),
    (Topic.DANA_DESA, r"dana desa|dd tahap|blt desa|siskeudes|add"),
    (Topic.DAU, r"dau|dana alokasi umum|earmark(?:ed)?|kelurahan"),
    (Topic.DBH, r"dbh|dana bagi hasil|bagi hasil|tdf|treasury deposit|cht|dbh ?cht|reboisasi"),
    (Topic.PDRD, r"pdrd|pajak daerah|retribusi|raperda|perda pajak|opsen|pbb ?p2|bphtb"),
    (Topic.SHSR, r"shsr|standar harga|satuan regional|uang harian|perjalanan dinas|perpres 33"),
    (Topic.JF_AKPD, r"jf ?akpd|akpd|analis keuangan pusat|jabatan fungsional"),
    (Topic.PEMBIAYAAN, r"pembiayaan|pinjaman daerah|obligasi daerah|sukuk daerah|utang daerah"),
    (Topic.APBD, r"apbd|sipd|sikd|lkpd|realisasi anggaran|portal data"),
    (Topic.SURAT_MASUK, r"surat masuk|kirim surat|mengirim surat|nomor surat|surat kami|disposisi"),
)
_VIDEO = re.compile(r"\b(?:video ?conference|vicon|zoom|ms teams)\b")

_AKADEMISI = (
    r"mahasiswa|mahasiswi|siswa|pelajar|sekolah|universitas|univ|kampus|dosen|skripsi|tesis"
)
_AKADEMISI += r"|politeknik|institut|stan|pkn stan|ui|ugm|itb|ipb|unpad|unair|undip|uns|ub"
_KL = r"kementerian|kemen\w+|lembaga|bpk|bpkp|bps|lkpp|bappenas|djpb|djp|kppn|kanwil|ojk|kpk"
_KL += r"|ombudsman|bank indonesia|dpr ri|dpd ri|setneg|setkab|tni|polri|kejaksaan"
_LAINNYA = r"pendamping desa|pendamping|wartawan|media|jurnalis|masyarakat|warga|swasta|pt|cv"
_PEMDA = r"pemda|pemkab|pemkot|pemprov|pemerintah (?:kabupaten|kota|provinsi|daerah|desa)|bpkad"
_PEMDA += r"|bkad|bpkd|bappeda|bapenda|dinas|dprd|setda|sekda|inspektorat|desa|kecamatan|kelurahan"
_PEMDA += r"|pemdes|kades|sekdes|perangkat (?:daerah|desa)|opd|kabupaten|kab|kota|provinsi|prov"


def _has(pattern: str, text: str) -> bool:
    return re.search(rf"\b(?:{pattern})\b", text) is not None


def classify_topic(text: str | None) -> Topic:
    """The taxonomy topic that the user's own words point to, Lainnya when none does."""
    lowered = (text or "").lower()
    return next((topic for topic, pattern in _TOPIC_RULES if _has(pattern, lowered)), Topic.LAINNYA)


def is_video_conference(text: str | None) -> bool:
    """Whether the text asks for a video conference (counted apart in the monthly report)."""
    return _VIDEO.search((text or "").lower()) is not None


def classify_category(instansi: str | None, pemda_matched: bool = False) -> Category:
    """User category from the instansi the user gave; a matched pemda name counts as Pemda."""
    lowered = (instansi or "").lower()
    if _has(_AKADEMISI, lowered):
        return Category.AKADEMISI
    if _has(_KL, lowered):
        return Category.KL
    if _has(_LAINNYA, lowered):
        return Category.LAINNYA
    if pemda_matched or _has(_PEMDA, lowered):
        return Category.PEMDA
    return Category.LAINNYA
