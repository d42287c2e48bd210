"""Upload limits (size, pages, images, pixels, time, uploads per hour) and the polite refusals."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum

from bot.settings import Settings

MB = 1024 * 1024
_INSTEAD = "atau ketik nomor suratnya agar kami periksa"


class Refusal(str, Enum):
    """Why an uploaded letter was not read."""

    SIZE = "size"
    TYPE = "type"
    PAGES = "pages"
    IMAGES = "images"
    PIXELS = "pixels"
    TIMEOUT = "timeout"
    BUSY = "busy"
    RATE = "rate"
    FAILED = "failed"


@dataclass(frozen=True)
class UploadLimits:
    """What one uploaded document may cost; one set for WhatsApp and the web chat."""

    max_bytes: int = 10 * MB
    max_pages: int = 20
    max_images: int = 30
    max_pixels: int = 50_000_000
    timeout_s: float = 40.0
    per_hour: int = 10

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadLimits:
        """The limits configured in Settings (DJPK_UPLOAD_* variables)."""
        return cls(
            max_bytes=settings.upload_max_mb * MB,
            max_pages=settings.upload_max_pages,
            max_images=settings.upload_max_images,
            max_pixels=settings.upload_max_pixels,
            timeout_s=settings.upload_timeout_s,
            per_hour=settings.uploads_per_hour,
        )

    def as_dict(self) -> dict[str, float]:
        """Plain values, for the worker process."""
        return asdict(self)

    @property
    def megabytes(self) -> str:
        """The size limit as people read it ('10 MB', '2,5 MB')."""
        value = self.max_bytes / MB
        shown = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
        return f"{shown} MB"


def refusal_text(reason: Refusal, limits: UploadLimits, found: int | None = None) -> str:
    """One short formal Indonesian reply: what was refused and what to do instead."""
    counted = f" ({found})" if found else ""
    texts = {
        Refusal.SIZE: f"Mohon maaf Bapak/Ibu, ukuran berkas melebihi batas {limits.megabytes}. "
        f"Silakan kirim foto atau PDF halaman pertama surat saja, {_INSTEAD}.",
        Refusal.TYPE: "Mohon maaf Bapak/Ibu, jenis berkas ini tidak dapat kami periksa. "
        f"Silakan kirim surat dalam bentuk PDF, JPG, atau PNG, {_INSTEAD}.",
        Refusal.PAGES: f"Mohon maaf Bapak/Ibu, dokumen ini terlalu panjang{counted}; batasnya "
        f"{limits.max_pages} halaman. Silakan kirim halaman pertama surat saja (yang memuat "
        f"kop dan nomor surat), {_INSTEAD}.",
        Refusal.IMAGES: f"Mohon maaf Bapak/Ibu, dokumen ini memuat terlalu banyak gambar"
        f"{counted}; batasnya {limits.max_images}. Silakan kirim foto halaman pertama surat, "
        f"{_INSTEAD}.",
        Refusal.PIXELS: "Mohon maaf Bapak/Ibu, resolusi gambar terlalu besar untuk kami "
        f"periksa. Silakan kirim foto surat dengan ukuran biasa, {_INSTEAD}.",
        Refusal.TIMEOUT: "Mohon maaf Bapak/Ibu, pemeriksaan dokumen ini terlalu lama sehingga "
        f"kami hentikan. Silakan kirim halaman pertama surat saja, {_INSTEAD}, atau hubungi "
        "petugas kami.",
        Refusal.BUSY: "Mohon maaf Bapak/Ibu, layanan pemeriksaan dokumen sedang penuh. Silakan "
        f"kirim ulang beberapa menit lagi, {_INSTEAD}.",
        Refusal.RATE: f"Mohon maaf Bapak/Ibu, batas {limits.per_hour} dokumen per jam sudah "
        f"tercapai. Silakan coba lagi nanti, {_INSTEAD}, atau hubungi petugas kami.",
        Refusal.FAILED: "Mohon maaf Bapak/Ibu, dokumen ini tidak dapat kami baca. Silakan kirim "
        f"foto surat yang jelas atau PDF aslinya, {_INSTEAD}, atau hubungi petugas kami.",
    }
    return texts[reason]
