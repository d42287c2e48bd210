"""One upload home: the sniffing table, upload ids, the folder check, two stores on one folder."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.uploads import (
    SIGNATURES,
    NotAccepted,
    UploadStore,
    parse_id,
    share_message,
    signature_of,
    sniff,
    upload_dir,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
DIGEST = "a" * 64


@pytest.mark.parametrize(
    ("data", "stored", "readable"),
    [
        (PDF, "pdf", "pdf"),
        (JPEG, "jpg", "jpg"),
        (PNG, "png", "png"),
        (b"\xef\xbb\xbf\r\n%PDF-1.4", None, "pdf"),  # a BOM first: readable, not stored
        (b"II*\x00\x08\x00", None, "tif"),
        (b"MM\x00*\x00\x08", None, "tif"),
        (b"GIF89a", None, "gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", None, "webp"),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", None, None),
        (b"PK\x03\x04%PDF-1.7", None, None),  # a ZIP holding a PDF is not a PDF
        (b"\x89PNG", None, None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None, None),
        (b"", None, None),
    ],
)
def test_one_table_sniffs_for_storing_and_for_reading(data, stored, readable) -> None:
    assert sniff(data) == stored
    lenient = signature_of(data, accepted_only=False, lenient=True)
    assert (lenient.kind if lenient else None) == readable


def test_the_table_names_each_kind_once_and_stores_only_pdf_jpeg_png() -> None:
    kinds = [s.kind for s in SIGNATURES]
    assert len(kinds) == len(set(kinds))
    assert [s.kind for s in SIGNATURES if s.accepted] == ["pdf", "jpg", "png"]


@pytest.mark.parametrize(
    "value",
    [
        f"{DIGEST}.pdf",
        f"{DIGEST}.jpg",
        f"{DIGEST}.png",
    ],
)
def test_an_upload_id_is_a_sha256_and_a_stored_kind(value: str) -> None:
    assert parse_id(value) == value


@pytest.mark.parametrize(
    "value",
    [
        f"{DIGEST}.gif",  # readable, never stored
        f"{DIGEST}.PDF",
        f"{'A' * 64}.pdf",
        f"{DIGEST[:63]}.pdf",
        f"{DIGEST}a.pdf",
        f"{DIGEST}.pdf\n",
        f"../{DIGEST}.pdf",
        f"/var/uploads/{DIGEST}.pdf",
        f".{DIGEST}.pdf",
        "/etc/passwd",
        "",
        None,
        42,
    ],
)
def test_anything_else_is_not_an_upload_id(value: object) -> None:
    assert parse_id(value) is None
    assert UploadStore(Path("/nonexistent")).path_of(value) is None
    if isinstance(value, str):
        with pytest.raises(ValueError):
            share_message(value)


def test_the_share_message_carries_the_id_under_the_domain_entity() -> None:
    intent, _, entities = share_message(f"{DIGEST}.pdf").partition("{")
    assert intent == "/share_document"
    assert json.loads("{" + entities) == {"document_path": f"{DIGEST}.pdf"}


def test_save_stores_by_hash_atomically_and_once(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    first, again = store.save(PDF), store.save(PDF)
    assert first == again and first.id == f"{hashlib.sha256(PDF).hexdigest()}.pdf"
    assert first.path == (tmp_path / "uploads" / first.id).resolve()
    assert first.path.read_bytes() == PDF and first.size == len(PDF)
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == [first.id]  # no draft left
    assert first.mime_type == "application/pdf" and first.message_text == share_message(first.id)
    with pytest.raises(NotAccepted):
        store.save(b"PK\x03\x04 a renamed zip")
    assert len(list((tmp_path / "uploads").iterdir())) == 1


def test_two_stores_on_one_folder_agree(tmp_path: Path) -> None:
    """One server stores, another (through its own path to the folder) finds it by id."""
    (tmp_path / "shared").mkdir()
    os.symlink(tmp_path / "shared", tmp_path / "mount")
    writer, reader = UploadStore(tmp_path / "shared"), UploadStore(tmp_path / "mount")
    saved = writer.save(JPEG)
    found = reader.path_of(saved.id)
    assert found is not None and found.read_bytes() == JPEG
    assert reader.resolve(saved.id) == found
    assert reader.save(JPEG).id == saved.id
    assert sorted(p.name for p, _ in reader.files()) == [saved.id]
    assert reader.path_of(f"{hashlib.sha256(PNG).hexdigest()}.png") is None  # not stored


def test_an_old_path_is_accepted_only_inside_the_folder(tmp_path: Path) -> None:
    store = UploadStore(tmp_path / "uploads")
    saved = store.save(PNG)
    assert store.resolve(str(saved.path)) == saved.path
    assert store.resolve(str(tmp_path / "uploads" / ".." / "uploads" / saved.id)) == saved.path
    outside = tmp_path / saved.id
    outside.write_bytes(PNG)
    (tmp_path / "uploads" / "sub").mkdir()
    (tmp_path / "uploads" / "sub" / saved.id).write_bytes(PNG)
    (tmp_path / "uploads" / "notes.pdf").write_bytes(PDF)
    os.symlink("/etc/passwd", tmp_path / "uploads" / f"{DIGEST}.png")
    for reference in (
        str(outside),
        str(tmp_path / "uploads" / "sub" / saved.id),
        str(tmp_path / "uploads" / "notes.pdf"),  # inside, but not named by an id
        str(tmp_path / "uploads" / f"{DIGEST}.png"),  # a link out of the folder
        f"{DIGEST}.png",
        "/etc/passwd",
        "",
    ):
        assert store.resolve(reference) is None, reference


def test_files_lists_uploads_and_drafts_but_no_links(tmp_path: Path) -> None:
    store = UploadStore(tmp_path)
    assert list(UploadStore(tmp_path / "missing").files()) == []
    saved = store.save(PDF)
    (tmp_path / f".{DIGEST}.x1.tmp").write_bytes(b"half")
    os.symlink(saved.path, tmp_path / "link.pdf")
    (tmp_path / "folder").mkdir()
    assert sorted((p.name, d) for p, d in store.files()) == [
        (f".{DIGEST}.x1.tmp", True),
        (saved.id, False),
    ]


def test_the_folder_follows_the_var_dir(tmp_path: Path) -> None:
    settings = Settings.from_env({"DJPK_VAR_DIR": str(tmp_path)})
    assert upload_dir(settings) == tmp_path / "uploads"
    assert UploadStore.from_settings(settings).directory == tmp_path / "uploads"


def test_hosts_with_their_own_var_dir_share_uploads_through_djpk_upload_dir(
    tmp_path: Path,
) -> None:
    """Two hosts: each its own var/, one shared uploads folder. A letter stored by the host that
    took the web chat upload is found by the other host's action server from its id alone."""
    shared = tmp_path / "nfs" / "uploads"
    one = Settings.from_env({"DJPK_VAR_DIR": str(tmp_path / "h1"), "DJPK_UPLOAD_DIR": str(shared)})
    two = Settings.from_env({"DJPK_VAR_DIR": str(tmp_path / "h2"), "DJPK_UPLOAD_DIR": str(shared)})
    saved = UploadStore.from_settings(one).save(b"%PDF-1.4\n% surat undangan\n")
    found = UploadStore.from_settings(two).resolve(saved.id)
    assert found is not None and found.read_bytes().startswith(b"%PDF-1.4")
    alone = Settings.from_env({"DJPK_VAR_DIR": str(tmp_path / "h3")})
    assert UploadStore.from_settings(alone).resolve(saved.id) is None
