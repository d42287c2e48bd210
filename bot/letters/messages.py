"""Short, polite Indonesian replies for a verdict, sized for a phone screen."""

from __future__ import annotations

from bot.contacts import Contacts, contacts_text
from bot.letters.records import Letter, tanggal
from bot.letters.verdict import Verdict, VerdictKind

REPORT_BUTTON = "Laporkan surat palsu"
_NO_PAYMENT = (
    "Seluruh layanan dan kegiatan DJPK tidak dipungut biaya. Mohon jangan melakukan pembayaran "
    "atau transfer apa pun."
)


def _letter_lines(letter: Letter) -> list[str]:
    lines = [
        f"Nomor: {letter.number.canonical}",
        f"Tanggal: {tanggal(letter.date)}",
        f"Perihal: {letter.subject}",
        f"Unit: {letter.unit_label}",
    ]
    if letter.event is not None:
        lines.append(f"Kegiatan: {letter.event.describe()}")
    if letter.example:
        lines.insert(0, "[CONTOH DEMO - bukan surat resmi]")
    return lines


def _flag_lines(verdict: Verdict) -> list[str]:
    return [f"• {flag.explanation}" for flag in verdict.flags]


def _genuine(verdict: Verdict) -> list[str]:
    letter = verdict.letter
    assert letter is not None
    if letter.number.is_regulation:
        return ["Peraturan tersebut tercatat dalam registri DJPK.", ""] + _letter_lines(letter)
    first = "Surat dengan nomor tersebut terdaftar sebagai surat resmi DJPK."
    if letter.example:
        first = "Nomor tersebut terdaftar sebagai SURAT CONTOH untuk demo, bukan surat resmi."
    lines = [first, ""] + _letter_lines(letter)
    if verdict.source.value == "pdf_hash":
        lines += ["", "Berkas PDF yang Bapak/Ibu kirim identik dengan arsip resmi."]
    else:
        lines += ["", "Mohon cocokkan rincian di atas dengan surat yang Bapak/Ibu terima."]
    lines.append("Kegiatan DJPK tidak dipungut biaya.")
    return lines


def _mismatch(verdict: Verdict) -> list[str]:
    assert verdict.letter is not None
    lines = [
        f"Nomor {verdict.number} memang terdaftar, tetapi isi surat/pesan yang Bapak/Ibu terima "
        "TIDAK sesuai dengan surat resmi tersebut.",
        "",
        "Yang kami temukan:",
    ]
    skip = verdict.reasons[0]
    lines += [
        f"• {reason.removeprefix('Tanda bahaya: ')}" for reason in verdict.reasons if reason != skip
    ]
    lines += ["", "Surat resmi yang terdaftar:"] + _letter_lines(verdict.letter)
    return lines + ["", _NO_PAYMENT]


def _hoax(verdict: Verdict) -> list[str]:
    assert verdict.hoax is not None
    lines = [f"PERINGATAN: surat ini cocok dengan hoaks yang dikenal: {verdict.hoax.title}."]
    lines += [verdict.hoax.description]
    if verdict.flags:
        lines += ["", "Tanda bahaya:"] + _flag_lines(verdict)
    return lines + ["", _NO_PAYMENT]


def _revoked(verdict: Verdict) -> list[str]:
    assert verdict.letter is not None
    lines = [f"Nomor {verdict.number} terdaftar, tetapi surat tersebut telah DICABUT/dibatalkan "]
    lines[0] += "sehingga tidak berlaku lagi."
    lines += [""] + _letter_lines(verdict.letter)
    if verdict.flags:
        lines += ["", "Tanda bahaya:"] + _flag_lines(verdict)
    return lines


def _near(verdict: Verdict) -> list[str]:
    assert verdict.letter is not None
    lines = [
        f"Nomor {verdict.number} TIDAK terdaftar dalam registri surat resmi DJPK.",
        "",
        "Surat terdaftar yang nomornya paling mirip:",
    ]
    lines += _letter_lines(verdict.letter)
    lines += ["", f"Perbedaan: {'; '.join(verdict.differences)}."]
    lines.append("Nomor yang mirip dapat menandakan surat palsu yang menyalin nomor resmi.")
    if verdict.flags:
        lines += ["", "Tanda bahaya:"] + _flag_lines(verdict)
    return lines


def _not_found(verdict: Verdict) -> list[str]:
    if not verdict.readable:
        return ["Mohon maaf, berkas/foto tidak dapat kami baca."] + list(verdict.reasons[1:])
    if verdict.number:
        lines = [f"Nomor {verdict.number} tidak ditemukan dalam registri surat resmi DJPK."]
    else:
        lines = [
            "Kami tidak menemukan nomor surat DJPK dalam pesan/berkas ini. Mohon kirimkan nomor "
            "suratnya (mis. UND-41/PK.3/2023), berkas PDF, atau foto suratnya."
        ]
    lines.append(
        "Hal ini belum tentu berarti surat palsu (registri mungkin belum memuat surat terbaru); "
        "mohon konfirmasi melalui kanal resmi di bawah ini."
    )
    if verdict.flags:
        lines += (
            ["", "Namun kami menemukan tanda bahaya:"] + _flag_lines(verdict) + ["", _NO_PAYMENT]
        )
    return lines


_RENDERERS = {
    VerdictKind.GENUINE: _genuine,
    VerdictKind.MISMATCH: _mismatch,
    VerdictKind.KNOWN_HOAX: _hoax,
    VerdictKind.REVOKED: _revoked,
    VerdictKind.NEAR_MATCH: _near,
    VerdictKind.NOT_FOUND: _not_found,
}


def render(verdict: Verdict, contacts: Contacts) -> str:
    """The reply for a verdict; every non-genuine reply ends with the official contacts."""
    lines = _RENDERERS[verdict.verdict](verdict)
    if verdict.offer_report:
        lines += ["", contacts_text(contacts)]
    return "\n".join(lines)


def should_offer_report(verdict: Verdict) -> bool:
    """Whether the action adds the "Laporkan surat palsu" button (every non-genuine verdict)."""
    return verdict.offer_report


def report_thanks(count: int, number: str | None) -> str:
    """Acknowledgement after a report, counting earlier reports of the same number."""
    text = "Terima kasih, laporan Bapak/Ibu telah kami catat dan akan ditindaklanjuti petugas DJPK."
    if number and count > 1:
        text += f" Ini laporan ke-{count} untuk nomor {number}."
    return text
