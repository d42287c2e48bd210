"""The console's JSON API: queue, ticket, claim, assign, reply, notes, escalate, resolve, canned."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import length
from bot.console import views
from bot.console.access import Denied, TicketAction, check, scope
from bot.console.auth import Guard, Handler
from bot.console.bridge import ConversationBridge
from bot.console.deskpro import DeskproMirror
from bot.console.queries import queue_query
from bot.console.responses import MAX_BODY, BadRequest, body, error, read_body, reply, text_field
from bot.console.services import ConsoleServices
from bot.console.users import ConsoleUser, Role
from bot.hours import Zone
from bot.kb.search import SUGGEST_THRESHOLD
from bot.tickets.records import Ticket, TicketNotFound, TicketStateError
from bot.tickets.taxonomy import Channel, Status, Topic

NOTE_LIMIT = 4000
BridgeFactory = Callable[[Request], ConversationBridge]


def _run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run blocking database work in a thread."""
    return asyncio.to_thread(partial(function, *args, **kwargs))


class TicketApi:
    """Routes under /api; every one behind the guard, every ticket checked against the user."""

    def __init__(
        self,
        services: ConsoleServices,
        guard: Guard,
        bridge: BridgeFactory,
        mirror: Callable[[], DeskproMirror | None] = lambda: None,
    ) -> None:
        self.services, self.guard, self.bridge, self.mirror = services, guard, bridge, mirror

    def mount(self, blueprint: Blueprint) -> None:
        """Add the routes to the console blueprint."""
        routes: list[tuple[Handler, str, str]] = [
            (self.queue, "/api/tickets", "GET"),
            (self.meta, "/api/meta", "GET"),
            (self.canned, "/api/canned", "GET"),
            (self.deskpro, "/api/deskpro", "GET"),
            (self.detail, "/api/tickets/<ticket_id:int>", "GET"),
        ]
        routes += [
            (
                partial(self.act, action=action),
                f"/api/tickets/<ticket_id:int>/{action.value}",
                "POST",
            )
            for action in TicketAction
        ]
        for handler, path, method in routes:
            name = path.strip("/").replace("/", "_").replace("<ticket_id:int>", "id")
            guarded = self.guard.protect(handler)
            blueprint.add_route(
                guarded, path, methods=[method], name=f"console_{name}", stream=method == "POST"
            )

    @property
    def reply_limit(self) -> int:
        """Longest agent reply: DJPK_MAX_MESSAGE_CHARS, the cap of every channel's messages."""
        return self.services.settings.max_message_chars

    def _user(self, request: Request) -> ConsoleUser:
        return request.ctx.session.user

    async def _ticket(
        self, user: ConsoleUser, ticket_id: int, action: TicketAction | None
    ) -> Ticket:
        ticket = await _run(self.services.tickets.get, ticket_id)
        if ticket is None:
            raise Denied(404, "ticket not found")
        check(user, action or TicketAction.NOTE, ticket)
        return ticket

    async def queue(self, request: Request) -> HTTPResponse:
        """GET /api/tickets: one page of the queue and the total matching the filters."""
        user = self._user(request)
        query = scope(user, queue_query(request.args))
        service = self.services.tickets
        tickets, total = await asyncio.gather(_run(service.find, query), _run(service.count, query))
        return reply({"tickets": [views.queue_row(t) for t in tickets], "total": total})

    async def detail(self, request: Request, ticket_id: int) -> HTTPResponse:
        """GET /api/tickets/<id>: context summary, transcript and history."""
        try:
            ticket = await self._ticket(self._user(request), ticket_id, None)
        except Denied as denied:
            return error(denied.status, denied.message)
        service = self.services.tickets
        messages, events = await asyncio.gather(
            _run(service.messages, ticket.id), _run(service.events, ticket.id)
        )
        detail = await _run(views.ticket_detail, ticket, messages, events, self.services.faq_title)
        return reply(detail)

    async def act(self, request: Request, ticket_id: int, action: TicketAction) -> HTTPResponse:
        """POST /api/tickets/<id>/<action> (a body over 64 KB gets 413 before it is read)."""
        user = self._user(request)
        if (too_large := await read_body(request)) is not None:
            return too_large
        data = body(request)
        try:
            ticket = await self._ticket(user, ticket_id, action)
            handler = getattr(self, f"_{action.value}")
            return reply(await handler(request, user, ticket, data))
        except Denied as denied:
            return error(denied.status, denied.message)
        except TicketNotFound:
            return error(404, "ticket not found")
        except TicketStateError as exc:
            return error(409, str(exc))

    async def _claim(self, request: Request, user: ConsoleUser, ticket: Ticket, data: dict) -> dict:
        claimed = await _run(self.services.tickets.claim, ticket.id, user.username)
        return {"ticket": claimed.to_dict()}

    async def _assign(
        self, request: Request, user: ConsoleUser, ticket: Ticket, data: dict
    ) -> dict:
        name = text_field(data, "agent", 64).lower()
        agents = {
            u.username
            for u in await _run(self.services.users.list)
            if u.active and u.role is not Role.UNIT_PIC
        }
        if name not in agents:
            raise BadRequest(f"no agent {name!r}")
        assigned = await _run(self.services.tickets.assign, ticket.id, name, user.username)
        return {"ticket": assigned.to_dict()}

    async def _reply(self, request: Request, user: ConsoleUser, ticket: Ticket, data: dict) -> dict:
        text = text_field(data, "text", MAX_BODY)
        if length.is_too_long(text, self.reply_limit):
            raise BadRequest(
                f"Balasan terlalu panjang ({length.thousands(len(text))} karakter; maksimal "
                f"{length.thousands(self.reply_limit)}). Mohon diringkas atau dibagi menjadi "
                "beberapa pesan."
            )
        message = await _run(self.services.tickets.reply, ticket.id, user.username, text)
        delivery = await self.bridge(request).send(ticket.conversation_id, text, user.username)
        line = {"id": message.id, "at": message.at.isoformat(), "sender": "agent", "text": text}
        return {"message": line, "delivery": delivery.to_dict()}

    async def _note(self, request: Request, user: ConsoleUser, ticket: Ticket, data: dict) -> dict:
        text = text_field(data, "text", NOTE_LIMIT)
        event = await _run(self.services.tickets.add_note, ticket.id, user.username, text)
        return {
            "event": {
                "at": event.at.isoformat(),
                "kind": "note",
                "actor": event.actor,
                "detail": event.detail,
            }
        }

    async def _escalate(
        self, request: Request, user: ConsoleUser, ticket: Ticket, data: dict
    ) -> dict:
        unit = text_field(data, "unit", 80)
        if unit not in {u.slug for u in self.services.units}:
            raise BadRequest(f"unknown unit {unit!r}")
        note = text_field(data, "note", NOTE_LIMIT, required=False)
        escalated = await _run(
            self.services.tickets.escalate, ticket.id, unit, user.username, note=note
        )
        return {"ticket": escalated.to_dict()}

    async def _resolve(
        self, request: Request, user: ConsoleUser, ticket: Ticket, data: dict
    ) -> dict:
        note = text_field(data, "note", NOTE_LIMIT, required=False)
        resolved = await _run(self.services.tickets.resolve, ticket.id, user.username, note=note)
        delivery = await self.bridge(request).resume(ticket.conversation_id)
        return {"ticket": resolved.to_dict(), "delivery": delivery.to_dict()}

    async def canned(self, request: Request) -> HTTPResponse:
        """GET /api/canned?q=...: FAQ answers an agent can paste into a reply."""
        query = (request.args.get("q") or "").strip()[:300]
        if not query:
            return reply({"answers": []})
        hits = await _run(self.services.knowledge.search, query, 5, SUGGEST_THRESHOLD)
        answers = [
            {
                "id": h.id,
                "score": round(h.score, 3),
                "question": h.entry.questions[0],
                "answer": h.entry.answer,
                "unit": h.entry.unit,
            }
            for h in hits
        ]
        return reply({"answers": answers})

    async def deskpro(self, request: Request) -> HTTPResponse:
        """GET /api/deskpro (supervisors): whether the mirror is on, sent and waiting counts."""
        if self._user(request).role is not Role.SUPERVISOR:
            return error(403, "only a supervisor sees the Deskpro mirror")
        mirror = self.mirror()
        if mirror is None:
            return reply({"enabled": False})
        return reply({"enabled": True, **await _run(mirror.outbox.status)})

    async def meta(self, request: Request) -> HTTPResponse:
        """GET /api/meta: the vocabularies for the filters, units, and agents (for supervisors)."""
        user = self._user(request)
        agents: list[str] = []
        if user.role is Role.SUPERVISOR:
            users = await _run(self.services.users.list)
            agents = [u.username for u in users if u.active and u.role is not Role.UNIT_PIC]
        return reply(
            {
                "user": user.to_dict(),
                "statuses": [s.value for s in Status],
                "channels": [c.value for c in Channel],
                "topics": [t.value for t in Topic],
                "zones": [z.value for z in Zone],
                "units": [u.to_dict() for u in self.services.units],
                "agents": agents,
                "max_reply_chars": self.reply_limit,
            }
        )
