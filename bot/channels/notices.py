"""The channel's own short Indonesian replies (the bot's domain never sees these inputs)."""

from __future__ import annotations

from dataclasses import replace

from bot.channels.inbound import Kind
from bot.channels.media import Rejection
from bot.letters.limits import UploadLimits
from bot.settings import Settings

CAN_READ = "Saya dapat membaca pesan teks, berkas PDF, dan foto surat (JPG/PNG)."

_WHAT = {
    Kind.AUDIO: "pesan suara",
    Kind.VIDEO: "video",
    Kind.STICKER: "stiker",
    Kind.LOCATION: "lokasi",
    Kind.CONTACTS: "kartu kontak",
    Kind.REACTION: "reaksi",
}

_REFUSED = {
    Rejection.TYPE: (
        "Maaf, jenis berkas ini belum dapat kami periksa. Silakan kirim surat dalam bentuk "
        "PDF atau foto (JPG/PNG)."
    ),
    Rejection.SIZE: (
        "Maaf, ukuran berkas melebihi batas {limit}. Silakan kirim berkas yang lebih kecil, "
        "misalnya foto halaman surat atau PDF yang dikompresi."
    ),
    Rejection.DOWNLOAD: "Maaf, berkas Anda gagal kami terima. Silakan coba kirim ulang.",
}


def unsupported(kind: Kind) -> str:
    """The reply to a message type the bot cannot read."""
    what = _WHAT.get(kind)
    if what is None:
        return f"Maaf, jenis pesan ini belum dapat saya proses. {CAN_READ}"
    return f"Maaf, saya belum dapat memproses {what}. {CAN_READ}"


def refused(reason: Rejection, max_bytes: int | None = None) -> str:
    """The reply to a document or photo that was not accepted; the size refusal names the limit
    (`max_bytes`, by default the one DJPK_UPLOAD_MAX_MB sets for both channels)."""
    limits = UploadLimits.from_settings(Settings.from_env())
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    return _REFUSED[reason].format(limit=limits.megabytes)
