"""Reading documents within limits: file hash, PDF text (pypdf), photo OCR (Tesseract), QR (zbar).

`read_document` runs in a worker process (bot.letters.pool); `read_job` is its entry point.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from dataclasses import asdict, dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING, Any

from bot.letters.limits import Refusal, UploadLimits
from bot.letters.ocr import decode_qr, ocr_image
from bot.uploads import signature_of

if TYPE_CHECKING:
    from PIL.Image import Image
    from pypdf import PageObject

log = logging.getLogger(__name__)

MAX_OCR_PAGES = 3
MIN_OCR_SIDE = 32  # pixels; smaller images inside a PDF are not read
TEXT_LIMIT = 200_000  # characters handed back from a worker
_FORM_DEPTH = 5
_IMAGE_DICT = re.compile(rb"/Subtype\s*/Image\b")


class DocumentKind(Enum):
    """What a file turned out to be, judged by its first bytes."""

    PDF = "pdf"
    IMAGE = "image"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reading:
    """What could be read from a file: its hash, its text, any QR payloads, and how.

    `refusal` is set when a limit stopped the reading (`found`: the count that passed it).
    """

    kind: DocumentKind
    sha256: str
    text: str = ""
    qr: tuple[str, ...] = ()
    source: str = "pdf_text"
    problem: str | None = None
    refusal: Refusal | None = None
    found: int | None = None

    @property
    def readable(self) -> bool:
        """True when some text or a QR code was read."""
        return bool(self.text.strip() or self.qr)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON values (what a worker process sends back)."""
        values = asdict(self)
        values.update(kind=self.kind.value, qr=list(self.qr), text=self.text[:TEXT_LIMIT])
        values["refusal"] = self.refusal.value if self.refusal else None
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Reading:
        """The reading a worker sent back."""
        refusal = values.get("refusal")
        return cls(
            DocumentKind(values["kind"]),
            str(values["sha256"]),
            str(values.get("text") or ""),
            tuple(str(q) for q in values.get("qr") or ()),
            str(values.get("source") or "ocr"),
            values.get("problem"),
            Refusal(refusal) if refusal else None,
            values.get("found"),
        )


def refused(kind: DocumentKind, digest: str, reason: Refusal, found: int | None = None) -> Reading:
    """A reading stopped by a limit."""
    return Reading(kind, digest, source="ocr", refusal=reason, found=found)


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of the bytes."""
    return hashlib.sha256(data).hexdigest()


def detect_kind(data: bytes) -> DocumentKind:
    """PDF, JPEG/PNG/WebP/TIFF image, or unknown, by magic bytes (not by file name)."""
    # the table in bot.uploads; a PDF may follow a BOM or whitespace, but only at the start (a ZIP
    # holding a PDF is not a PDF)
    signature = signature_of(data, accepted_only=False, lenient=True)
    if signature is None:
        return DocumentKind.UNKNOWN
    return DocumentKind.PDF if signature.family == "pdf" else DocumentKind.IMAGE


def open_image(data: bytes, limits: UploadLimits) -> Image | Refusal | str:
    """The decoded image, or what stopped it (pixels are checked before decoding)."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > limits.max_pixels:
                return Refusal.PIXELS
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return Refusal.PIXELS
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
            return f"gambar rusak ({exc})"
    return image


def read_image(data: bytes, digest: str, limits: UploadLimits | None = None) -> Reading:
    """OCR text and QR codes of a photo or scan."""
    opened = open_image(data, limits or UploadLimits())
    if isinstance(opened, Refusal):
        return refused(DocumentKind.IMAGE, digest, opened)
    if isinstance(opened, str):
        return Reading(DocumentKind.IMAGE, digest, source="ocr", problem=opened)
    qr = decode_qr(opened)
    try:
        text = ocr_image(opened)
    except Exception as exc:  # noqa: BLE001 - missing tesseract must not crash a conversation
        log.error("OCR failed: %s", exc)
        return Reading(DocumentKind.IMAGE, digest, "", qr, "ocr", "OCR tidak tersedia di server")
    return Reading(DocumentKind.IMAGE, digest, text, qr, "ocr")


def image_sizes(
    resources: Any, enough: int, depth: int = 0, seen: list[int] | None = None
) -> list[int]:
    """Pixel counts of the image XObjects of a page's resources, forms followed, undecoded.

    Stops once more than `enough` images (or form XObjects) were met: that already refuses.
    """
    from pypdf.generic import DictionaryObject

    seen = [] if seen is None else seen
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    if xobjects is None:
        return seen
    for reference in xobjects.get_object().values():
        if len(seen) > enough:
            break
        item = reference.get_object()
        if item.get("/Subtype") == "/Image":
            seen.append(int(item.get("/Width", 0)) * int(item.get("/Height", 0)))
        elif item.get("/Subtype") == "/Form" and depth < _FORM_DEPTH:
            seen.append(0)  # a form counts too, so forms nested in forms cannot fan out unseen
            image_sizes(item.get("/Resources"), enough, depth + 1, seen)
    return seen


def _pdf_limits(pages: list[PageObject], limits: UploadLimits, digest: str) -> Reading | None:
    """A refusal when the PDF has too many pages or images, or an image too large to decode."""
    if len(pages) > limits.max_pages:
        return refused(DocumentKind.PDF, digest, Refusal.PAGES, len(pages))
    per_page, count = [], 0
    for page in pages:
        per_page.append(image_sizes(page.get("/Resources"), limits.max_images - count))
        count += len(per_page[-1])
        if count > limits.max_images:  # the walk stopped there: no exact count to show
            return refused(DocumentKind.PDF, digest, Refusal.IMAGES)
    if any(size > limits.max_pixels for sizes in per_page[:MAX_OCR_PAGES] for size in sizes):
        return refused(DocumentKind.PDF, digest, Refusal.PIXELS)
    return None


def read_pdf(data: bytes, digest: str, limits: UploadLimits | None = None) -> Reading:
    """Text of a PDF; a scanned PDF without text has its page images read by OCR."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    limits = limits or UploadLimits()
    try:
        pages = list(PdfReader(io.BytesIO(data)).pages)
        stop = _pdf_limits(pages, limits, digest)
        if stop is not None:
            return stop
        text = "\n".join(page.extract_text() or "" for page in pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        return Reading(DocumentKind.PDF, digest, problem=f"PDF rusak atau terkunci ({exc})")
    if text.strip():
        return Reading(DocumentKind.PDF, digest, text, (), "pdf_text")
    texts: list[str] = []
    qrs: list[str] = []
    for page in pages[:MAX_OCR_PAGES]:
        for picture in page.images:
            assert picture.image is not None  # pypdf decodes every image it lists
            if min(picture.image.size) < MIN_OCR_SIDE:
                continue  # a bullet or a rule line: no text to read, and Tesseract costs ~0.5 s
            reading = read_image(picture.data, digest, limits)
            if reading.refusal is not None:
                return replace(reading, kind=DocumentKind.PDF)
            texts.append(reading.text)
            qrs.extend(reading.qr)
    return Reading(DocumentKind.PDF, digest, "\n".join(texts), tuple(qrs), "ocr")


def quick_refusal(data: bytes, digest: str, limits: UploadLimits) -> Reading | None:
    """What the bytes alone refuse, before any parser runs: size, type, images a PDF declares.

    Image XObjects are streams, which PDF never hides in object streams, so their dictionaries
    can be counted in the raw bytes (the page walk in the worker still counts the rest).
    """
    kind = detect_kind(data)
    if len(data) > limits.max_bytes:
        return refused(kind, digest, Refusal.SIZE)
    if kind is DocumentKind.UNKNOWN:
        return refused(kind, digest, Refusal.TYPE)
    if kind is DocumentKind.PDF:
        declared = len(_IMAGE_DICT.findall(data))
        if declared > limits.max_images:
            return refused(kind, digest, Refusal.IMAGES, declared)
    return None


def read_document(
    data: bytes, digest: str | None = None, limits: UploadLimits | None = None
) -> Reading:
    """Hash (unless given) and read a file of any supported kind, within the limits."""
    limits = limits or UploadLimits()
    digest = digest or sha256_of(data)
    stop = quick_refusal(data, digest, limits)
    if stop is not None:
        return stop
    if detect_kind(data) is DocumentKind.PDF:
        return read_pdf(data, digest, limits)
    return read_image(data, digest, limits)


def read_job(data: bytes, params: dict[str, Any]) -> dict[str, Any]:
    """Worker entry point: params carry `digest` and `limits` (UploadLimits.as_dict)."""
    limits = UploadLimits(**params.get("limits", {}))
    return read_document(data, params.get("digest"), limits).as_dict()
