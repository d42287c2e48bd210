"""Rasa's REST channel with a body limit and the length cap: same URL, same reply format.

POST /webhooks/rest/webhook answers a JSON list of {recipient_id, text, buttons, ...} exactly as
Rasa's RestInput does (the evaluation scripts rely on it). Two things differ: the body is read as
a stream and refused with 413 past `body_limit` bytes before it is read whole, and a message longer
than the cap gets one polite line instead of NLU (`bot.channels.overlong`).
"""

from __future__ import annotations

import copy
import logging
from asyncio import CancelledError
from typing import Any

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.channels import bodies, length
from bot.channels.overlong import Handler, LengthGate
from bot.settings import Settings

logger = logging.getLogger(__name__)


class CappedRestInput(RestInput):
    """The REST input channel, named "rest", with the body limit and the length cap."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> CappedRestInput:
        """Build from credentials.yml (optional `body_limit` in bytes); the cap from Settings."""
        credentials = credentials or {}
        return cls(
            body_limit=int(credentials.get("body_limit") or length.BODY_LIMIT),
            max_chars=Settings.from_env().max_message_chars,
        )

    def __init__(self, body_limit: int = length.BODY_LIMIT, max_chars: int = length.MAX_CHARS):
        self.body_limit = body_limit
        self.gate = LengthGate(max_chars)

    async def _message(
        self, request: Request, on_new_message: Handler
    ) -> ResponseStream | HTTPResponse:
        """Rasa's RestInput.receive, unchanged (after the body was read within the limit)."""
        sender_id = await self._extract_sender(request)
        text = self._extract_message(request)
        use_stream = rasa.utils.endpoints.bool_arg(request, "stream", default=False)
        input_channel = self._extract_input_channel(request)
        metadata = self.get_metadata(request)
        if use_stream:
            return response.stream(
                self.stream_response(on_new_message, text, sender_id, input_channel, metadata),
                content_type="text/event-stream",
            )
        collector = CollectingOutputChannel()
        try:
            await on_new_message(
                UserMessage(
                    text, collector, sender_id, input_channel=input_channel, metadata=metadata
                )
            )
        except CancelledError:
            logger.error("REST message timed out: %.200r", copy.deepcopy(text))
        except Exception:
            logger.exception("REST message failed: %.200r", copy.deepcopy(text))
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
            try:
                request.body = await bodies.read_limited(request, self.body_limit)
            except bodies.BodyTooLarge:
                return bodies.too_large(request, self.body_limit)
            return await self._message(request, guarded)

        @rest.listener("before_server_start")
        async def bind(app: Sanic, _loop: Any) -> None:
            self.gate.bind(app)

        return rest
