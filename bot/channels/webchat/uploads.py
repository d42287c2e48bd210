"""Letter uploads from the web chat: the HTTP upload's limits and refusals, over `bot.uploads`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from bot.letters.limits import Refusal, UploadLimits, refusal_text
from bot.uploads import Upload, sniff
from bot.uploads import UploadStore as Folder

MAX_BYTES = UploadLimits().max_bytes  # default; DJPK_UPLOAD_MAX_MB sets it (one for both channels)
MULTIPART_SLACK = 64 * 1024

TOO_LARGE = refusal_text(Refusal.SIZE, UploadLimits())
BAD_TYPE = refusal_text(Refusal.TYPE, UploadLimits())  # no size in it: the limit is a setting
EMPTY = "Berkas kosong atau tidak terbaca. Silakan pilih berkas PDF, JPG, atau PNG."
NO_SESSION = (
    "Sesi percakapan tidak dikenal. Muat ulang halaman, buka jendela chat, lalu unggah kembali."
)
BAD_ORIGIN = "Unggahan hanya dapat dilakukan dari halaman Live Chat DJPK."
_UNSAFE_NAME = re.compile(r"[^\w .()-]+")


def too_large(max_bytes: int) -> str:
    """The refusal of a file over `max_bytes`, naming the limit."""
    return refusal_text(Refusal.SIZE, UploadLimits(max_bytes=max_bytes))


class UploadRejected(Exception):
    """An upload refused with an HTTP status and a message for the user (in Indonesian)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def clean_name(filename: str) -> str:
    """The user's file name, cut to 100 characters and stripped of path and odd characters."""
    base = os.path.basename(filename.replace("\\", "/"))
    return _UNSAFE_NAME.sub("_", base).strip()[:100] or "dokumen"


@dataclass(frozen=True)
class StoredUpload:
    """A stored upload and the name the user gave it."""

    upload: Upload
    filename: str

    @property
    def path(self) -> Path:
        """Where the file is on this host."""
        return self.upload.path

    @property
    def sha256(self) -> str:
        """The content hash."""
        return self.upload.sha256

    @property
    def kind(self) -> str:
        """'pdf', 'jpg' or 'png'."""
        return self.upload.kind

    @property
    def size(self) -> int:
        """Bytes."""
        return self.upload.size

    @property
    def message_text(self) -> str:
        """The payload that hands the document (by upload id) to the `share_document` intent."""
        return self.upload.message_text

    @property
    def metadata(self) -> dict[str, object]:
        """What the tracker records about the upload (the same keys as the WhatsApp channel)."""
        return self.upload.metadata(self.filename)


class UploadStore:
    """Checks web chat uploads (size, emptiness, type) and keeps them in the uploads folder."""

    def __init__(self, directory: Path, max_bytes: int = MAX_BYTES) -> None:
        self.folder = Folder(directory)
        self.directory = self.folder.directory
        self.max_bytes = max_bytes

    def check(self, data: bytes) -> str:
        """The kind of an acceptable upload; UploadRejected (413/415/400) otherwise."""
        if len(data) > self.max_bytes:
            raise UploadRejected(413, too_large(self.max_bytes))
        if not data:
            raise UploadRejected(400, EMPTY)
        kind = sniff(data)
        if kind is None:
            raise UploadRejected(415, BAD_TYPE)
        return kind

    def save(self, data: bytes, filename: str = "") -> StoredUpload:
        """Check and store the bytes (idempotent: the same content lands in the same file)."""
        self.check(data)
        return StoredUpload(self.folder.save(data), clean_name(filename))
