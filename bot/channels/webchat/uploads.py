"""Letter uploads from the web chat: PDF, JPEG or PNG up to the upload limit, by magic bytes."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from bot.letters.limits import Refusal, UploadLimits, refusal_text

MAX_BYTES = UploadLimits().max_bytes  # default; DJPK_UPLOAD_MAX_MB sets it (one for both channels)
MULTIPART_SLACK = 64 * 1024
SIGNATURES = (("pdf", b"%PDF-"), ("jpg", b"\xff\xd8\xff"), ("png", b"\x89PNG\r\n\x1a\n"))
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
INTENT = "share_document"

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


def sniff(data: bytes) -> str | None:
    """The file kind by its first bytes: 'pdf', 'jpg', 'png', or None."""
    for kind, magic in SIGNATURES:
        if data.startswith(magic):
            return kind
    return None


def clean_name(filename: str) -> str:
    """The user's file name, cut to 100 characters and stripped of path and odd characters."""
    base = os.path.basename(filename.replace("\\", "/"))
    return _UNSAFE_NAME.sub("_", base).strip()[:100] or "dokumen"


@dataclass(frozen=True)
class StoredUpload:
    """A stored upload: where it is and what it was."""

    path: Path
    sha256: str
    kind: str
    size: int
    filename: str

    @property
    def message_text(self) -> str:
        """The payload that hands the document to the bot's `share_document` intent."""
        return f"/{INTENT}" + json.dumps({"document_path": str(self.path)})

    @property
    def metadata(self) -> dict[str, object]:
        """What the tracker records about the upload (the same keys as the WhatsApp channel)."""
        return {
            "document_path": str(self.path),
            "mime_type": CONTENT_TYPES[self.kind],
            "filename": self.filename,
            "sha256": self.sha256,
            "size": self.size,
        }


class UploadStore:
    """Checks uploads and keeps them as <sha256>.<ext> in one folder."""

    def __init__(self, directory: Path, max_bytes: int = MAX_BYTES) -> None:
        self.directory = Path(directory)
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
        kind = self.check(data)
        digest = hashlib.sha256(data).hexdigest()
        self.directory.mkdir(parents=True, exist_ok=True)
        path = (self.directory / f"{digest}.{kind}").resolve()
        if not path.exists():
            draft = path.with_name(f".{digest}.{os.getpid()}.tmp")
            draft.write_bytes(data)
            os.replace(draft, path)
        return StoredUpload(path, digest, kind, len(data), clean_name(filename))
