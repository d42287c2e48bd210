"""Document limits: size, type by magic bytes, pages, images per PDF, pixels, Pillow bombs."""

from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image

from bot.letters.documents import (
    DocumentKind,
    Reading,
    detect_kind,
    image_sizes,
    open_image,
    quick_refusal,
    read_document,
)
from bot.letters.limits import Refusal, UploadLimits, refusal_text
from bot.settings import Settings
from harness.bad_uploads import (
    huge_png,
    long_pdf,
    many_images_pdf,
    oversize_pdf,
    renamed_zip,
)

LIMITS = UploadLimits()


@pytest.fixture(scope="module")
def png() -> bytes:
    return huge_png()


@pytest.fixture(scope="module")
def images_pdf() -> bytes:
    return many_images_pdf(4500)


def test_the_huge_png_is_a_real_png(png: bytes) -> None:
    assert len(png) < 200_000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Image.MAX_IMAGE_PIXELS, saved = None, Image.MAX_IMAGE_PIXELS
        try:
            assert Image.open(io.BytesIO(png)).size == (20_000, 20_000)
        finally:
            Image.MAX_IMAGE_PIXELS = saved


def test_a_20000_pixel_square_png_is_refused_before_decoding(png: bytes) -> None:
    reading = read_document(png)
    assert (reading.kind, reading.refusal) == (DocumentKind.IMAGE, Refusal.PIXELS)


@pytest.mark.parametrize("pixels", [120_000_000, 200_000_000])
def test_pillows_decompression_bomb_error_and_warning_are_caught(pixels: int) -> None:
    """Under Pillow's own limit check (warning above MAX_IMAGE_PIXELS, error above twice it)."""
    side = int(pixels**0.5)
    generous = UploadLimits(max_pixels=10**12)  # only Pillow's check is left
    assert open_image(huge_png(side, side), generous) is Refusal.PIXELS


def test_a_pdf_of_4500_tiny_images_is_refused_with_its_count(images_pdf: bytes) -> None:
    reading = read_document(images_pdf)
    assert (reading.kind, reading.refusal) == (DocumentKind.PDF, Refusal.IMAGES)
    assert reading.found == 4500


def test_images_are_counted_from_the_bytes_before_any_parser(images_pdf: bytes) -> None:
    stop = quick_refusal(images_pdf, "x", LIMITS)
    assert (stop.refusal, stop.found) == (Refusal.IMAGES, 4500)
    assert quick_refusal(many_images_pdf(LIMITS.max_images), "x", LIMITS) is None


def test_images_hidden_from_the_byte_count_are_counted_by_the_page_walk() -> None:
    hidden = many_images_pdf(200, subtype=b"/Im#61ge")
    assert quick_refusal(hidden, "x", LIMITS) is None
    reading = read_document(hidden)
    assert (reading.refusal, reading.found) == (Refusal.IMAGES, None)  # the walk stops at 31


def test_forms_nested_in_forms_cannot_fan_out_the_page_walk() -> None:
    from pypdf.generic import DictionaryObject, NameObject

    form = DictionaryObject({NameObject("/Subtype"): NameObject("/Form")})
    form[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject(f"/F{i}"): form for i in range(50)})}
    )  # each form holds the same 50 forms: 50**5 paths
    assert len(image_sizes(form["/Resources"], enough=30)) <= 60


def test_a_pdf_within_the_image_limit_is_read() -> None:
    reading = read_document(many_images_pdf(5))
    assert reading.refusal is None and reading.kind is DocumentKind.PDF


def test_a_pdf_image_too_large_to_decode_is_refused_by_its_declared_size() -> None:
    reading = read_document(many_images_pdf(1, side=8), limits=UploadLimits(max_pixels=63))
    assert reading.refusal is Refusal.PIXELS


def test_a_renamed_zip_is_refused_by_its_magic_bytes() -> None:
    data = renamed_zip()
    assert b"%PDF-" in data[:1024] and detect_kind(data) is DocumentKind.UNKNOWN
    assert read_document(data).refusal is Refusal.TYPE


def test_too_many_pages_is_refused_with_the_count() -> None:
    reading = read_document(long_pdf(LIMITS.max_pages + 5))
    assert (reading.refusal, reading.found) == (Refusal.PAGES, 25)
    assert read_document(long_pdf(LIMITS.max_pages)).refusal is None


def test_an_oversize_file_is_refused() -> None:
    assert read_document(oversize_pdf(LIMITS.max_bytes + 1)).refusal is Refusal.SIZE


def test_a_reading_survives_the_trip_from_a_worker() -> None:
    reading = Reading(DocumentKind.PDF, "ab" * 32, "teks", ("qr",), "ocr", None, Refusal.PAGES, 3)
    assert Reading.from_dict(reading.as_dict()) == reading


def test_limits_come_from_settings() -> None:
    env = {
        "DJPK_UPLOAD_MAX_MB": "5",
        "DJPK_UPLOAD_MAX_PAGES": "4",
        "DJPK_UPLOAD_MAX_IMAGES": "6",
        "DJPK_UPLOAD_MAX_PIXELS": "1000",
        "DJPK_UPLOAD_TIMEOUT_S": "2.5",
        "DJPK_UPLOADS_PER_HOUR": "3",
        "DJPK_LETTER_WORKERS": "3",
        "DJPK_LETTER_QUEUE": "0",
    }
    settings = Settings.from_env(env)
    limits = UploadLimits.from_settings(settings)
    assert limits == UploadLimits(5 * 1024 * 1024, 4, 6, 1000, 2.5, 3)
    assert (settings.letter_workers, settings.letter_queue) == (3, 0)
    assert UploadLimits.from_settings(Settings.from_env({})) == UploadLimits()


@pytest.mark.parametrize("reason", list(Refusal))
def test_every_refusal_is_short_formal_and_says_what_to_do_instead(reason: Refusal) -> None:
    text = refusal_text(reason, LIMITS, 25)
    assert text.startswith("Mohon maaf Bapak/Ibu, ") and len(text) < 260
    assert "ketik nomor surat" in text


def test_refusals_name_the_limit() -> None:
    assert "10 MB" in refusal_text(Refusal.SIZE, LIMITS)
    assert "2,5 MB" in refusal_text(Refusal.SIZE, UploadLimits(max_bytes=5 * 1024 * 512))
    pages = refusal_text(Refusal.PAGES, LIMITS, 25)
    assert "(25)" in pages and "20 halaman" in pages and "halaman pertama" in pages
    assert "10 dokumen per jam" in refusal_text(Refusal.RATE, LIMITS)
