"""Documents: PDF by hash and by text, photos by Tesseract OCR, QR codes judged by their domain."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.letters.documents import DocumentKind, detect_kind, read_document, sha256_of
from bot.letters.flags import FlagKind
from bot.letters.messages import render
from bot.letters.verdict import Source, VerdictKind
from bot.letters.verifier import Verifier
from harness.letter_samples import (
    image_bytes,
    letter_lines,
    qr_image,
    render_image,
    render_pdf,
)
from tests.bot.letters.conftest import FIXTURES

SUBJECT = "Undangan Webinar Perpres Petunjuk Teknis DAK Fisik TA 2023"
FAKE_BODY = (
    "Peserta wajib membayar biaya kontribusi sebesar Rp 3.500.000 per orang, ditransfer ke "
    "rekening Bank BRI 0123-01-000123-50-1 a.n. Panitia Bimtek.",
    "Konfirmasi kehadiran melalui WhatsApp 0812-9876-5432.",
)


def test_registered_pdf_is_genuine_by_its_hash(verifier: Verifier) -> None:
    verdict = verifier.verify_file(FIXTURES / "UND-901_PK.3_2099.pdf")
    assert verdict.verdict is VerdictKind.GENUINE
    assert verdict.source is Source.PDF_HASH
    assert verdict.number == "UND-901/PK.3/2099"
    assert "15 Maret 2099" in render(verdict, verifier.contacts)


def test_revoked_pdf_by_its_hash(verifier: Verifier) -> None:
    verdict = verifier.verify_file(FIXTURES / "S-902_PK_2099.pdf")
    assert (verdict.verdict, verdict.source) == (VerdictKind.REVOKED, Source.PDF_HASH)


def test_known_fake_pdf_by_its_hash(kb_copy: Path, tmp_path: Path) -> None:
    fake = render_pdf(letter_lines("UND-107/PK/2019", "Bimtek Obligasi Daerah"), tmp_path / "f.pdf")
    hoaxes = kb_copy / "letters" / "hoaxes.yml"
    digest = sha256_of(fake.read_bytes())
    hoaxes.write_text(hoaxes.read_text().replace("sha256: []", f"sha256: [{digest}]", 1))
    verdict = Verifier.from_kb(kb_copy).verify_file(fake)
    assert (verdict.verdict, verdict.source) == (VerdictKind.KNOWN_HOAX, Source.PDF_HASH)


def test_pdf_of_a_registered_letter_is_read_by_text(verifier: Verifier, tmp_path: Path) -> None:
    pdf = render_pdf(letter_lines("UND-41/PK.3/2023", SUBJECT), tmp_path / "und41.pdf")
    verdict = verifier.verify_file(pdf)
    assert (verdict.verdict, verdict.source) == (VerdictKind.GENUINE, Source.PDF_TEXT)
    assert verdict.file_sha256 == sha256_of(pdf.read_bytes())
    assert any("cocokkan perihal" in reason for reason in verdict.reasons)


def test_pdf_with_a_copied_number_and_a_fee_is_mismatch(verifier: Verifier, tmp_path: Path) -> None:
    lines = letter_lines("UND-41/PK.3/2023", SUBJECT, body=FAKE_BODY)
    verdict = verifier.verify_file(render_pdf(lines, tmp_path / "fake.pdf"))
    assert verdict.verdict is VerdictKind.MISMATCH
    assert {FlagKind.FEE, FlagKind.BANK_ACCOUNT, FlagKind.PERSONAL_PHONE} <= {
        f.kind for f in verdict.flags
    }


def test_broken_and_unsupported_files_say_they_could_not_be_read(
    verifier: Verifier, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n this is not really a pdf")
    words = tmp_path / "notes.docx"
    words.write_bytes(b"PK\x03\x04 zip content")
    for path in (broken, words):
        verdict = verifier.verify_file(path)
        assert verdict.verdict is VerdictKind.NOT_FOUND
        assert verdict.readable is False
        assert "tidak dapat dibaca" in verdict.reasons[0]
        assert "tidak dapat kami baca" in render(verdict, verifier.contacts)


def test_detect_kind_uses_magic_bytes() -> None:
    assert detect_kind(b"%PDF-1.7 ...") is DocumentKind.PDF
    assert detect_kind(b"\xff\xd8\xff\xe0 jpeg") is DocumentKind.IMAGE
    assert detect_kind(b"\x89PNG\r\n\x1a\n...") is DocumentKind.IMAGE
    assert detect_kind(b"hello") is DocumentKind.UNKNOWN


def test_photo_of_a_registered_letter_is_read_by_ocr(verifier: Verifier, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    image = render_image(letter_lines("UND-41/PK.3/2023", SUBJECT), photo=True, seed=7)
    photo.write_bytes(image_bytes(image))
    started = time.perf_counter()
    verdict = verifier.verify_file(photo)
    assert time.perf_counter() - started < 10
    assert (verdict.verdict, verdict.source) == (VerdictKind.GENUINE, Source.OCR)
    assert verdict.number == "UND-41/PK.3/2023"
    assert "Radius Prawiro" in verdict.evidence


def test_photo_of_a_fake_names_its_red_flags(verifier: Verifier) -> None:
    lines = letter_lines("UND-41/PK.3/2023", SUBJECT, body=FAKE_BODY)
    verdict = verifier.verify_bytes(image_bytes(render_image(lines, photo=True, seed=2)))
    assert verdict.verdict is VerdictKind.MISMATCH
    assert FlagKind.FEE in {f.kind for f in verdict.flags}


def test_scanned_pdf_without_text_is_read_by_ocr(verifier: Verifier, tmp_path: Path) -> None:
    from fpdf import FPDF

    scan = tmp_path / "scan.png"
    scan.write_bytes(
        image_bytes(render_image(letter_lines("SE-1/PK/2023", "Undangan Bimtek Keuangan")), "PNG")
    )
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(scan), x=0, y=0, w=210)
    path = tmp_path / "scan.pdf"
    path.write_bytes(bytes(pdf.output()))
    reading = read_document(path.read_bytes())
    assert reading.source == "ocr" and "SE-1/PK/2023" in reading.text
    verdict = verifier.verify_file(path)
    assert verdict.number == "SE-1/PK/2023"
    assert verdict.verdict is VerdictKind.MISMATCH  # the subject on the scan differs


def test_qr_to_an_official_domain_is_noted(verifier: Verifier) -> None:
    url = "https://djpk.kemenkeu.go.id/verifikasi?nomor=UND-41/PK.3/2023"
    image = render_image(letter_lines("UND-41/PK.3/2023", SUBJECT), qr=url)
    verdict = verifier.verify_bytes(image_bytes(image, "PNG"))
    assert verdict.verdict is VerdictKind.GENUINE
    assert any("domain resmi djpk.kemenkeu.go.id" in reason for reason in verdict.reasons)


def test_qr_to_another_domain_is_a_red_flag(verifier: Verifier) -> None:
    image = render_image(
        letter_lines("UND-41/PK.3/2023", SUBJECT), qr="https://bit.ly/daftar-bimtek"
    )
    verdict = verifier.verify_bytes(image_bytes(image, "PNG"))
    assert verdict.verdict is VerdictKind.MISMATCH
    (flag,) = [f for f in verdict.flags if f.kind is FlagKind.UNOFFICIAL_QR]
    assert flag.evidence == "bit.ly"


def test_qr_alone_is_readable(verifier: Verifier) -> None:
    verdict = verifier.verify_bytes(image_bytes(qr_image("https://forms.gle/abc", box=10), "PNG"))
    assert verdict.readable
    assert verdict.verdict is VerdictKind.NOT_FOUND
    assert [f.kind for f in verdict.flags] == [FlagKind.UNOFFICIAL_QR]


def test_a_blank_photo_could_not_be_read(verifier: Verifier) -> None:
    from PIL import Image

    verdict = verifier.verify_bytes(image_bytes(Image.new("RGB", (800, 600), "white")))
    assert verdict.verdict is VerdictKind.NOT_FOUND
    assert verdict.readable is False
    assert verdict.to_json()["readable"] is False
    assert verdict.offer_report


@pytest.mark.parametrize(
    "name", ["UND-901_PK.3_2099.pdf", "S-902_PK_2099.pdf", "SE-903_PK.2_2099.pdf"]
)
def test_committed_demo_pdfs_match_examples_yml(verifier: Verifier, name: str) -> None:
    digest = sha256_of((FIXTURES / name).read_bytes())
    assert verifier.registry.by_hash(digest) is not None
