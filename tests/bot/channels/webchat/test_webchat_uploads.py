"""Web chat upload checks: 10 MB limit, empty and wrong files, storage through bot.uploads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.channels.webchat.uploads import (
    MAX_BYTES,
    StoredUpload,
    UploadRejected,
    UploadStore,
    clean_name,
)
from bot.uploads import Upload

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


def test_save_stores_by_hash_once(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    first = store.save(PDF, "Surat Undangan.pdf")
    again = store.save(PDF, "lagi.pdf")
    assert first.path == again.path and first.path.read_bytes() == PDF
    assert first.path.name == f"{first.sha256}.pdf"
    assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == [first.path.name]


@pytest.mark.parametrize(
    ("data", "status"),
    [(b"", 400), (b"hello", 415), (PDF.ljust(MAX_BYTES + 1), 413)],
    ids=["empty", "not-a-document", "over-10-mb"],
)
def test_save_refuses(tmp_path: Path, data: bytes, status: int) -> None:
    with pytest.raises(UploadRejected) as refused:
        UploadStore(tmp_path).save(data)
    assert refused.value.status == status
    assert not list(tmp_path.iterdir())


def test_limit_is_inclusive(tmp_path: Path) -> None:
    assert UploadStore(tmp_path).save(PDF.ljust(MAX_BYTES)).size == MAX_BYTES


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\surat.pdf", "surat.pdf"),
        ("", "dokumen"),
        ("<script>.pdf", "_script_.pdf"),
        ("a" * 300, "a" * 100),
    ],
)
def test_clean_name(name: str, clean: str) -> None:
    assert clean_name(name) == clean


def test_message_text_is_the_share_document_payload_by_upload_id(tmp_path: Path) -> None:
    digest = "ab" * 32
    stored = StoredUpload(Upload(tmp_path / f"{digest}.pdf", digest, "pdf", 3), "s.pdf")
    intent, _, entities = stored.message_text.partition("{")
    assert intent == "/share_document"
    assert json.loads("{" + entities) == {"document_path": f"{digest}.pdf"}
    assert stored.metadata == {
        "document_path": str(tmp_path / f"{digest}.pdf"),
        "upload_id": f"{digest}.pdf",
        "mime_type": "application/pdf",
        "filename": "s.pdf",
        "sha256": digest,
        "size": 3,
    }


def test_one_size_limit_from_settings_for_both_channels(tmp_path: Path, monkeypatch) -> None:
    from bot.channels.media import MediaFetcher
    from bot.channels.webchat.routes import PageRoutes
    from bot.settings import Settings

    monkeypatch.setenv("DJPK_UPLOAD_MAX_MB", "2")
    settings = Settings.from_env({"DJPK_UPLOAD_MAX_MB": "2", "DJPK_VAR_DIR": str(tmp_path)})
    routes = PageRoutes(settings, lambda _: None, lambda: None, on_new_message=None)
    assert routes.store.max_bytes == MediaFetcher(None, tmp_path).max_bytes == 2 * 1024 * 1024
    with pytest.raises(UploadRejected) as refused:
        routes.store.save(PDF.ljust(2 * 1024 * 1024 + 1))
    assert refused.value.status == 413
    assert (
        refused.value.message.startswith("Mohon maaf Bapak/Ibu") and "2 MB" in refused.value.message
    )
    assert MediaFetcher(None, tmp_path, max_bytes=5).max_bytes == 5
    with pytest.raises(UploadRejected) as wrong:
        routes.store.save(b"PK\x03\x04 a renamed zip")
    assert wrong.value.status == 415 and "PDF, JPG, atau PNG" in wrong.value.message
    assert "MB" not in wrong.value.message
