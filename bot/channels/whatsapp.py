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

from bot.channels import bodies, length, outbound, signature
from bot.channels.fallback import Fallback, safely
from bot.channels.graph_api import GraphClient, GraphError, RetryPolicy, Transport
from bot.channels.inbound import parse_delivery
from bot.channels.inbox import Inbox, by_sender
from bot.channels.media import MediaFetcher
from bot.channels.overlong import LengthGate
from bot.channels.payloads import PayloadGuard
from bot.channels.store import WhatsAppStore
from bot.channels.transport import AiohttpTransport
from bot.channels.workers import WorkerPool
from bot.db import engine_for
from bot.settings import Settings

logger = logging.getLogger(__name__)

QUEUE_LIMIT = 1000  # queued jobs (statuses, one sender's messages); a POST beyond it gets 503
QUEUE_WARNING = 50  # log the queue depth each time it grows by this many


class WhatsAppOutput(OutputChannel):
    """Sends the bot's responses through the Graph API; undeliverable ones are recorded."""

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def __init__(
        self,
        client: GraphClient,
        store: WhatsAppStore,
        guard: PayloadGuard,
        fallback_template: str = "",
    ) -> None:
        self.client = client
        self.store = store
        self.guard = guard
        self.fallback = Fallback(client, store, fallback_template)

    async def _deliver(self, recipient_id: str, body: dict[str, Any], text: str) -> None:
        try:
            wamid = await self.client.send(body)
        except GraphError as error:
            await self.undelivered(recipient_id, text, error.code, error.title)
            return
        await safely(self.store.record_sent, wamid, recipient_id, text, default=None)

    async def undelivered(self, recipient_id: str, text: str, code: int | None, title: str) -> None:
        """A reply WhatsApp refused: template outside the 24-hour window, and a record."""
        await self.fallback.handle(recipient_id, text, code, title)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send text, split at 4,096 characters on paragraph, line, then word boundaries."""
        for chunk in outbound.split_text(text):
            await self._deliver(recipient_id, outbound.text_message(recipient_id, chunk), chunk)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """1-3 buttons as reply buttons, 4-10 as a list, more as numbered text."""
        links = [b for b in buttons if b.get("url") and not b.get("payload")]
        choices = [b for b in buttons if b.get("payload")]
        if links:
            lines = "\n".join(f"{b.get('title') or b['url']}: {b['url']}" for b in links)
            text = f"{text}\n\n{lines}" if text else lines
        if not choices:
            await self.send_text_message(recipient_id, text)
            return
        payloads = [str(b["payload"]) for b in choices]
        titles = [str(b.get("title") or b["payload"]) for b in choices]
        if len(choices) > outbound.MAX_ROWS:
            await safely(self.guard.offer, recipient_id, payloads, True, default=payloads)
            await self.send_text_message(recipient_id, outbound.numbered_text(text, titles))
            return
        as_buttons = len(choices) <= outbound.MAX_BUTTONS
        limit = outbound.BUTTON_ID_LIMIT if as_buttons else outbound.ROW_ID_LIMIT
        ids = await safely(self.guard.offer, recipient_id, payloads, False, limit, default=payloads)
        options = [outbound.Option(i, t) for i, t in zip(ids, titles, strict=True)]
        if len(text) > outbound.BODY_LIMIT:
            await self.send_text_message(recipient_id, text)
            text = ""
        build = outbound.buttons_message if as_buttons else outbound.list_message
        record = "\n".join([text, *(f"[{t}]" for t in titles)]).strip()
        await self._deliver(recipient_id, build(recipient_id, text, options), record)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Send an image by link."""
        await self._deliver(recipient_id, outbound.image_message(recipient_id, image), image)

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        """Send a document by link: a URL, or {"url"|"link", "filename", "caption"}."""
        if isinstance(attachment, dict):
            link = str(attachment.get("url") or attachment.get("link") or "")
            filename = str(attachment.get("filename", ""))
            caption = str(attachment.get("caption", ""))
        else:
            link, filename, caption = str(attachment), "", ""
        body = outbound.document_message(recipient_id, link, filename, caption)
        await self._deliver(recipient_id, body, link)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Send a Graph API message body as is ({"type": ..., ...} or {"whatsapp": {...}})."""
        body = dict(json_message.get("whatsapp") or json_message)
        if "type" not in body:
            logger.warning("Custom payload without a WhatsApp message type skipped: %s", body)
            return
        body.update(messaging_product="whatsapp", to=recipient_id)
        await self._deliver(recipient_id, body, f"[{body['type']}]")


class WhatsAppInput(InputChannel):
    """Meta's webhook: GET handshake, POST deliveries signed with the app secret.

    A POST is only checked, parsed and queued before its 200. `workers` tasks (the setting
    DJPK_WHATSAPP_WORKERS, default 2) take the queued work in arrival order and hand it to
    Rasa, so at most that many messages are being processed at once and the event loop, which
    Rasa's inference blocks, stays free enough to ack the next webhook quickly. A delivery is
    queued as its statuses plus one job per sender; one sender's jobs run one after another
    (arrival order) without holding a second worker. The queue holds at most `queue_limit`
    jobs: a delivery that does not fit (or arrives while the server stops) is answered 503 and
    Meta retries it later, so nothing acked is dropped while the process lives. The queue is
    in memory: deliveries acked but not yet processed are lost if the process dies (as when
    each had its own task).

    A body over `body_limit` bytes (Meta's are at most 3 MB; media come as ids) is refused
    with 413 before it is read, and a text longer than `max_chars` is acked, deduplicated and
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
            upload_dir=settings.var_dir / "uploads",
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
        queue_limit: int = QUEUE_LIMIT,
        max_chars: int = length.MAX_CHARS,
        body_limit: int = length.WHATSAPP_BODY_LIMIT,
    ) -> None:
        self.verify_token = verify_token
        self.app_secret = app_secret
        self.client = GraphClient(
            transport or AiohttpTransport(), access_token, phone_number_id, graph_url, retry
        )
        self.fallback_template = fallback_template
        self.db_url = db_url
        self.upload_dir = Path(upload_dir)
        self.pool = WorkerPool(workers, queue_limit, QUEUE_WARNING, name="WhatsApp delivery")
        self.gate = LengthGate(max_chars)
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
        output = WhatsAppOutput(self.client, store, guard, self.fallback_template)
        fetcher = MediaFetcher(self.client, self.upload_dir)
        return Inbox(store, guard, self.client, fetcher, output)

    def get_output_channel(self) -> OutputChannel:
        """The output channel, for messages the bot sends on its own (reminders, agents)."""
        return self.inbox.output

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every delivery accepted so far is processed (tests, benchmarks, shutdown).

        False if `timeout` ran out first.
        """
        return await self.pool.drain(timeout)

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
                delivery = parse_delivery(request.json)
            except Exception:
                return response.text("Bad Request", status=400)
            jobs = [
                (sender, partial(self.inbox.process, part, guarded))
                for sender, part in by_sender(delivery)
            ]
            if not self.pool.submit(jobs):
                return response.text("Service Unavailable", status=503)
            return response.text("OK")

        @whatsapp_webhook.listener("before_server_start")
        async def prepare(app: Sanic, *_: Any) -> None:
            self.gate.bind(app)
            await asyncio.to_thread(lambda: self.inbox)
            self.pool.start()

        @whatsapp_webhook.listener("before_server_stop")
        async def finish(*_: Any) -> None:
            await self.pool.stop(timeout=10)
            await self.client.close()

        return whatsapp_webhook
