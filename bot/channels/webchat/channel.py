"""Rasa's socket.io channel, hardened: allowed origins, signed session ids, payload guard.

Rasa 3.6's SocketIOInput accepts any origin (`cors_allowed_origins=[]` turns the check off),
lets a client join any room by naming its session id, trusts the session id sent with each
message, and passes `/intent{...}` texts straight to the model. This subclass:
- accepts a connection only from a configured origin or from the page the server itself serves;
- issues its own signed session ids and resumes only those (`bot.channels.webchat.sessions`);
- takes the conversation from the server-side socket session, never from the message;
- accepts a "/..." text as a payload only when the bot offered it as a button in that conversation;
- keeps only allow-listed client metadata, so a page cannot plant `document_path` or the like;
- caps the text (`bot.channels.overlong`: one polite line instead of NLU) and the packet size;
- serves the demo page and the letter upload (`bot.channels.webchat.routes`);
- with DJPK_SOCKETIO_REDIS_URL (several hosts), emits through python-socketio's Redis manager
  and records open sockets in Redis (`bot.channels.webchat.presence`), so an agent reply sent on
  one host reaches, or waits for, a socket held by another.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from bot.channels import agent_replies, length
from bot.channels.overlong import LengthGate
from bot.channels.payloads import PayloadGuard
from bot.channels.webchat.output import SafeSocketIOOutput
from bot.channels.webchat.presence import Presence, RedisPresence, RoomPresence
from bot.channels.webchat.routes import OriginPolicy, PageRoutes
from bot.channels.webchat.sessions import SessionSigner
from bot.db import engine_for
from bot.delivery.sql import DeliveryStore
from bot.secrets import session_secret
from bot.settings import Settings

logger = logging.getLogger(__name__)

CLIENT_METADATA = frozenset({"language"})


class _WebchatBlueprint(SocketBlueprint):
    """The socket.io blueprint that also mounts the page and upload routes on the app."""

    def __init__(self, sio: AsyncServer, path: str, pages: PageRoutes) -> None:
        super().__init__(sio, path, "webchat_socketio", __name__)
        self.ctx.pages = pages

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        """Attach socket.io, then the page routes at /webchat and the root page middleware."""
        super().register(app, options)
        self.ctx.pages.mount(app)


class SecureSocketIOInput(SocketIOInput):
    """socket.io input channel for the rasa-webchat widget, safe to expose to the public."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SecureSocketIOInput:
        """Build from credentials.yml; origins, secret and paths come from Settings."""
        credentials = credentials or {}
        settings = Settings.from_env()
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            session_persistence=credentials.get("session_persistence", True),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            metadata_key=credentials.get("metadata_key", "customData"),
            settings=settings,
            open_payloads=tuple(credentials.get("open_payloads") or ("/greet",)),
        )

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        namespace: str | None = None,
        session_persistence: bool = True,
        socketio_path: str = "/socket.io",
        metadata_key: str = "customData",
        settings: Settings | None = None,
        open_payloads: tuple[str, ...] = ("/greet",),
    ) -> None:
        super().__init__(
            user_message_evt,
            bot_message_evt,
            namespace,
            session_persistence,
            socketio_path,
            None,
            "HS256",
            metadata_key,
        )
        self.settings = settings or Settings.from_env()
        self.open_payloads = frozenset(open_payloads)
        self.origins = OriginPolicy(self.settings.allowed_origins)
        self.gate = LengthGate(self.settings.max_message_chars)
        self._sockets: dict[str, str] = {}  # this server's socket id -> its conversation
        self._presence_task: asyncio.Task | None = None

    @cached_property
    def signer(self) -> SessionSigner:
        """Signs and checks session ids (secret from DJPK_CONSOLE_SECRET or var/)."""
        return SessionSigner(session_secret(self.settings.console_secret, self.settings.var_dir))

    @cached_property
    def guard(self) -> PayloadGuard:
        """Offered payloads per conversation, in the shared database (migrated on first use)."""
        return PayloadGuard(engine_for(self.settings.db_url))

    @cached_property
    def deliveries(self) -> DeliveryStore:
        """Agent replies' delivery states (replies queued while the user was away)."""
        return DeliveryStore(engine_for(self.settings.db_url))

    @cached_property
    def presence(self) -> Presence:
        """Open sockets per conversation: this server's rooms, or every host's through Redis."""
        if self.settings.socketio_redis_url:
            return RedisPresence.from_url(self.settings.socketio_redis_url)
        return RoomPresence(lambda: self.sio.manager.rooms.get(self.namespace or "/", {}))

    def is_connected(self, conversation_id: str) -> bool:
        """True when a socket of this conversation is open now, on this host or (with
        DJPK_SOCKETIO_REDIS_URL) on any host."""
        if self.sio is None:
            return False
        return self.presence.connected(conversation_id)

    async def keep_present(self) -> None:
        """Refresh this host's presence records while the server runs (Redis presence only)."""
        presence = self.presence
        if not isinstance(presence, RedisPresence):
            return
        while True:
            await asyncio.sleep(presence.ttl / 3)
            try:
                await asyncio.to_thread(presence.refresh, list(self._sockets.items()))
            except Exception:  # Redis away: records expire, replies wait for the next visit
                logger.exception("web chat presence not refreshed")

    async def deliver_waiting(self, conversation_id: str) -> int:
        """Emit the agent replies queued while the user was away; each is then marked sent."""
        output = self.get_output_channel()
        if output is None:
            return 0

        async def emit(recipient: str, text: str) -> None:
            await output.send_text_message(recipient, text)

        try:
            return await agent_replies.deliver_queued(
                self.deliveries, conversation_id, self.name(), emit
            )
        except Exception:  # the session itself must still start
            logger.exception("queued agent replies of a web chat session not delivered")
            return 0

    def get_output_channel(self) -> SafeSocketIOOutput | None:
        """The sanitising output channel (None before the blueprint created the server)."""
        if self.sio is None:
            return None
        return SafeSocketIOOutput(self.sio, self.bot_message_evt, self.guard)

    async def _enter(self, sid: str, room: str) -> None:
        """Join a room; python-socketio 5.10+ made enter_room a coroutine, 5.9 is plain."""
        result = self.sio.enter_room(sid, room, namespace=self.namespace)
        if inspect.isawaitable(result):
            await result

    async def _leave(self, sid: str, room: str) -> None:
        result = self.sio.leave_room(sid, room, namespace=self.namespace)
        if inspect.isawaitable(result):
            await result

    async def conversation(self, sid: str) -> str | None:
        """The conversation id the server bound to this socket, if any."""
        session = await self.sio.get_session(sid, namespace=self.namespace)
        return session.get("conversation_id")

    async def confirm_session(self, sid: str, data: Any) -> str:
        """Resume an issued session id or issue a fresh one; bind it to the socket and its room."""
        offered = data.get("session_id") if isinstance(data, dict) else None
        conversation_id = self.signer.conversation_of(offered) if self.session_persistence else None
        session_id = offered if conversation_id else self.signer.issue()
        assert isinstance(session_id, str)  # conversation_of accepts only a str
        conversation_id = conversation_id or session_id.partition(".")[0]
        if offered and offered != session_id:
            logger.info("Web chat session id not issued here; a new session was started")
        previous = await self.conversation(sid)
        if previous and previous != conversation_id:
            await self._leave(sid, previous)
            await asyncio.to_thread(self.presence.leave, previous, sid)
        await self.sio.save_session(
            sid, {"conversation_id": conversation_id}, namespace=self.namespace
        )
        await self._enter(sid, conversation_id)
        self._sockets[sid] = conversation_id
        await asyncio.to_thread(self.presence.join, conversation_id, sid)
        await self.sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
        return session_id

    async def inbound_text(self, conversation_id: str, raw: Any) -> str:
        """User text as the model may see it: offered payloads pass, other "/..." are defused.

        An over-long text is returned as is: the length gate answers it and NLU never sees it.
        """
        text = str(raw or "")
        if length.is_too_long(text, self.gate.limit) or text.strip() in self.open_payloads:
            return text.strip()
        return await asyncio.to_thread(self.guard.sanitize_inbound, conversation_id, text)

    def client_metadata(self, data: dict[str, Any]) -> dict[str, Any]:
        """Only allow-listed, short, plain metadata from the page."""
        raw = data.get(self.metadata_key) or data.get("metadata") or {}
        if not isinstance(raw, dict):
            return {}
        return {
            key: value[:64]
            for key, value in raw.items()
            if key in CLIENT_METADATA and isinstance(value, str)
        }

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """socket.io events at /socket.io, health at /webhooks/socketio/, page and upload."""
        url = self.settings.socketio_redis_url
        sio = AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.origins.allows,
            max_http_buffer_size=length.BODY_LIMIT,
            # several hosts: an emit on one reaches a socket held by another
            client_manager=AsyncRedisManager(url, channel="djpk-webchat") if url else None,
        )
        self.sio = sio
        guarded = self.gate.wrap(on_new_message)
        pages = PageRoutes(
            self.settings,
            conversation_of=lambda session_id: self.signer.conversation_of(session_id),
            output_channel=self.get_output_channel,
            on_new_message=guarded,
            input_channel=self.name(),
        )
        webchat = _WebchatBlueprint(sio, self.socketio_path, pages)

        @webchat.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        polling = "/" + self.socketio_path.strip("/")

        @webchat.signal("http.routing.after")
        async def limit_polling_body(request: Request, **_: Any) -> None:
            """Sanic reads a polling body whole for engine.io (up to the app's limit): past
            BODY_LIMIT refuse it here with 413, before it is read. engine.io's own refusal
            (max_http_buffer_size) closes the session and then waits for the client's next
            poll, which a client that never polls leaves hanging until the response timeout."""
            if request.stream is not None and request.path.rstrip("/") == polling:
                request.stream.request_max_size = min(
                    request.stream.request_max_size, length.BODY_LIMIT
                )

        @webchat.listener("before_server_start")
        async def prepare(app: Sanic, *_: Any) -> None:
            self.gate.bind(app)
            await asyncio.to_thread(lambda: (self.signer, self.guard, self.deliveries))

        @webchat.listener("after_server_start")
        async def present(_app: Sanic, *_: Any) -> None:
            self._presence_task = asyncio.get_running_loop().create_task(self.keep_present())

        @webchat.listener("before_server_stop")
        async def absent(_app: Sanic, *_: Any) -> None:
            if self._presence_task is not None:
                self._presence_task.cancel()

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict, auth: dict | None = None) -> bool:
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            conversation_id = self._sockets.pop(sid, None)
            if conversation_id is not None:
                try:
                    await asyncio.to_thread(self.presence.leave, conversation_id, sid)
                except Exception:  # the record expires by itself
                    logger.exception("web chat presence not removed")

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            session_id = await self.confirm_session(sid, data)
            await self.deliver_waiting(session_id.partition(".")[0])

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            conversation_id = await self.conversation(sid)
            if conversation_id is None or not isinstance(data, dict):
                logger.warning("Web chat message before session_request ignored")
                return
            message = UserMessage(
                await self.inbound_text(conversation_id, data.get("message")),
                self.get_output_channel(),
                conversation_id,
                input_channel=self.name(),
                metadata=self.client_metadata(data),
            )
            await guarded(message)

        return webchat
