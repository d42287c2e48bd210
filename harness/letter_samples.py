"""Sample letters rendered at test/bench time: PDFs (fpdf2), photos (Pillow) and QR codes."""

from __future__ import annotations

import io
import random
import textwrap
from datetime import datetime, timezone
from pathlib import Path

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
FIXED_TIME = datetime(2023, 2, 28, 8, 0, tzinfo=timezone.utc)


def letter_lines(
    number: str, subject: str, date_text: str = "28 Februari 2023", body: tuple[str, ...] = ()
) -> list[str]:
    """The text of a DJPK-style letter, one printed line per item."""
    lines = [
        "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA",
        "DIREKTORAT JENDERAL PERIMBANGAN KEUANGAN",
        "Gedung Radius Prawiro, Jl. Dr. Wahidin Raya No. 1, Jakarta Pusat 10710",
        "",
        f"Nomor  : {number}",
        "Sifat  : Segera",
        f"Hal    : {subject}",
        "",
        "Yth. Kepala Badan Pengelola Keuangan dan Aset Daerah",
        "di seluruh Indonesia",
        "",
    ]
    for paragraph in body or (
        "Sehubungan dengan pelaksanaan kebijakan transfer ke daerah, bersama ini kami sampaikan "
        "hal tersebut di atas untuk menjadi perhatian Saudara.",
        "Informasi lebih lanjut dapat diperoleh melalui WhatsApp 0811-150420-7 atau e-mail "
        "callcenter.djpk@kemenkeu.go.id.",
    ):
        lines += textwrap.wrap(paragraph, 64) + [""]
    lines += [f"Jakarta, {date_text}", "Direktur Jenderal Perimbangan Keuangan"]
    return lines


def render_pdf(lines: list[str], path: Path) -> Path:
    """A one-page text PDF with fixed metadata (same lines -> same bytes)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_producer("djpk-tests")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.cell(
            0, 6, line.encode("latin-1", "replace").decode("latin-1"), new_x="LMARGIN", new_y="NEXT"
        )
    Path(path).write_bytes(bytes(pdf.output()))
    return Path(path)


def _font(size: int):
    from PIL import ImageFont

    for candidate in FONT_PATHS:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def render_image(
    lines: list[str],
    *,
    width: int = 1240,
    font_size: int = 26,
    photo: bool = False,
    seed: int = 0,
    qr: str | None = None,
):
    """A page image of the lines; photo=True adds tilt, blur, noise and grey paper."""
    from PIL import Image, ImageDraw, ImageFilter

    font = _font(font_size)
    step = int(font_size * 1.45)
    height = 140 + step * len(lines) + (260 if qr else 0)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    for index, line in enumerate(lines):
        draw.text((90, 80 + index * step), line, fill=0, font=font)
    if qr:
        page.paste(qr_image(qr, box=6), (width - 330, height - 300))
    if not photo:
        return page.convert("RGB")
    rng = random.Random(seed)
    page = page.point(lambda p: 70 + int(p * 0.68))
    page = page.rotate(rng.uniform(-1.5, 1.5), expand=True, fillcolor=110)
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))
    noise = Image.effect_noise(page.size, 18)
    page = Image.blend(page, noise, 0.08)
    return page.convert("RGB")


def qr_image(payload: str, box: int = 8):
    """A QR code of the payload as a Pillow image."""
    import qrcode

    code = qrcode.QRCode(border=2, box_size=box)
    code.add_data(payload)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("L")


def image_bytes(image, fmt: str = "JPEG", quality: int = 85) -> bytes:
    """Encode a Pillow image (JPEG like a phone photo, or PNG)."""
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=quality) if fmt == "JPEG" else image.save(buffer, fmt)
    return buffer.getvalue()
