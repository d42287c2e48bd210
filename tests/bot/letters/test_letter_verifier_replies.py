"""What the verifier tells the user, word for word: files by hash, what was read from a file (no
OCR needed: the reading is given), QR codes, regulations and hoax patterns."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.letters.documents import DocumentKind, Reading, sha256_of
from bot.letters.flags import FlagKind
from bot.letters.limits import Refusal, UploadLimits
from bot.letters.verdict import EVIDENCE_LIMIT, Source, VerdictKind
from bot.letters.verifier import Verifier
from bot.settings import Settings
from harness.letter_samples import letter_lines, render_pdf
from tests.bot.letters.conftest import FIXTURES, KB_DIR

DIGEST = "ab" * 32
WEBINAR = "Undangan Webinar Perpres Petunjuk Teknis DAK Fisik TA 2023"
CONFIRM = "Ini belum tentu berarti surat palsu; mohon konfirmasi melalui kanal resmi DJPK."
FEE = (
    "Tanda bahaya: Meminta biaya, kontribusi, atau pendaftaran berbayar, padahal seluruh layanan "
    "dan kegiatan DJPK tidak dipungut biaya (S-38/PK/2024)."
)
JF_AKPD = "Undangan palsu Bimtek/Capacity Building JF AKPD berbayar"
UNREADABLE = "Berkas tidak dapat dibaca: tidak ada teks, nomor surat, atau kode QR yang terbaca."
RETRY = (
    "Mohon kirim foto yang lebih jelas (tegak, terang, seluruh halaman terlihat), berkas PDF "
    "aslinya, atau ketik nomor suratnya."
)
SAME_FILE = "Berkas identik dengan arsip PDF resmi yang terdaftar (SHA-256 cocok)."


def test_a_registered_demo_pdf_by_its_hash(verifier: Verifier) -> None:
    data = (FIXTURES / "UND-901_PK.3_2099.pdf").read_bytes()
    verdict = verifier.verify_bytes(data)
    assert (verdict.verdict, verdict.number, verdict.source) == (
        VerdictKind.GENUINE,
        "UND-901/PK.3/2099",
        Source.PDF_HASH,
    )
    assert verdict.reasons == (
        "Nomor UND-901/PK.3/2099 terdaftar sebagai SURAT CONTOH untuk demo (bukan surat resmi): "
        "Undangan Sosialisasi Kebijakan DAK Fisik (CONTOH DEMO).",
        SAME_FILE,
    )
    assert (
        verdict.file_sha256 == sha256_of(data) and verdict.letter.number.canonical == verdict.number
    )


def test_a_revoked_pdf_by_its_hash(verifier: Verifier) -> None:
    verdict = verifier.verify_file(FIXTURES / "S-902_PK_2099.pdf")
    assert verdict.verdict is VerdictKind.REVOKED and verdict.source is Source.PDF_HASH
    assert verdict.reasons == (
        "Nomor S-902/PK/2099 terdaftar, tetapi surat tersebut telah dicabut/dibatalkan.",
        SAME_FILE,
    )
    assert verdict.file_sha256 == sha256_of((FIXTURES / "S-902_PK_2099.pdf").read_bytes())


@pytest.mark.parametrize(
    ("hoax_id", "number"),
    [("bimtek-obligasi-daerah-2019", "UND-107/PK/2019"), ("jf-akpd-bimtek-2023", None)],
)
def test_a_known_fake_file_by_its_hash(kb_copy: Path, hoax_id: str, number: str | None) -> None:
    data = f"berkas palsu {hoax_id}".encode()
    hoaxes = kb_copy / "letters" / "hoaxes.yml"
    text = hoaxes.read_text(encoding="utf-8")
    at = text.index(f"id: {hoax_id}")
    at = text.index("sha256: []", at)
    hoaxes.write_text(
        text[:at] + f"sha256: [{sha256_of(data)}]" + text[at + len("sha256: []") :],
        encoding="utf-8",
    )
    verifier = Verifier.from_kb(kb_copy)
    verdict = verifier.verify_bytes(data)
    assert (verdict.verdict, verdict.number, verdict.source) == (
        VerdictKind.KNOWN_HOAX,
        number,
        Source.PDF_HASH,
    )
    assert verdict.hoax.id == hoax_id and verdict.file_sha256 == sha256_of(data)
    assert verdict.reasons[0] == f"Cocok dengan hoaks yang dikenal: {verdict.hoax.title}."
    assert verdict.reasons[1:] == (verdict.hoax.description,)
    assert verifier.verify_hash("00" * 32) is None


def test_a_file_over_a_limit_says_so(verifier: Verifier) -> None:
    verdict = verifier.verify_reading(Reading(DocumentKind.PDF, DIGEST, refusal=Refusal.PAGES))
    assert (verdict.verdict, verdict.number, verdict.readable) == (
        VerdictKind.NOT_FOUND,
        None,
        False,
    )
    assert verdict.reasons == (
        UNREADABLE,
        "Keterangan: berkas melewati batas pemeriksaan (pages).",
        RETRY,
    )
    assert verdict.source is Source.PDF_TEXT and verdict.file_sha256 == DIGEST


def test_a_photo_that_could_not_be_read_says_why(verifier: Verifier) -> None:
    reading = Reading(DocumentKind.IMAGE, DIGEST, source="ocr", problem="OCR tidak tersedia")
    verdict = verifier.verify_reading(reading)
    assert verdict.reasons == (UNREADABLE, "Keterangan: OCR tidak tersedia.", RETRY)
    assert (verdict.source, verdict.readable, verdict.file_sha256) == (Source.OCR, False, DIGEST)


def test_a_file_of_unknown_kind_is_unreadable_even_with_text(verifier: Verifier) -> None:
    verdict = verifier.verify_reading(
        Reading(DocumentKind.UNKNOWN, DIGEST, text="UND-41/PK.3/2023")
    )
    assert verdict.reasons == (UNREADABLE, RETRY)
    assert verdict.verdict is VerdictKind.NOT_FOUND and not verdict.readable


NEAR = (
    "Nomor UND-41/PK.3/2022 tidak terdaftar dalam registri surat resmi DJPK.",
    f"Nomor terdaftar yang paling mirip: UND-41/PK.3/2023 perihal '{WEBINAR}'. "
    "Perbedaan: tahun 2022 (terdaftar: 2023).",
    CONFIRM,
)
OCR_NOTE = (
    "Nomor dibaca dari foto dan bisa salah baca; bila nomor pada surat sama dengan nomor "
    "terdaftar di atas, mohon ketik nomornya untuk diperiksa ulang."
)


def test_a_near_match_read_from_a_photo_asks_to_type_the_number(verifier: Verifier) -> None:
    photo = Reading(DocumentKind.IMAGE, DIGEST, text="Nomor UND-41/PK.3/2022", source="ocr")
    verdict = verifier.verify_reading(photo)
    assert verdict.verdict is VerdictKind.NEAR_MATCH and verdict.source is Source.OCR
    assert verdict.reasons == (*NEAR, OCR_NOTE)
    assert verdict.letter.number.canonical == "UND-41/PK.3/2023"
    assert verdict.differences == ("tahun 2022 (terdaftar: 2023)",)
    pdf = verifier.verify_reading(Reading(DocumentKind.PDF, DIGEST, text="Nomor UND-41/PK.3/2022"))
    assert pdf.reasons == NEAR and pdf.source is Source.PDF_TEXT
    assert verifier.verify_text("UND-41/PK.3/2022 benar?").reasons == NEAR


def test_a_genuine_reading_reminds_to_compare_the_details(verifier: Verifier) -> None:
    verdict = verifier.verify_reading(
        Reading(DocumentKind.IMAGE, DIGEST, source="ocr", qr=("UND-41/PK.3/2023",))
    )
    assert verdict.verdict is VerdictKind.GENUINE and verdict.readable
    assert verdict.reasons == (
        f"Nomor UND-41/PK.3/2023 terdaftar sebagai surat resmi DJPK: {WEBINAR}.",
        "Kecocokan berdasarkan nomor dan isi yang terbaca dari berkas; cocokkan perihal, "
        "tanggal, dan rincian kegiatan dengan surat yang Anda terima.",
    )
    assert verdict.file_sha256 == DIGEST


def test_qr_codes_are_judged_by_their_domain(verifier: Verifier) -> None:
    qr = (
        "https://djpk.kemenkeu.go.id/v?n=1",
        "bit.ly/abc",  # no scheme: still a link
        "https://forms.gle/x",  # a second unofficial link: one flag is enough
        "localhost",  # no domain at all
        "UND-41/PK.3/2023 kata lain",  # text, not a link
    )
    verdict = verifier.verify_reading(
        Reading(DocumentKind.PDF, DIGEST, text="Nomor UND-41/PK.3/2023", qr=qr)
    )
    assert verdict.verdict is VerdictKind.MISMATCH
    assert [(f.kind, f.evidence) for f in verdict.flags] == [(FlagKind.UNOFFICIAL_QR, "bit.ly")]
    assert verdict.reasons == (
        f"Nomor UND-41/PK.3/2023 terdaftar sebagai surat resmi DJPK, tetapi isi teks/dokumen "
        f"tidak sesuai dengan surat yang terdaftar (perihal '{WEBINAR}').",
        "Tanda bahaya: Kode QR mengarah ke bit.ly, bukan domain resmi kemenkeu.go.id.",
        "Kode QR mengarah ke domain resmi djpk.kemenkeu.go.id; tetap cocokkan isi surat.",
    )


def test_an_unregistered_regulation_says_the_registry_is_partial(verifier: Verifier) -> None:
    verdict = verifier.verify_text("PMK 999/PMK.07/2022 masih berlaku?")
    assert verdict.reasons == (
        "Nomor 999/PMK.07/2022 tidak ditemukan dalam registri surat resmi DJPK.",
        "Registri hanya memuat peraturan yang sering dirujuk layanan DJPK.",
        CONFIRM,
    )
    letter = verifier.verify_text("S-99/PK/2023 benar?")
    assert letter.reasons == (
        "Nomor S-99/PK/2023 tidak ditemukan dalam registri surat resmi DJPK.",
        CONFIRM,
    )


def test_a_registered_regulation_is_named_as_one(verifier: Verifier) -> None:
    verdict = verifier.verify_text("PMK 204 Tahun 2022 masih berlaku?")
    assert verdict.verdict is VerdictKind.GENUINE
    assert verdict.reasons[0].startswith(
        "Nomor 204/PMK.07/2022 terdaftar sebagai peraturan yang dirujuk DJPK: "
    )


def test_a_registered_number_in_a_known_hoax_text_is_mismatch_naming_the_hoax(
    verifier: Verifier,
) -> None:
    verdict = verifier.verify_text("UND-41/PK.3/2023 bimtek JF AKPD biaya kontribusi Rp 3.000.000")
    assert verdict.verdict is VerdictKind.MISMATCH and verdict.hoax.id == "jf-akpd-bimtek-2023"
    assert [f.kind for f in verdict.flags] == [FlagKind.FEE]
    assert verdict.reasons == (
        f"Nomor UND-41/PK.3/2023 terdaftar sebagai surat resmi DJPK, tetapi isi teks/dokumen "
        f"tidak sesuai dengan surat yang terdaftar (perihal '{WEBINAR}').",
        FEE,
        f"Isinya cocok dengan pola hoaks yang dikenal: {JF_AKPD}.",
    )


def test_an_unregistered_number_in_a_known_hoax_text_is_that_hoax(verifier: Verifier) -> None:
    verdict = verifier.verify_text(
        "Bimtek JF AKPD nomor S-99/PK/2023 biaya kontribusi Rp 3.000.000"
    )
    assert (verdict.verdict, verdict.number) == (VerdictKind.KNOWN_HOAX, "S-99/PK/2023")
    assert verdict.hoax.id == "jf-akpd-bimtek-2023" and [f.kind for f in verdict.flags] == [
        FlagKind.FEE
    ]
    assert verdict.reasons == (
        f"Cocok dengan hoaks yang dikenal: {JF_AKPD}.",
        verdict.hoax.description,
        FEE,
    )


def test_flags_without_a_number_are_listed_before_the_advice(verifier: Verifier) -> None:
    verdict = verifier.verify_text("ada undangan bimtek bayar kontribusi Rp 1.000.000")
    assert verdict.reasons == (
        "Tidak ditemukan nomor surat DJPK dalam teks.",
        FEE,
        CONFIRM,
    )
    assert [f.kind for f in verdict.flags] == [FlagKind.FEE]


def test_revoked_and_flagged_lists_the_flags(verifier: Verifier) -> None:
    verdict = verifier.verify_text("S-902/PK/2099 biaya pendaftaran Rp 500.000")
    assert verdict.verdict is VerdictKind.REVOKED and [f.kind for f in verdict.flags] == [
        FlagKind.FEE
    ]
    assert verdict.reasons == (
        "Nomor S-902/PK/2099 terdaftar, tetapi surat tersebut telah dicabut/dibatalkan.",
        FEE,
    )


def test_the_text_judged_is_kept_as_evidence_up_to_the_limit(verifier: Verifier) -> None:
    short = verifier.verify_text("UND-41/PK.3/2023", source=Source.OCR)
    assert (short.evidence, short.source) == ("UND-41/PK.3/2023", Source.OCR)
    long = "UND-41/PK.3/2023 " + "x" * EVIDENCE_LIMIT
    assert verifier.verify_text(long).evidence == long[:EVIDENCE_LIMIT]


def test_demo_letters_only_when_the_settings_ask(tmp_path: Path) -> None:
    demo = Verifier.from_settings(replace(Settings(), kb_dir=KB_DIR, letter_examples=True))
    assert demo.verify_text("UND-901/PK.3/2099").verdict is VerdictKind.GENUINE
    assert demo.contacts.whatsapp == "0811-150420-7"
    production = Verifier.from_settings(replace(Settings(), kb_dir=KB_DIR))
    assert production.verify_text("UND-901/PK.3/2099").verdict is not VerdictKind.GENUINE
    forced = Verifier.from_settings(replace(Settings(), kb_dir=KB_DIR), include_examples=True)
    assert forced.verify_text("UND-901/PK.3/2099").verdict is VerdictKind.GENUINE
    assert (
        Verifier.from_kb(KB_DIR).verify_text("UND-901/PK.3/2099").verdict is not VerdictKind.GENUINE
    )


def test_an_unregistered_pdf_is_read_by_its_text(verifier: Verifier, tmp_path: Path) -> None:
    pdf = render_pdf(letter_lines("UND-41/PK.3/2022", WEBINAR), tmp_path / "surat.pdf")
    data = pdf.read_bytes()
    verdict = verifier.verify_bytes(data)
    assert (verdict.verdict, verdict.number, verdict.source) == (
        VerdictKind.NEAR_MATCH,
        "UND-41/PK.3/2022",
        Source.PDF_TEXT,
    )
    assert verdict.file_sha256 == sha256_of(data) and verdict.readable
    assert verdict.reasons == NEAR
    tight = verifier.verify_bytes(data, UploadLimits(max_bytes=100))
    assert (tight.verdict, tight.readable) == (VerdictKind.NOT_FOUND, False)
    assert tight.reasons[1] == "Keterangan: berkas melewati batas pemeriksaan (size)."
    assert tight.file_sha256 == sha256_of(data)


def test_flags_stay_on_near_and_unknown_numbers(verifier: Verifier) -> None:
    near = verifier.verify_text("UND-41/PK.3/2022 biaya pendaftaran Rp 500.000")
    assert near.verdict is VerdictKind.NEAR_MATCH
    assert [f.kind for f in near.flags] == [FlagKind.FEE]
    assert near.reasons == (*NEAR[:2], FEE, CONFIRM)
    unknown = verifier.verify_text("S-99/PK/2023 biaya pendaftaran Rp 500.000")
    assert unknown.verdict is VerdictKind.NOT_FOUND
    assert [f.kind for f in unknown.flags] == [FlagKind.FEE]


def test_qr_texts_are_read_after_the_page_and_a_sentence_is_no_link(verifier: Verifier) -> None:
    qr = ("localhost", "Daftar di bit.ly/bimtek sekarang", "https://forms.gle/x")
    reading = Reading(DocumentKind.PDF, DIGEST, text="Nomor UND-41/PK.3/2023", qr=qr)
    verdict = verifier.verify_reading(reading)
    # The sentence is text, not a link; the link after the one without a domain is still judged.
    assert [(f.kind, f.evidence) for f in verdict.flags] == [(FlagKind.UNOFFICIAL_QR, "forms.gle")]
    assert verdict.evidence == (
        "Nomor UND-41/PK.3/2023\nlocalhost\nDaftar di bit.ly/bimtek sekarang\nhttps://forms.gle/x"
    )
