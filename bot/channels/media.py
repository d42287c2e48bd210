"""Fetching a user's document or photo from the Cloud API into the uploads folder, within limits."""

from __future__ import annotations

import asyncio
import logging
from enum import Enum
from pathlib import Path

from bot.channels.graph_api import GraphClient, GraphError, TooLarge
from bot.letters.limits import UploadLimits
from bot.settings import Settings
from bot.uploads import EXTENSIONS, Upload, UploadStore, sniff

logger = logging.getLogger(__name__)

MAX_BYTES = UploadLimits().max_bytes  # default; DJPK_UPLOAD_MAX_MB sets it (one for both channels)


class Rejection(str, Enum):
    """Why a file was not handed to the bot."""

    TYPE = "type"
    SIZE = "size"
    DOWNLOAD = "download"


class MediaRejected(Exception):
    """The file is refused; `reason` selects the message the user gets."""

    def __init__(self, reason: Rejection, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}")
        self.reason = reason


def _mime(value: str) -> str:
    return value.split(";")[0].strip().lower()


class MediaFetcher:
    """GET /{media-id}, download with the bearer token, check type and size, save by hash."""

    def __init__(self, client: GraphClient, upload_dir: Path, max_bytes: int | None = None) -> None:
        self.client = client
        self.upload_dir = upload_dir
        self.store = UploadStore(upload_dir)
        if max_bytes is None:  # the limit the web chat uses too
            max_bytes = UploadLimits.from_settings(Settings.from_env()).max_bytes
        self.max_bytes = max_bytes

    async def fetch(self, media_id: str, declared_mime: str) -> Upload:
        """Download one media object or raise MediaRejected."""
        mime = _mime(declared_mime)
        if mime not in EXTENSIONS:
            raise MediaRejected(Rejection.TYPE, mime)
        try:
            info = await self.client.media_info(media_id)
            if info.file_size is not None and info.file_size > self.max_bytes:
                raise MediaRejected(Rejection.SIZE, f"{info.file_size} bytes")
            mime = _mime(info.mime_type) or mime
            if mime not in EXTENSIONS:
                raise MediaRejected(Rejection.TYPE, mime)
            data = await self.client.download(info.url, self.max_bytes)
        except TooLarge as exc:
            raise MediaRejected(Rejection.SIZE, str(exc)) from exc
        except GraphError as exc:
            raise MediaRejected(Rejection.DOWNLOAD, str(exc)) from exc
        extension = EXTENSIONS[mime]
        if sniff(data) != extension:
            raise MediaRejected(Rejection.TYPE, f"content is not {extension}")
        saved = await asyncio.to_thread(self.store.save, data)
        logger.info("Saved WhatsApp media %s (%d bytes) as %s", media_id, len(data), saved.id)
        return saved
