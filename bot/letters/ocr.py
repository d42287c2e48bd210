"""OCR and QR of one image: light preprocessing, Tesseract (Indonesian + English), zbar."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

OCR_LANG = "ind+eng"
_MIN_WIDTH = 1400
_MAX_SIDE = 2400


def prepare(image: Image) -> Image:
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


def decode_qr(image: Image) -> tuple[str, ...]:
    """Payloads of every QR code (or barcode) in the image; none when zbar is missing."""
    try:
        from pyzbar import pyzbar
    except ImportError as exc:  # the zbar library is not installed on this server
        log.error("QR decoding unavailable: %s", exc)
        return ()
    found = pyzbar.decode(image.convert("L"))
    return tuple(item.data.decode("utf-8", "replace") for item in found)


def ocr_image(image: Image) -> str:
    """Text of the image by Tesseract (Indonesian + English) after light preprocessing."""
    import pytesseract

    # One OpenMP thread: on a busy 2-core host Tesseract's default threading is 2-3x slower.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    text: str = pytesseract.image_to_string(prepare(image), lang=OCR_LANG, config="--oem 1 --psm 3")
    return text
