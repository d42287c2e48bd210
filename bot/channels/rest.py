"""Rasa's REST channel for tools and tests: a bearer token, a body limit, the length cap and the
payload guard.

POST /webhooks/rest/webhook answers a JSON list of {recipient_id, text, buttons, ...} exactly as
Rasa's RestInput does (the evaluation scripts rely on it). What differs: a message whose turn
failed gets 503 with Retry-After (Rasa answers 200 with nothing, and the message is lost); it
requires `Authorization: Bearer <token>` (the token from DJPK_REST_TOKEN or, unset, generated
once into var/rest.token; anything else gets 401 before the body is read); the conversation's
channel is always "rest" (a caller's `input_channel` is ignored); the body is read as a stream and
refused with 413 past `body_limit` bytes before it is read whole; a message longer
than the cap gets one polite line instead of NLU (`bot.channels.overlong`); and, as on the web chat
and WhatsApp, a "/intent{...}" text is read as a payload only when the bot offered it as a button
in that conversation (`bot.channels.payloads`): every button a reply carries is recorded as
offered before the reply leaves, any other "/..." text reaches NLU as plain text.
"""

from __future__ import annotations

import asyncio
import copy
import hmac
import logging
from asyncio import CancelledError, Queue
from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import QueueOutputChannel, RestInput
from rasa.shared.constants import DEFAULT_SENDER_ID
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.channels import bodies, length
from bot.channels.overlong import Handler, LengthGate
from bot.channels.payloads import PayloadGuard, neutralise
from bot.channels.rest_callback import RestCallbackOutput
from bot.channels.webchat import uploads
from bot.channels.webchat.output import offered_payloads
from bot.db import engine_for
from bot.letters.limits import UploadLimits
from bot.secrets import REST_TOKEN_FILE, rest_token
from bot.settings import Settings

logger = logging.getLogger(__name__)

Offer = Callable[[dict[str, Any]], Awaitable[None]]

TOKEN_FILE = REST_TOKEN_FILE
# Sanic's REQUEST_MAX_SIZE for every route of the Rasa server (its default is 100 MB): the
# largest legitimate body is a web-chat letter upload (10 MB by default) with its multipart framing.
APP_BODY_LIMIT = uploads.MAX_BYTES + uploads.MULTIPART_SLACK
RETRY_AFTER_S = 5  # what a 503 for an unhandled message asks the caller to wait


def app_body_limit(settings: Settings) -> int:
    """The app-wide body limit for the upload size DJPK_UPLOAD_MAX_MB sets."""
    return UploadLimits.from_settings(settings).max_bytes + uploads.MULTIPART_SLACK


def cap_app_bodies(app: Sanic, limit: int = APP_BODY_LIMIT) -> None:
    """Lower the app-wide body limit (never raise it): Sanic answers 413 past it, on any route."""
    app.config.REQUEST_MAX_SIZE = min(int(app.config.REQUEST_MAX_SIZE), limit)


def bearer_matches(header: str | None, token: str) -> bool:
    """Constant-time check of an `Authorization: Bearer <token>` header; no token, no entry."""
    scheme, _, given = (header or "").strip().partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))


def unauthorized() -> HTTPResponse:
    """The 401 answer of a request without the right token."""
    return response.json(
        {"error": "unauthorized", "message": "Authorization: Bearer <token> required"},
        status=401,
        headers={"WWW-Authenticate": 'Bearer realm="djpk-rest"'},
    )


class _Offering:
    """Output mixin: each message's buttons are recorded as offered before it is kept or sent."""

    offer: Offer

    async def _persist_message(self, message: dict[str, Any]) -> None:
        await self.offer(message)
        await super()._persist_message(message)  # type: ignore[misc]


class OfferingCollector(_Offering, CollectingOutputChannel):
    """Rasa's collecting output channel (the JSON reply) that records offered payloads."""

    def __init__(self, offer: Offer) -> None:
        super().__init__()
        self.offer = offer


class OfferingQueue(_Offering, QueueOutputChannel):
    """Rasa's queue output channel (the `?stream=true` reply) that records offered payloads."""

    def __init__(self, offer: Offer, queue: Queue) -> None:
        super().__init__(queue)
        self.offer = offer


