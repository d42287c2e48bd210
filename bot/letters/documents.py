"""Reading documents: file hash, PDF text (pypdf), photo OCR (Tesseract) and QR codes (zbar)."""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass
from enum import Enum

log = logging.getLogger(__name__)

OCR_LANG = "ind+eng"
MAX_PDF_PAGES = 10
MAX_OCR_PAGES = 3
_MIN_WIDTH = 1400
_MAX_SIDE = 2400


class DocumentKind(Enum):
    """What a file turned out to be, judged by its first bytes."""

    PDF = "pdf"
    IMAGE = "image"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reading:
    """What could be read from a file: its hash, its text, any QR payloads, and how."""

    kind: DocumentKind
    sha256: str
    text: str = ""
    qr: tuple[str, ...] = ()
    source: str = "pdf_text"
    problem: str | None = None

    @property
    def readable(self) -> bool:
        """True when some text or a QR code was read."""
        return bool(self.text.strip() or self.qr)


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of the bytes."""
    return hashlib.sha256(data).hexdigest()


def detect_kind(data: bytes) -> DocumentKind:
    """PDF, JPEG/PNG/WebP/TIFF image, or unknown, by magic bytes (not by file name)."""
    head = data[:16]
    if b"%PDF-" in data[:1024]:
        return DocumentKind.PDF
    images = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"GIF8")
    if head.startswith(images) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return DocumentKind.IMAGE
    return DocumentKind.UNKNOWN


def prepare(image):
    """Grayscale, upscale small or shrink huge images, stretch contrast and threshold (Otsu)."""
    from PIL import ImageOps

    image = ImageOps.exif_transpose(image).convert("L")
    width, height = image.size
    scale = 1.0
    if width < _MIN_WIDTH:
        scale = min(_MIN_WIDTH / width, 4.0)
    elif max(width, height) > _MAX_SIDE:
        scale = _MAX_SIDE / max(width, height)
    if scale != 1.0:
        image = image.resize((round(width * scale), round(height * scale)))
    image = ImageOps.autocontrast(image)
    threshold = _otsu(image.histogram())
    return image.point(lambda p: 255 if p > threshold else 0)


def _otsu(histogram: list[int]) -> int:
    total = sum(histogram)
    weighted = sum(i * h for i, h in enumerate(histogram))
    best, best_t, below, below_sum = -1.0, 127, 0, 0
    for t in range(256):
        below += histogram[t]
        below_sum += t * histogram[t]
        above = total - below
        if below == 0 or above == 0:
            continue
        mean_b, mean_a = below_sum / below, (weighted - below_sum) / above
        between = below * above * (mean_b - mean_a) ** 2
        if between > best:
            best, best_t = between, t
    return best_t


def decode_qr(image) -> tuple[str, ...]:
    """Payloads of every QR code (or barcode) in the image."""
    from pyzbar import pyzbar

    found = pyzbar.decode(image.convert("L"))
    return tuple(item.data.decode("utf-8", "replace") for item in found)


def ocr_image(image) -> str:
    """Text of the image by Tesseract (Indonesian + English) after light preprocessing."""
    import pytesseract

    # One OpenMP thread: on a busy 2-core host Tesseract's default threading is 2-3x slower.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    return pytesseract.image_to_string(prepare(image), lang=OCR_LANG, config="--oem 1 --psm 3")


def read_image(data: bytes, digest: str) -> Reading:
    """OCR text and QR codes of a photo or scan."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        return Reading(DocumentKind.IMAGE, digest, source="ocr", problem=f"gambar rusak ({exc})")
    qr = decode_qr(image)
    try:
        text = ocr_image(image)
    except Exception as exc:  # noqa: BLE001 - missing tesseract must not crash a conversation
        log.error("OCR failed: %s", exc)
        return Reading(DocumentKind.IMAGE, digest, "", qr, "ocr", "OCR tidak tersedia di server")
    return Reading(DocumentKind.IMAGE, digest, text, qr, "ocr")


def read_pdf(data: bytes, digest: str) -> Reading:
    """Text of a PDF; a scanned PDF without text has its page images read by OCR."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        pages = PdfReader(io.BytesIO(data)).pages[:MAX_PDF_PAGES]
        text = "\n".join(page.extract_text() or "" for page in pages)
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        return Reading(DocumentKind.PDF, digest, problem=f"PDF rusak atau terkunci ({exc})")
    if text.strip():
        return Reading(DocumentKind.PDF, digest, text, (), "pdf_text")
    texts, qrs = [], []
    for page in pages[:MAX_OCR_PAGES]:
        for picture in page.images:
            reading = read_image(picture.data, digest)
            texts.append(reading.text)
            qrs.extend(reading.qr)
    return Reading(DocumentKind.PDF, digest, "\n".join(texts), tuple(qrs), "ocr")


def read_document(data: bytes, digest: str | None = None) -> Reading:
    """Hash (unless given) and read a file of any supported kind."""
    digest = digest or sha256_of(data)
    kind = detect_kind(data)
    if kind is DocumentKind.PDF:
        return read_pdf(data, digest)
    if kind is DocumentKind.IMAGE:
        return read_image(data, digest)
    return Reading(kind, digest, problem="jenis berkas tidak didukung (kirim PDF, JPG, atau PNG)")
