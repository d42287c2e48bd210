"""Rasa input/output channel for the WhatsApp Cloud API (webhook at /webhooks/whatsapp/webhook)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import bodies, length, signature
from bot.channels.graph_api import GraphClient, RetryPolicy, Transport
from bot.channels.inbound import parse_delivery
from bot.channels.inbox import Inbox
from bot.channels.journal import ReplyJournal
from bot.channels.media import MediaFetcher
from bot.channels.overlong import LengthGate
from bot.channels.payloads import PayloadGuard
from bot.channels.queue import InboxQueue, rows_of
from bot.channels.resume import TrackerSeen
from bot.channels.sql import WhatsAppStore
from bot.channels.transport import AiohttpTransport
from bot.channels.whatsapp_output import WhatsAppOutput
from bot.channels.workers import InboxWorkers, Timing
from bot.db import engine_for
from bot.delivery.sql import DeliveryStore
from bot.settings import Settings
from bot.uploads import upload_dir as uploads_folder

logger = logging.getLogger(__name__)
__all__ = ["WhatsAppInput", "WhatsAppOutput"]


class WhatsAppInput(InputChannel):
    """Meta's webhook: GET handshake, POST deliveries signed with the app secret.

    A POST is checked, parsed and written to the inbox table (`bot.channels.queue`) before its
    200: a 200 means the delivery is kept, and when the database refuses the insert the answer
    is 503 and Meta retries. `workers` tasks (DJPK_WHATSAPP_WORKERS, default 2) claim the kept
    rows, one sender's messages one at a time in arrival order, hand them to Rasa and mark them
    finished only after the bot answered (`bot.channels.workers`); rows left by a stopped or
    crashed process are taken up again, each reply sent once (`bot.channels.resume`).

    A body over `body_limit` bytes (Meta's are at most 3 MB; media come as ids) is refused
    with 413 before it is read, and a text longer than `max_chars` is acked, kept and
    answered with one polite line instead of NLU (`bot.channels.overlong`).
    """

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Build from credentials.yml; missing keys fall back to the environment (Settings)."""
        settings = Settings.from_env()
        credentials = credentials or {}
        return cls(
            verify_token=credentials.get("verify_token") or settings.whatsapp_verify_token,
            app_secret=credentials.get("app_secret") or settings.whatsapp_app_secret,
            access_token=credentials.get("access_token") or settings.whatsapp_access_token,
            phone_number_id=credentials.get("phone_number_id") or settings.whatsapp_phone_number_id,
            graph_url=credentials.get("graph_url") or settings.whatsapp_graph_url,
            fallback_template=credentials.get("fallback_template")
            or settings.whatsapp_fallback_template,
            db_url=settings.db_url,
            upload_dir=uploads_folder(settings),
            workers=settings.whatsapp_workers,
            max_chars=settings.max_message_chars,
        )

    def __init__(
        self,
        verify_token: str,
        app_secret: str,
        access_token: str,
        phone_number_id: str,
        graph_url: str = Settings.whatsapp_graph_url,
        fallback_template: str = "",
        db_url: str = Settings.db_url,
        upload_dir: Path = Settings.var_dir / "uploads",
        transport: Transport | None = None,
        retry: RetryPolicy | None = None,
        workers: int = Settings.whatsapp_workers,
        max_chars: int = length.MAX_CHARS,
        body_limit: int = length.WHATSAPP_BODY_LIMIT,
        timing: Timing | None = None,
    ) -> None:
        self.verify_token = verify_token
        self.app_secret = app_secret
        self.client = GraphClient(
            transport or AiohttpTransport(), access_token, phone_number_id, graph_url, retry
        )
        self.fallback_template = fallback_template
        self.db_url = db_url
        self.upload_dir = Path(upload_dir)
        self.worker_count = workers
        self.timing = timing or Timing()
        self.pool: InboxWorkers | None = None  # built when the server starts
        self.gate = LengthGate(max_chars)
        self.seen = TrackerSeen()
        self.body_limit = body_limit
        if not app_secret:  # no development fallback: without the secret nobody can sign
            logger.error(
                "WHATSAPP_APP_SECRET is not set: the WhatsApp webhook refuses every POST with 403"
            )

    @cached_property
    def inbox(self) -> Inbox:
        """Database-backed parts, built on first use (migrates the database once)."""
        engine = engine_for(self.db_url)
        store, guard = WhatsAppStore(engine), PayloadGuard(engine)
        output = WhatsAppOutput(
            self.client, store, guard, self.fallback_template, ReplyJournal(engine)
        )
        fetcher = MediaFetcher(self.client, self.upload_dir)
        queue, deliveries = InboxQueue(engine), DeliveryStore(engine)
        return Inbox(store, guard, self.client, fetcher, output, queue, self.seen, deliveries)

    def get_output_channel(self) -> OutputChannel:
        """The output channel, for messages the bot sends on its own (reminders, agents)."""
        return self.inbox.output

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every delivery this server kept is finished (tests, benchmarks).

        False if `timeout` ran out first.
        """
        return True if self.pool is None else await self.pool.drain(timeout)

    def _keep(self, rows: list[dict[str, Any]]) -> None:
        self.inbox.queue.add(rows)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes under /webhooks/whatsapp: / (health) and /webhook (GET handshake, POST)."""
        whatsapp_webhook = Blueprint("whatsapp_webhook", __name__)
        guarded = self.gate.wrap(on_new_message)

        @whatsapp_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @whatsapp_webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            mode = request.args.get("hub.mode", "")
            token = request.args.get("hub.verify_token", "")
            if mode == "subscribe" and signature.tokens_match(token, self.verify_token):
                return response.text(request.args.get("hub.challenge", ""))
            return response.text("Forbidden", status=403)

        @whatsapp_webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            try:
                raw = request.body = await bodies.read_limited(request, self.body_limit)
            except bodies.BodyTooLarge:
                logger.warning("WhatsApp webhook body over %d bytes refused", self.body_limit)
                return bodies.too_large(request, self.body_limit)
            if not signature.is_valid(self.app_secret, raw, request.headers.get(signature.HEADER)):
                logger.warning("WhatsApp webhook with a missing or wrong signature refused")
                return response.text("Forbidden", status=403)
            try:
                rows = rows_of(parse_delivery(request.json))
            except Exception:
                return response.text("Bad Request", status=400)
            try:
                await asyncio.to_thread(self._keep, rows)
            except Exception:
                logger.exception("WhatsApp delivery not kept (database): answered 503")
                return response.text("Service Unavailable", status=503)
            if self.pool is not None:
                self.pool.accepted(row["key"] for row in rows)
            return response.text("OK")

        @whatsapp_webhook.listener("before_server_start")
        async def prepare(app: Sanic, *_: Any) -> None:
            self.gate.bind(app)
            self.seen.bind(app)
            inbox = await asyncio.to_thread(lambda: self.inbox)
            handle = partial(inbox.handle, on_new_message=guarded)
            self.pool = InboxWorkers(
                inbox.queue, handle, self.worker_count, self.timing, ready=self.seen.ready
            )

        @whatsapp_webhook.listener("after_server_start")
        async def begin(*_: Any) -> None:
            if self.pool is not None:  # after Rasa's model load (a before_server_start step)
                self.pool.start()

        @whatsapp_webhook.listener("before_server_stop")
        async def finish(*_: Any) -> None:
            if self.pool is not None:
                await self.pool.stop(timeout=self.timing.stop_grace)
            await self.client.close()

        return whatsapp_webhook
