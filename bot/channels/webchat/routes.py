"""HTTP side of the web chat: the demo page, its static files and the letter upload."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rasa.core.channels.channel import OutputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.webchat import uploads
from bot.channels.webchat.uploads import UploadRejected, UploadStore
from bot.contacts import load_contacts, phone_digits
from bot.letters.limits import UploadLimits
from bot.settings import Settings
from bot.uploads import upload_dir

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[3] / "web"
WIDGET = Path("node_modules") / "rasa-webchat" / "lib" / "index.js"
TYPES = {
    ".js": "application/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; font-src 'self' data:; connect-src 'self' ws: wss:; "
    "object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")
ACCEPTED = "Dokumen diterima dan sedang diperiksa. Hasilnya akan muncul di jendela chat."


class OriginPolicy:
    """Allowed browser origins: the configured list plus the server's own pages."""

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.allowed = frozenset(origin.strip().rstrip("/").lower() for origin in allowed)

    def check(self, origin: str | None, host: str | None) -> bool:
        """True when there is no Origin (not a browser page) or it is allowed or same-origin."""
        if not origin:
            return True
        origin = origin.strip().rstrip("/").lower()
        if origin in self.allowed:
            return True
        if not host:
            return False
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc == host.lower()

    def allows(self, origin: str | None, environ: dict[str, Any] | None = None) -> bool:
        """python-socketio's `cors_allowed_origins` callable."""
        return self.check(origin, (environ or {}).get("HTTP_HOST"))

    def allows_request(self, request: Request) -> bool:
        """The same rule for a plain HTTP request."""
        return self.check(request.headers.get("origin"), request.headers.get("host"))


def _refuse(status: int, message: str) -> HTTPResponse:
    return response.json({"status": "refused", "message": message}, status=status)


class PageRoutes:
    """GET /webchat/ (and / for browsers), /webchat/static/<name>, POST /webchat/upload.

    It needs three things from the socket.io channel, given as values: the settings (origins,
    paths, limits), `conversation_of` (the conversation behind an issued session id, else None)
    and `output_channel` (where the bot's replies to an upload go).
    """

    def __init__(
        self,
        settings: Settings,
        conversation_of: Callable[[object], str | None],
        output_channel: Callable[[], OutputChannel | None],
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        input_channel: str = "socketio",
        web_dir: Path = WEB_DIR,
    ) -> None:
        self.settings = settings
        self.origins = OriginPolicy(settings.allowed_origins)
        self.conversation_of = conversation_of
        self.output_channel = output_channel
        self.on_new_message = on_new_message
        self.input_channel = input_channel
        self.web_dir = Path(web_dir)
        limit = UploadLimits.from_settings(settings).max_bytes
        self.store = UploadStore(upload_dir(settings), limit)
        self.tasks: set[asyncio.Task] = set()

    def mount(self, app: Sanic) -> None:
        """Add the routes under /webchat and the middleware that answers browsers at /."""
        pages = Blueprint("webchat_page", url_prefix="/webchat")

        @pages.get("/")
        async def page(request: Request) -> HTTPResponse:
            return await self.page(request)

        @pages.get("/static/<name>")
        async def static(request: Request, name: str) -> HTTPResponse:
            return await self.static(request, name)

        @pages.post("/upload", stream=True)
        async def upload(request: Request) -> HTTPResponse:
            return await self.upload(request)

        app.blueprint(pages)
        app.register_middleware(self.root_page, "request")

    def render(self, delay_ms: int) -> str:
        """web/index.html with the official contacts from knowledge_base/contacts.yml."""
        contacts = load_contacts(self.settings.kb_dir)
        digits = phone_digits(contacts.whatsapp)
        values = {
            "whatsapp": contacts.whatsapp,
            "whatsapp_link": f"https://wa.me/62{digits[1:]}",
            "dering": contacts.dering,
            "email": contacts.email_callcenter,
            "website": contacts.website,
            "address": contacts.address,
            "delay": str(delay_ms),
        }
        text = (self.web_dir / "index.html").read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", html.escape(value, quote=True))
        return text

    async def page(self, request: Request) -> HTTPResponse:
        """The demo page; `?delay=ms` sets the widget's delay before each bot message."""
        try:
            delay = min(max(int(request.args.get("delay", "300")), 0), 3000)
        except ValueError:
            delay = 300
        headers = {**PAGE_HEADERS, "Content-Security-Policy": CSP}
        return response.html(await asyncio.to_thread(self.render, delay), headers=headers)

    async def root_page(self, request: Request) -> HTTPResponse | None:
        """Browsers asking for / get the page; other clients keep Rasa's "Hello from Rasa"."""
        wants_html = "text/html" in request.headers.get("accept", "")
        if request.path == "/" and request.method == "GET" and wants_html:
            return await self.page(request)
        return None

    async def static(self, request: Request, name: str) -> HTTPResponse:
        """Files of web/static/, and the widget bundle from web/node_modules (never a CDN)."""
        if not _NAME.match(name):
            return response.text("Not found", status=404)
        widget = name == "rasa-webchat.js"
        path = self.web_dir / WIDGET if widget else self.web_dir / "static" / name
        if not path.is_file():
            hint = " (run `npm ci --prefix web`)" if widget else ""
            return response.text(f"Not found{hint}", status=404)
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=300"}
        mime = TYPES.get(path.suffix, "application/octet-stream")
        return await response.file(path, mime_type=mime, headers=headers)

    async def _body(self, request: Request, limit: int) -> bytes:
        """The request body, read in chunks and refused as soon as it passes the limit."""
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            raise UploadRejected(413, uploads.too_large(self.store.max_bytes))
        body = bytearray()
        assert request.stream is not None  # sanic sets it for the whole request (HTTP/1.1, ASGI)
        async for chunk in request.stream:
            body += chunk
            if len(body) > limit:
                raise UploadRejected(413, uploads.too_large(self.store.max_bytes))
        return bytes(body)

    def _finished(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("Web chat upload processing failed", exc_info=task.exception())

    async def upload(self, request: Request) -> HTTPResponse:
        """Store a PDF/JPEG/PNG and hand it to the conversation of an issued session id."""
        try:
            if not self.origins.allows_request(request):
                raise UploadRejected(403, uploads.BAD_ORIGIN)
            request.body = await self._body(request, self.store.max_bytes + uploads.MULTIPART_SLACK)
            kind = request.headers.get("content-type", "")
            is_form = "multipart/form-data" in kind or "x-www-form-urlencoded" in kind
            form = request.form if is_form else {}
            session_id = form.get("session_id") or request.headers.get("x-webchat-session")
            conversation_id = self.conversation_of(session_id)
            if conversation_id is None:
                raise UploadRejected(403, uploads.NO_SESSION)
            file = request.files.get("file") if is_form else None
            if is_form and file is None:
                raise UploadRejected(400, uploads.EMPTY)
            data, name = (file.body, file.name) if file else (request.body, "")
            stored = await asyncio.to_thread(self.store.save, data, name or "")
        except UploadRejected as rejected:
            if rejected.status == 413:
                assert request.stream is not None  # as in _body
                request.stream.keep_alive = False
            return _refuse(rejected.status, rejected.message)
        message = UserMessage(
            stored.message_text,
            self.output_channel(),
            conversation_id,
            input_channel=self.input_channel,
            metadata=stored.metadata,
        )
        task = asyncio.ensure_future(self.on_new_message(message))
        self.tasks.add(task)
        task.add_done_callback(self._finished)
        logger.info("Web chat upload %s (%s bytes) for a conversation", stored.sha256, stored.size)
        return response.json({"status": "accepted", "message": ACCEPTED}, status=202)
