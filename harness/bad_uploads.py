"""Hostile uploads written at test time (nothing binary is committed): also used by bench/uploads.

- a PDF of thousands of tiny images (each its own XObject, as a scanner-made PDF would be);
- a 20,000 x 20,000 PNG, a real decodable file of about 60 KB (1-bit, zlib of blank rows);
- a ZIP renamed to .pdf; a PDF with too many pages; a file over the size limit.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def many_images_pdf(count: int = 4500, side: int = 4, subtype: bytes = b"/Image") -> bytes:
    """One page drawing `count` distinct side x side grey images (`subtype` may be spelled with
    PDF name escapes, b"/Im#61ge", which a byte search does not see but a parser reads)."""
    objects: list[bytes] = []
    first_image = 5
    names = " ".join(f"/I{i} {first_image + i} 0 R" for i in range(count))
    draws = "".join(
        f"q 6 0 0 6 {(i % 90) * 6} {(i // 90) * 6} cm /I{i} Do Q\n" for i in range(count)
    ).encode()
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    objects.append(
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R "
        b"/Resources << /XObject << " + names.encode() + b" >> >> >>"
    )
    objects.append(b"<< /Length %d >>\nstream\n" % len(draws) + draws + b"\nendstream")
    for i in range(count):
        pixels = bytes((i * 7 + j) % 256 for j in range(side * side))
        objects.append(
            b"<< /Type /XObject /Subtype %s /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n"
            % (subtype, side, side, len(pixels))
            + pixels
            + b"\nendstream"
        )
    return _pdf(objects)


def _pdf(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def huge_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit greyscale PNG of width x height white pixels, compressed row by row."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row) for _ in range(height)]
    parts.append(packer.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def renamed_zip() -> bytes:
    """A ZIP archive (what a user might rename to surat.pdf)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("surat.pdf", b"%PDF-1.4 inside a zip")
    return out.getvalue()


def long_pdf(pages: int = 25) -> bytes:
    """A PDF of `pages` blank pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def oversize_pdf(size: int) -> bytes:
    """`size` bytes that start like a PDF."""
    head = b"%PDF-1.4\n"
    return head + b"0" * (size - len(head))
