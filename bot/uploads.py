"""One home for uploaded files: sniffing by magic bytes, storage by content hash, the share message.

Both channels (WhatsApp media, web chat uploads) store a user's file here as `<sha256>.<ext>` in
one folder (`DJPK_UPLOAD_DIR`, default `var/uploads` under `DJPK_VAR_DIR`) and hand it to the bot as
`/share_document{"document_path": "<upload id>"}`. The upload id is the file's name (its hash and
extension), never a path: the action server finds the file through `UploadStore.resolve`, so two
servers on two hosts that share the folder agree on every upload. The entity keeps its old name
(`document_path`): the domain and the trained model know it by that name.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.settings import Settings

INTENT = "share_document"
ENTITY = "document_path"  # the domain's entity; its value is an upload id (or, before, a path)
FOLDER = "uploads"
DRAFT_PREFIX = "."  # a half-written file: .<sha256>.<random>.tmp (bot.maintenance prunes it)
_PDF_PREAMBLE = b"\xef\xbb\xbf \t\r\n\x00"  # what a lenient reader skips before %PDF-
_LENIENT_WINDOW = 1024


@dataclass(frozen=True)
class Signature:
    """One file type recognised by its first bytes."""

    kind: str  # the file extension
    mime: str
    family: str  # "pdf" or "image"
    magic: tuple[bytes, ...]  # any of these at the start
    also: tuple[int, bytes] | None = None  # and these bytes at that offset
    preamble: bytes = b""  # bytes a lenient reader skips before the magic
    accepted: bool = False  # a channel stores it as an upload

    def matches(self, data: bytes, lenient: bool = False) -> bool:
        """True when the bytes start like this type."""
        head = data
        if lenient and self.preamble:
            head = data[:_LENIENT_WINDOW].lstrip(self.preamble)
        if not head.startswith(self.magic):
            return False
        if self.also is None:
            return True
        offset, value = self.also
        return head[offset : offset + len(value)] == value


SIGNATURES = (
    Signature("pdf", "application/pdf", "pdf", (b"%PDF-",), preamble=_PDF_PREAMBLE, accepted=True),
    Signature("jpg", "image/jpeg", "image", (b"\xff\xd8\xff",), accepted=True),
    Signature("png", "image/png", "image", (b"\x89PNG\r\n\x1a\n",), accepted=True),
    Signature("tif", "image/tiff", "image", (b"II*\x00", b"MM\x00*")),
    Signature("gif", "image/gif", "image", (b"GIF8",)),
    Signature("webp", "image/webp", "image", (b"RIFF",), also=(8, b"WEBP")),
)
ACCEPTED = tuple(s for s in SIGNATURES if s.accepted)
MIME_TYPES = {s.kind: s.mime for s in ACCEPTED}  # kind -> MIME type
EXTENSIONS = {s.mime: s.kind for s in ACCEPTED}  # MIME type -> kind
_KINDS = "|".join(re.escape(s.kind) for s in ACCEPTED)
_ID = re.compile(rf"[0-9a-f]{{64}}\.(?:{_KINDS})")


def signature_of(
    data: bytes, accepted_only: bool = True, lenient: bool = False
) -> Signature | None:
    """The type of the bytes, from the table (only stored types unless `accepted_only` is False).

    `lenient` lets a PDF start after a BOM or whitespace (what PDF readers accept); uploads are
    judged strictly.
    """
    for signature in ACCEPTED if accepted_only else SIGNATURES:
        if signature.matches(data, lenient):
            return signature
    return None


def sniff(data: bytes) -> str | None:
    """The kind of an acceptable upload by its first bytes: 'pdf', 'jpg', 'png', or None."""
    signature = signature_of(data)
    return signature.kind if signature else None


def parse_id(value: object) -> str | None:
    """The upload id when `value` is one (64 lowercase hex digits, a dot, a stored kind)."""
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def share_message(upload_id: str) -> str:
    """The payload that hands an upload to the bot's `share_document` intent."""
    if parse_id(upload_id) is None:
        raise ValueError(f"not an upload id: {upload_id!r}")
    return f"/{INTENT}" + json.dumps({ENTITY: upload_id})


class NotAccepted(ValueError):
    """The bytes are not a type that is stored (PDF, JPEG, PNG)."""


@dataclass(frozen=True)
class Upload:
    """A stored upload: its file, hash, kind and size."""

    path: Path
    sha256: str
    kind: str
    size: int

    @property
    def id(self) -> str:
        """The name other servers find the file by."""
        return f"{self.sha256}.{self.kind}"

    @property
    def mime_type(self) -> str:
        """The MIME type of its kind."""
        return MIME_TYPES[self.kind]

    @property
    def message_text(self) -> str:
        """The `/share_document` payload carrying this upload's id."""
        return share_message(self.id)

    def metadata(self, filename: str) -> dict[str, object]:
        """What the tracker records about the upload (the same keys for both channels)."""
        return {
            "document_path": str(self.path),  # read by people and older tools; actions use the id
            "upload_id": self.id,
            "mime_type": self.mime_type,
            "filename": filename,
            "sha256": self.sha256,
            "size": self.size,
        }


def upload_dir(settings: Settings) -> Path:
    """The uploads folder of these settings: `DJPK_UPLOAD_DIR`, else `<DJPK_VAR_DIR>/uploads`.

    On several hosts it must be one folder they all mount: a web chat upload lands on the host
    that took the HTTP request, and the message naming it may reach another host's action server."""
    return Path(settings.upload_dir) if settings.upload_dir else Path(settings.var_dir) / FOLDER


class UploadStore:
    """Keeps uploads as <sha256>.<ext> in one folder and finds them again by id."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadStore:
        """The store on the configured folder."""
        return cls(upload_dir(settings))

    def save(self, data: bytes) -> Upload:
        """Store the bytes atomically (the same content lands in the same file); NotAccepted."""
        kind = sniff(data)
        if kind is None:
            raise NotAccepted("not a PDF, JPEG or PNG file")
        digest = hashlib.sha256(data).hexdigest()
        self.directory.mkdir(parents=True, exist_ok=True)
        path = (self.directory / f"{digest}.{kind}").resolve()
        if not path.exists():
            _write_atomically(path, digest, data)
        return Upload(path, digest, kind, len(data))

    def path_of(self, upload_id: object) -> Path | None:
        """The stored file of a valid upload id, or None (a bad id, a missing file)."""
        valid = parse_id(upload_id)
        if valid is None:
            return None
        folder = self.directory.resolve()
        path = (folder / valid).resolve()
        return path if path.parent == folder and path.is_file() else None

    def resolve(self, reference: object) -> Path | None:
        """The file an upload id names, or a path recorded before ids (only inside the folder)."""
        if not isinstance(reference, str) or not reference:
            return None
        if parse_id(reference) is not None:
            return self.path_of(reference)
        try:
            path = Path(reference).resolve()
        except (OSError, ValueError, RuntimeError):
            return None
        if path.parent != self.directory.resolve():
            return None
        return self.path_of(path.name)

    def files(self) -> Iterator[tuple[Path, bool]]:
        """Every regular file in the folder (symlinks skipped), with True for a draft."""
        if not self.directory.is_dir():
            return
        for path in self.directory.iterdir():
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.name.startswith(DRAFT_PREFIX)


def _write_atomically(path: Path, digest: str, data: bytes) -> None:
    """Write a draft next to the file, then rename it into place (readers never see half)."""
    descriptor, draft = tempfile.mkstemp(
        dir=path.parent, prefix=f"{DRAFT_PREFIX}{digest}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(draft, 0o644)
        os.replace(draft, path)
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise
