"""The page, static files and the letter upload over real HTTP."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest
import requests

from bot.uploads import UploadStore
from harness.chat_client import ChatClient
from tests.bot.channels.webchat.conftest import ALLOWED_ORIGIN, ROOT, EchoServer

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
MAX = 10 * 1024 * 1024


def upload(server: EchoServer, session_id: str | None, data: bytes, name: str, **headers: str):
    """POST /webchat/upload as the page does (multipart: session_id and file)."""
    form = {"session_id": session_id} if session_id else {}
    files = {"file": (name, data, "application/octet-stream")}
    return requests.post(
        f"{server.url}/webchat/upload", data=form, files=files, headers=headers, timeout=30
    )


def test_browsers_get_the_page_at_root_and_other_clients_keep_rasas_hello(
    echo_server: EchoServer,
) -> None:
    page = requests.get(f"{echo_server.url}/", headers={"Accept": "text/html"}, timeout=5)
    assert page.status_code == 200 and "<title>Live Chat DJPK</title>" in page.text
    for contact in ("0811-150420-7", "150420", "callcenter.djpk@kemenkeu.go.id"):
        assert contact in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert requests.get(f"{echo_server.url}/", timeout=5).text.startswith("Hello from Rasa")
    assert requests.get(f"{echo_server.url}/webchat/?delay=0", timeout=5).status_code == 200


@pytest.mark.parametrize("name", ["app.js", "style.css", "djpk-mark.svg"])
def test_static_assets_are_served(echo_server: EchoServer, name: str) -> None:
    answer = requests.get(f"{echo_server.url}/webchat/static/{name}", timeout=5)
    assert answer.status_code == 200 and answer.headers["X-Content-Type-Options"] == "nosniff"


def test_widget_comes_from_node_modules(echo_server: EchoServer) -> None:
    bundle = ROOT / "web/node_modules/rasa-webchat/lib/index.js"
    if not bundle.exists():
        pytest.skip("rasa-webchat is not installed: run `npm ci --prefix web`")
    answer = requests.get(f"{echo_server.url}/webchat/static/rasa-webchat.js", timeout=5)
    assert answer.status_code == 200 and answer.content == bundle.read_bytes()


@pytest.mark.parametrize("name", ["..%2Fpackage.json", ".hidden", "%2E%2E%2Findex.html", "x%00"])
def test_static_refuses_other_paths(echo_server: EchoServer, name: str) -> None:
    answer = requests.get(f"{echo_server.url}/webchat/static/{name}", timeout=5)
    assert answer.status_code == 404


async def test_upload_reaches_the_conversation_as_share_document(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url).connect()
    session_id = await client.start()
    answer = await asyncio.to_thread(upload, echo_server, session_id, PDF, "surat.pdf")
    assert answer.status_code == 202, answer.text
    assert "diterima" in answer.json()["message"]
    await client.wait_replies(1)
    echo = client.echoes()[0]
    intent, _, entities = echo["text"].partition("{")
    upload_id = json.loads("{" + entities)["document_path"]
    assert intent == "/share_document"
    assert upload_id == f"{hashlib.sha256(PDF).hexdigest()}.pdf"  # an id, not a path
    path = UploadStore(echo_server.var_dir / "uploads").path_of(upload_id)
    assert path is not None and path.read_bytes() == PDF
    assert echo["metadata"]["upload_id"] == upload_id
    assert echo["metadata"]["document_path"] == str(path)
    assert echo["metadata"]["filename"] == "surat.pdf"
    assert echo["metadata"]["mime_type"] == "application/pdf"
    await client.close()


@pytest.mark.parametrize(
    ("data", "name", "suffix"),
    [(JPEG, "foto.jpg", ".jpg"), (PNG, "foto.png", ".png"), (PNG, "ternyata.pdf", ".png")],
)
async def test_photos_are_judged_by_their_bytes(
    echo_server: EchoServer, data: bytes, name: str, suffix: str
) -> None:
    client = await ChatClient(echo_server.url).connect()
    answer = await asyncio.to_thread(upload, echo_server, await client.start(), data, name)
    assert answer.status_code == 202
    await client.wait_replies(1)
    assert client.echoes()[0]["text"].endswith(suffix + '"}')
    await client.close()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "surat.pdf"),
        (b"MZ\x90\x00 executable", "surat.jpg"),
        (b"GIF89a....", "surat.gif"),
        (b"PK\x03\x04 docx", "surat.docx"),
        (b" %PDF-1.4 not at the start", "surat.pdf"),
    ],
)
async def test_other_types_are_refused_in_indonesian(
    echo_server: EchoServer, data: bytes, name: str
) -> None:
    client = await ChatClient(echo_server.url).connect()
    answer = await asyncio.to_thread(upload, echo_server, await client.start(), data, name)
    assert answer.status_code == 415
    assert "PDF, JPG, atau PNG" in answer.json()["message"]
    await asyncio.sleep(0.2)
    assert client.replies == []
    await client.close()


async def test_more_than_10_mb_is_refused(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url).connect()
    session_id = await client.start()
    exactly = await asyncio.to_thread(upload, echo_server, session_id, PDF.ljust(MAX), "a.pdf")
    assert exactly.status_code == 202
    over = await asyncio.to_thread(upload, echo_server, session_id, PDF.ljust(MAX + 1), "b.pdf")
    assert over.status_code == 413 and "10 MB" in over.json()["message"]
    huge = await asyncio.to_thread(upload, echo_server, session_id, PDF.ljust(3 * MAX), "c.pdf")
    assert huge.status_code == 413
    await client.close()


@pytest.mark.parametrize("session", [None, "", "forged.AAAA", "conversation-only"])
async def test_upload_needs_a_session_the_server_issued(
    echo_server: EchoServer, session: str | None
) -> None:
    victim = await ChatClient(echo_server.url).connect()
    victim_id = await victim.start()
    if session == "conversation-only":
        session = victim_id.partition(".")[0]
    answer = await asyncio.to_thread(upload, echo_server, session, PDF, "surat.pdf")
    assert answer.status_code == 403 and "Sesi percakapan" in answer.json()["message"]
    await asyncio.sleep(0.2)
    assert victim.replies == []
    await victim.close()


async def test_upload_from_a_foreign_page_is_refused(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url).connect()
    session_id = await client.start()
    foreign = await asyncio.to_thread(
        upload, echo_server, session_id, PDF, "a.pdf", Origin="http://evil.example"
    )
    assert foreign.status_code == 403
    allowed = await asyncio.to_thread(
        upload, echo_server, session_id, PDF, "a.pdf", Origin=ALLOWED_ORIGIN
    )
    assert allowed.status_code == 202
    await client.close()


async def test_upload_without_a_file_is_refused(echo_server: EchoServer) -> None:
    client = await ChatClient(echo_server.url).connect()
    form = {"session_id": await client.start()}
    answer = await asyncio.to_thread(
        requests.post, f"{echo_server.url}/webchat/upload", data=form, timeout=5
    )
    assert answer.status_code == 400 and "Berkas kosong" in answer.json()["message"]
    await client.close()