def not_handled() -> HTTPResponse:
    """503 for a message whose turn failed (the conversation lock of a crashed server, a tracker
    store error...): it was not handled, so the caller must send it again; Rasa's own channel
    answers 200 with whatever was collected, which a client takes as delivered."""
    return response.json(
        {"error": "message not handled, send it again"},
        status=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


class CappedRestInput(RestInput):
    """The REST input channel, named "rest", with the token, the body limit, the length cap and
    the guard.

    Its blueprint also lowers the whole app's REQUEST_MAX_SIZE to APP_BODY_LIMIT when the
    server starts (credentials.yml always enables this channel)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> CappedRestInput:
        """Build from credentials.yml (optional `body_limit` in bytes, `open_payloads`, as the web
        chat's); the token, the cap and the database of offered payloads from Settings."""
        credentials = credentials or {}
        settings = Settings.from_env()
        return cls(
            token=rest_token(settings),
            body_limit=int(credentials.get("body_limit") or length.BODY_LIMIT),
            max_chars=settings.max_message_chars,
            db_url=settings.db_url,
            open_payloads=tuple(credentials.get("open_payloads") or ("/greet",)),
            callback_url=settings.rest_callback_url or str(credentials.get("callback_url") or ""),
        )

    def __init__(
        self,
        body_limit: int = length.BODY_LIMIT,
        max_chars: int = length.MAX_CHARS,
        db_url: str | None = None,
        open_payloads: tuple[str, ...] = ("/greet",),
        token: str | None = None,
        callback_url: str = "",
    ) -> None:
        self.token = rest_token() if token is None else token
        self.callback_url = callback_url
        self.body_limit = body_limit
        self.gate = LengthGate(max_chars)
        self.db_url = db_url
        self.open_payloads = frozenset(open_payloads)

    def get_output_channel(self) -> RestCallbackOutput | None:
        """Agent replies go to the callback URL when one is set (`bot.channels.rest_callback`)."""
        if not self.callback_url:
            return None
        return RestCallbackOutput(self.callback_url, self.token)

    @cached_property
    def guard(self) -> PayloadGuard:
        """Offered payloads per conversation, in the shared database (migrated on first use)."""
        return PayloadGuard(engine_for(self.db_url or Settings.from_env().db_url))

    async def offer(self, message: dict[str, Any]) -> None:
        """Record the payloads of one reply's buttons as offered to its recipient."""
        payloads = offered_payloads(message)
        if not payloads:
            return
        try:
            await asyncio.to_thread(self.guard.offer, str(message["recipient_id"]), payloads)
        except Exception:  # the reply still goes out; its buttons just will not pass if typed
            logger.exception("offered payloads of a REST reply not recorded")

    async def inbound_text(self, sender_id: Any, text: Any) -> Any:
        """User text as the model may see it: offered payloads pass, other "/..." are defused.

        The same rule as the web chat's: an over-long text is left for the length gate (which
        answers it without NLU) and the open payloads (the page's "/greet") always pass.
        """
        if not isinstance(text, str) or length.is_too_long(text, self.gate.limit):
            return text
        if text.strip() in self.open_payloads:
            return text.strip()
        conversation_id = DEFAULT_SENDER_ID if sender_id is None else str(sender_id)
        try:
            return await asyncio.to_thread(self.guard.sanitize_inbound, conversation_id, text)
        except Exception:  # fail closed: without the record, no "/..." text is a payload
            logger.exception("payload guard unavailable; REST text read as plain text")
            return neutralise(text.strip()) if text.strip().startswith("/") else text

    def _extract_input_channel(self, req: Request) -> str:
        """Always "rest": a caller cannot pass its messages off as another channel's."""
        return self.name()

    async def on_message_wrapper(
        self,
        on_new_message: Handler,
        text: str,
        queue: Queue,
        sender_id: str,
        input_channel: str,
        metadata: dict[str, Any] | None,
    ) -> None:
        """Rasa's stream handler, with the output channel that records offered payloads."""
        collector = OfferingQueue(self.offer, queue)
        message = UserMessage(
            text, collector, sender_id, input_channel=input_channel, metadata=metadata
        )
        await on_new_message(message)
        await queue.put("DONE")

    async def _message(
        self, request: Request, on_new_message: Handler
    ) -> ResponseStream | HTTPResponse:
        """Rasa's RestInput.receive (after the body was read within the limit), the text guarded
        and the offered payloads recorded."""
        sender_id = await self._extract_sender(request)
        text = await self.inbound_text(sender_id, self._extract_message(request))
        use_stream = rasa.utils.endpoints.bool_arg(request, "stream", default=False)
        input_channel = self._extract_input_channel(request)
        metadata = self.get_metadata(request)
        if use_stream:
            return response.stream(
                self.stream_response(on_new_message, text, sender_id, input_channel, metadata),
                content_type="text/event-stream",
            )
        collector = OfferingCollector(self.offer)
        try:
            await on_new_message(
                UserMessage(
                    text, collector, sender_id, input_channel=input_channel, metadata=metadata
                )
            )
        except CancelledError:
            logger.error("REST message timed out: %.200r", copy.deepcopy(text))
            return not_handled()
        except Exception:
            logger.exception("REST message failed: %.200r", copy.deepcopy(text))
            return not_handled()
        return response.json(collector.messages)

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """GET / (health) and POST /webhook (streamed body, then Rasa's handling)."""
        guarded = self.gate.wrap(on_new_message)
        rest = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> ResponseStream | HTTPResponse:
            if not bearer_matches(request.headers.get("Authorization"), self.token):
                logger.warning("REST request without the right bearer token refused")
                return unauthorized()
            try:
                request.body = await bodies.read_limited(request, self.body_limit)
            except bodies.BodyTooLarge:
                return bodies.too_large(request, self.body_limit)
            return await self._message(request, guarded)

        @rest.listener("before_server_start")
        async def bind(app: Sanic, _loop: Any) -> None:
            cap_app_bodies(app, app_body_limit(Settings.from_env()))
            self.gate.bind(app)
            await asyncio.to_thread(lambda: self.guard)

        return rest
