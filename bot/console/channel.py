"""ConsoleInput: the agent console as a Rasa input channel at /webhooks/console/.

It carries no user messages of its own. Its blueprint serves the agents' page
(`GET /webhooks/console/`), its static files, login/logout and the JSON API; agent replies and
resolves reach the user's conversation through Rasa's agent (see `bot.console.bridge`). When
DESKPRO_URL and DESKPRO_API_KEY are set, a background task mirrors new tickets to Deskpro. Once the
server is up, another task runs the retention and prune jobs (`bot.maintenance`) every
DJPK_PRUNE_INTERVAL_S seconds (default one hour, 0: off, use `make prune` from cron instead), and
one releases the tickets no agent took by closing time (`bot.tickets.release`) every
DJPK_RELEASE_INTERVAL_S seconds (default 60, 0: off).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import logmask
from bot.console.api import TicketApi
from bot.console.auth import Guard
from bot.console.bridge import ConversationBridge
from bot.console.closing import closing_release
from bot.console.deskpro import DeskproClient, DeskproMirror
from bot.console.knowledge import KnowledgeApi
from bot.console.outbox import DeskproOutbox
from bot.console.reservations import ReservationApi
from bot.console.services import ConsoleServices
from bot.db import engine_for
from bot.maintenance import Maintenance, run_forever
from bot.settings import Settings
from bot.tickets import release

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_FILES = {
    "console.js": "application/javascript",
    "console.css": "text/css",
    "knowledge.js": "application/javascript",
    "knowledge.css": "text/css",
}
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def bridge_of_app(app: Sanic, services: ConsoleServices | None = None) -> ConversationBridge:
    """A bridge to the Rasa agent and input channels of this app (with the delivery store and
    the WhatsApp reopen template of `services`, and the CSAT template of the environment)."""
    ctx, template = app.ctx, os.environ.get("WHATSAPP_CSAT_TEMPLATE", "")
    agent, channels = getattr(ctx, "agent", None), getattr(ctx, "input_channels", [])
    if services is None:
        return ConversationBridge(agent, channels, csat_template=template)
    return ConversationBridge(
        agent, channels, services.deliveries, services.reopen, csat_template=template
    )


def bridge_of(request: Request, services: ConsoleServices | None = None) -> ConversationBridge:
    """A bridge to the Rasa agent and input channels of the app serving this request."""
    return bridge_of_app(request.app, services)


class ConsoleInput(InputChannel):
    """The agent console, served by the Rasa server like any other channel."""

    @classmethod
    def name(cls) -> str:
        return "console"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> ConsoleInput:
        """Settings come from the environment; credentials.yml may tune cookie and mirror."""
        credentials = credentials or {}
        return cls(
            Settings.from_env(),
            secure_cookie=str(credentials.get("secure_cookie", "auto")).lower(),
            mirror_interval=float(credentials.get("mirror_interval", 5.0)),
        )

    def __init__(
        self,
        settings: Settings | None = None,
        services: ConsoleServices | None = None,
        secure_cookie: str = "auto",
        mirror_interval: float = 5.0,
        base_path: str = "/webhooks/console",
    ) -> None:
        logmask.install()  # the Rasa server builds its channels before serving: mask from here on
        self.settings = settings or Settings.from_env()
        self.services = services or ConsoleServices(self.settings)
        self.guard = Guard(self.services, base_path, secure_cookie)
        self.mirror_interval = mirror_interval
        self.mirror: DeskproMirror | None = None
        self._mirror_task: asyncio.Task | None = None
        self._maintenance_task: asyncio.Task | None = None
        self._release_task: asyncio.Task | None = None

    def build_mirror(self) -> DeskproMirror | None:
        """The Deskpro mirror when DESKPRO_URL and DESKPRO_API_KEY are set, else None."""
        if not (self.settings.deskpro_url and self.settings.deskpro_api_key):
            return None
        client = DeskproClient(self.settings.deskpro_url, self.settings.deskpro_api_key)
        outbox = DeskproOutbox(engine_for(self.settings.db_url))
        return DeskproMirror(outbox, client, self.services.tickets, self.mirror_interval)

    def start_maintenance(self) -> asyncio.Task | None:
        """Start the hourly retention/prune task (None when DJPK_PRUNE_INTERVAL_S is 0)."""
        interval = self.settings.prune_interval_s
        if interval <= 0:
            return None
        try:
            maintenance = Maintenance.from_settings(self.settings)
        except Exception:  # a broken database must not stop the server
            logger.exception("Maintenance jobs not started")
            return None
        logger.info("Maintenance jobs every %.0f s", interval)
        return asyncio.get_running_loop().create_task(run_forever(maintenance, interval))

    def start_release(self, app: Sanic) -> asyncio.Task | None:
        """Start the closing-time release task (None when DJPK_RELEASE_INTERVAL_S is 0)."""
        interval = self.settings.release_interval_s
        if interval <= 0:
            return None
        try:
            job = closing_release(self.services.tickets, lambda: bridge_of_app(app, self.services))
        except Exception:  # a broken database must not stop the server
            logger.exception("Closing release not started")
            return None
        logger.info("Closing release every %.0f s", interval)
        return asyncio.get_running_loop().create_task(release.run_forever(job, interval))

    async def stop_maintenance(self) -> None:
        """Cancel the maintenance and release tasks and wait for them to end."""
        for name in ("_maintenance_task", "_release_task"):
            task = getattr(self, name)
            setattr(self, name, None)
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def page(self, request: Request) -> HTTPResponse:
        """The console page (relative links need the trailing slash)."""
        if not request.path.endswith("/"):
            return response.redirect(request.path + "/")
        return await response.file(
            STATIC_DIR / "index.html", mime_type="text/html; charset=utf-8", headers=PAGE_HEADERS
        )

    async def static(self, request: Request, name: str) -> HTTPResponse:
        """The page's scripts and style sheets (STATIC_FILES), nothing else."""
        mime = STATIC_FILES.get(name)
        if mime is None:
            return response.text("Not found", status=404)
        headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache"}
        return await response.file(STATIC_DIR / name, mime_type=mime, headers=headers)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Page, static files, login/logout and the API; starts the Deskpro mirror if configured."""
        console = Blueprint("console_webhook")

        @console.get("/", strict_slashes=False)
        async def page(request: Request) -> HTTPResponse:
            return await self.page(request)

        @console.get("/static/<name>")
        async def static(request: Request, name: str) -> HTTPResponse:
            return await self.static(request, name)

        self.guard.mount(console)
        bridge = partial(bridge_of, services=self.services)
        TicketApi(self.services, self.guard, bridge, lambda: self.mirror).mount(console)
        ReservationApi(self.services, self.guard, bridge).mount(console)
        KnowledgeApi(self.services, self.guard).mount(console)

        @console.listener("before_server_start")
        async def prepare(_app: Sanic, _loop: Any) -> None:
            await asyncio.to_thread(self.services.warm_up)
            self.mirror = await asyncio.to_thread(self.build_mirror)
            if self.mirror is not None:
                self._mirror_task = asyncio.get_running_loop().create_task(self.mirror.run())
                logger.info("Deskpro mirror on: %s", self.settings.deskpro_url)

        @console.listener("after_server_start")
        async def start_maintenance(_app: Sanic, _loop: Any) -> None:
            self._maintenance_task = self.start_maintenance()
            self._release_task = self.start_release(_app)

        @console.listener("before_server_stop")
        async def stop(_app: Sanic, _loop: Any) -> None:
            await self.stop_maintenance()
            if self.mirror is not None and self._mirror_task is not None:
                self.mirror.stop()
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._mirror_task, 30)

        return console
