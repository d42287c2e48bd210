"""Verify a text, a PDF or a photo against the registry: never call a fake genuine."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from bot.contacts import Contacts, load_contacts
from bot.letters.content import contradictions
from bot.letters.documents import DocumentKind, Reading, read_document, sha256_of
from bot.letters.flags import Flag, FlagKind, find_flags, make_flag
from bot.letters.limits import UploadLimits
from bot.letters.numbers import LetterNumber, find_numbers
from bot.letters.records import Hoax, Letter, LetterStatus
from bot.letters.registry import Registry, RegistrySource
from bot.letters.verdict import EVIDENCE_LIMIT, Source, Verdict, VerdictKind
from bot.settings import Settings

_CONFIRM = "Ini belum tentu berarti surat palsu; mohon konfirmasi melalui kanal resmi DJPK."


def _flag_reasons(flags: tuple[Flag, ...]) -> list[str]:
    return [f"Tanda bahaya: {flag.explanation}" for flag in flags]


class Verifier:
    """Judges texts and files; stateless apart from the (reloadable) registry and contacts."""

    def __init__(self, registry: Registry | RegistrySource, contacts: Contacts) -> None:
        self._registry = registry
        self.contacts = contacts

    @classmethod
    def from_kb(cls, kb_dir: Path | str, include_examples: bool = False) -> Verifier:
        """A verifier over kb_dir/letters (reloaded on change) and kb_dir/contacts.yml."""
        return cls(RegistrySource(kb_dir, include_examples), load_contacts(kb_dir))

    @classmethod
    def from_settings(cls, settings: Settings, include_examples: bool | None = None) -> Verifier:
        """A verifier for Settings.kb_dir; demo letters if asked (or settings.letter_examples)."""
        if include_examples is None:
            include_examples = bool(getattr(settings, "letter_examples", False))
        return cls.from_kb(settings.kb_dir, include_examples)

    @property
    def registry(self) -> Registry:
        """The current registry (reloaded when its files changed)."""
        if isinstance(self._registry, RegistrySource):
            return self._registry.get()
        return self._registry

    def verify_text(
        self, text: str, source: Source = Source.TEXT, extra_flags: tuple[Flag, ...] = ()
    ) -> Verdict:
        """Judge the numbers and red flags in a message, PDF text or OCR output."""
        registry = self.registry
        flags = find_flags(text, self.contacts) + extra_flags
        kinds = {flag.kind.value for flag in flags}
        found = [m.number for m in find_numbers(text)]
        judged = [n for n in found if not n.is_regulation] or found
        pattern = registry.hoax_by_pattern(text, kinds)
        verdicts = [self._judge(registry, n, text, flags, pattern) for n in judged]
        if not verdicts or (pattern is not None and all(n.is_regulation for n in judged)):
            verdicts = [self._no_number(flags, pattern)]  # rules cited by a fake decide nothing
        worst = max(verdicts, key=lambda v: v.verdict.severity)
        return replace(
            worst,
            source=source,
            numbers=tuple(n.canonical for n in found),
            evidence=text[:EVIDENCE_LIMIT],
        )

    def _judge(
        self,
        registry: Registry,
        number: LetterNumber,
        text: str,
        flags: tuple[Flag, ...],
        pattern: Hoax | None,
    ) -> Verdict:
        hoax = registry.hoax_for(number)
        if hoax is not None:
            return self._hoax(hoax, number.canonical, flags)
        letter = registry.get(number)
        if letter is not None:
            return self._registered(letter, text, flags, pattern)
        if pattern is not None:
            return self._hoax(pattern, number.canonical, flags)
        near = registry.closest(number)
        if near is not None:
            reasons = [
                f"Nomor {number.canonical} tidak terdaftar dalam registri surat resmi DJPK.",
                f"Nomor terdaftar yang paling mirip: {near.letter.number.canonical} perihal "
                f"'{near.letter.subject}'. Perbedaan: {'; '.join(near.differences)}.",
            ]
            return Verdict(
                VerdictKind.NEAR_MATCH,
                number.canonical,
                tuple(reasons + _flag_reasons(flags) + [_CONFIRM]),
                letter=near.letter,
                flags=flags,
                differences=near.differences,
            )
        reasons = [f"Nomor {number.canonical} tidak ditemukan dalam registri surat resmi DJPK."]
        if number.is_regulation:
            reasons.append("Registri hanya memuat peraturan yang sering dirujuk layanan DJPK.")
        return Verdict(
            VerdictKind.NOT_FOUND,
            number.canonical,
            tuple(reasons + _flag_reasons(flags) + [_CONFIRM]),
            flags=flags,
        )

    def _registered(
        self, letter: Letter, text: str, flags: tuple[Flag, ...], pattern: Hoax | None
    ) -> Verdict:
        number = letter.number.canonical
        if letter.status is LetterStatus.REVOKED:
            reasons = [f"Nomor {number} terdaftar, tetapi surat tersebut telah dicabut/dibatalkan."]
            return Verdict(
                VerdictKind.REVOKED,
                number,
                tuple(reasons + _flag_reasons(flags)),
                letter=letter,
                flags=flags,
            )
        conflicts = contradictions(text, letter)
        if flags or conflicts or pattern is not None:
            reasons = [
                f"Nomor {number} terdaftar sebagai surat resmi DJPK, tetapi isi teks/dokumen "
                f"tidak sesuai dengan surat yang terdaftar (perihal '{letter.subject}')."
            ]
            reasons += conflicts + _flag_reasons(flags)
            if pattern is not None:
                reasons.append(f"Isinya cocok dengan pola hoaks yang dikenal: {pattern.title}.")
            return Verdict(
                VerdictKind.MISMATCH,
                number,
                tuple(reasons),
                letter=letter,
                hoax=pattern,
                flags=flags,
            )
        what = "peraturan yang dirujuk DJPK" if letter.number.is_regulation else "surat resmi DJPK"
        if letter.example:
            what = "SURAT CONTOH untuk demo (bukan surat resmi)"
        reasons = [f"Nomor {number} terdaftar sebagai {what}: {letter.subject}."]
        return Verdict(VerdictKind.GENUINE, number, tuple(reasons), letter=letter)

    def _hoax(self, hoax: Hoax, number: str | None, flags: tuple[Flag, ...]) -> Verdict:
        reasons = [f"Cocok dengan hoaks yang dikenal: {hoax.title}.", hoax.description]
        return Verdict(
            VerdictKind.KNOWN_HOAX,
            number,
            tuple(reasons + _flag_reasons(flags)),
            hoax=hoax,
            flags=flags,
        )

    def _no_number(self, flags: tuple[Flag, ...], pattern: Hoax | None) -> Verdict:
        if pattern is not None:
            return self._hoax(pattern, None, flags)
        reasons = ["Tidak ditemukan nomor surat DJPK dalam teks."] + _flag_reasons(flags)
        return Verdict(VerdictKind.NOT_FOUND, None, tuple(reasons + [_CONFIRM]), flags=flags)

    def verify_file(self, path: Path | str) -> Verdict:
        """Judge a PDF or a photo (JPEG/PNG) on disk."""
        return self.verify_bytes(Path(path).read_bytes())

    def verify_bytes(self, data: bytes, limits: UploadLimits | None = None) -> Verdict:
        """Judge file content: hash match first, else PDF text or OCR, plus QR domains."""
        digest = sha256_of(data)
        known = self.verify_hash(digest)
        if known is not None:
            return known
        return self.verify_reading(read_document(data, digest, limits))

    def verify_hash(self, digest: str) -> Verdict | None:
        """The verdict for a file registered by its SHA-256 (letter or hoax), else None."""
        hit = self.registry.by_hash(digest)
        if isinstance(hit, Hoax):
            verdict = self._hoax(hit, hit.number.canonical if hit.number else None, ())
            return replace(verdict, source=Source.PDF_HASH, file_sha256=digest)
        if isinstance(hit, Letter):
            verdict = self._registered(hit, "", (), None)
            reason = "Berkas identik dengan arsip PDF resmi yang terdaftar (SHA-256 cocok)."
            verdict = replace(verdict, reasons=verdict.reasons + (reason,))
            return replace(verdict, source=Source.PDF_HASH, file_sha256=digest)
        return None

    def verify_reading(self, reading: Reading) -> Verdict:
        """Judge what was read from a file (in this process or a worker)."""
        digest = reading.sha256
        source = Source.OCR if reading.source == "ocr" else Source.PDF_TEXT
        if reading.refusal is not None:
            problem = f"berkas melewati batas pemeriksaan ({reading.refusal.value})"
            return self._unreadable(problem, source, digest)
        if reading.kind is DocumentKind.UNKNOWN or not reading.readable:
            return self._unreadable(reading.problem, source, digest)
        qr_flags, qr_notes, qr_text = self._judge_qr(reading.qr)
        verdict = self.verify_text(reading.text + qr_text, source, qr_flags)
        notes = qr_notes
        if verdict.verdict is VerdictKind.NEAR_MATCH and source is Source.OCR:
            notes.append(
                "Nomor dibaca dari foto dan bisa salah baca; bila nomor pada surat sama dengan "
                "nomor terdaftar di atas, mohon ketik nomornya untuk diperiksa ulang."
            )
        if verdict.is_genuine:
            notes.append(
                "Kecocokan berdasarkan nomor dan isi yang terbaca dari berkas; cocokkan perihal, "
                "tanggal, dan rincian kegiatan dengan surat yang Anda terima."
            )
        return replace(verdict, reasons=verdict.reasons + tuple(notes), file_sha256=digest)

    def _judge_qr(self, payloads: tuple[str, ...]) -> tuple[tuple[Flag, ...], list[str], str]:
        flags: list[Flag] = []
        notes: list[str] = []
        texts: list[str] = []
        for payload in payloads:
            candidate = payload.strip()
            url = candidate if "://" in candidate else f"http://{candidate}"
            host = urlsplit(url).hostname if " " not in candidate else None
            texts.append(candidate)
            if not host or "." not in host:
                continue
            if self.contacts.is_official_domain(host):
                notes.append(f"Kode QR mengarah ke domain resmi {host}; tetap cocokkan isi surat.")
            elif not any(f.kind is FlagKind.UNOFFICIAL_QR for f in flags):
                flags.append(make_flag(FlagKind.UNOFFICIAL_QR, self.contacts, host))
        return tuple(flags), notes, "".join(f"\n{t}" for t in texts)

    def _unreadable(self, problem: str | None, source: Source, digest: str) -> Verdict:
        reasons = [
            "Berkas tidak dapat dibaca: tidak ada teks, nomor surat, atau kode QR yang terbaca.",
            "Mohon kirim foto yang lebih jelas (tegak, terang, seluruh halaman terlihat), "
            "berkas PDF aslinya, atau ketik nomor suratnya.",
        ]
        if problem:
            reasons.insert(1, f"Keterangan: {problem}.")
        return Verdict(
            VerdictKind.NOT_FOUND,
            None,
            tuple(reasons),
            source=source,
            readable=False,
            file_sha256=digest,
        )
