"""The console's JSON API: queue, ticket, claim, assign, reply, notes, escalate, resolve, canned,
and the suggested answers of a ticket (agent assist)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import length
from bot.console import assist, views
from bot.console.access import Denied, TicketAction, check, scope
from bot.console.auth import Guard, Handler
from bot.console.bridge import ConversationBridge, Delivery
from bot.console.closing import closing_release
from bot.console.deskpro import DeskproMirror
from bot.console.queries import queue_query
from bot.console.responses import MAX_BODY, BadRequest, body, error, read_body, reply, text_field
from bot.console.services import ConsoleServices
from bot.console.users import ConsoleUser, Role
from bot.delivery.records import MessageDelivery
from bot.hours import Zone
from bot.kb.search import SUGGEST_THRESHOLD
from bot.tickets.records import Ticket, TicketNotFound, TicketStateError
from bot.tickets.taxonomy import Channel, Status, Topic

logger = logging.getLogger(__name__)
NOTE_LIMIT = 4000
BridgeFactory = Callable[[Request], ConversationBridge]


def _run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run blocking database work in a thread."""
    return asyncio.to_thread(partial(function, *args, **kwargs))


def template_params(ticket: Ticket) -> list[str]:
    """Body parameters of WHATSAPP_REOPEN_TEMPLATE: {{1}} the user's name, {{2}} the ticket."""
    return [ticket.user_name or "Bapak/Ibu", ticket.number]


def delivery_line(delivery: Delivery) -> dict[str, Any]:
    """A send result as the console's delivery label."""
    return MessageDelivery(
        0, 0, "", delivery.channel or "", "", delivery.state, delivery.reason
    ).to_dict()


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
            (self.suggestions, "/api/tickets/<ticket_id:int>/suggestions", "GET"),
            (self.release, "/api/release", "POST"),
        ]
        routes += [
            (
                partial(self.act, action=action),
                f"/api/tickets/<ticket_id:int>/{action.value}",
                "POST",
            )
            for action in TicketAction
        ]
        routes += self.delivery_routes()
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

    @property
    def zone(self) -> Zone:
        """The agents' zone (DJPK_CONSOLE_ZONE, WIB by default) the console shows times in."""
        return Zone(self.services.settings.console_zone)

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
        return reply({"tickets": [views.queue_row(t, self.zone) for t in tickets], "total": total})

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
        detail = await _run(
            views.ticket_detail, ticket, messages, events, self.services.faq_title, self.zone
        )
        await self.add_deliveries(request, ticket, detail)
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
        faq_id = await self._suggested_entry(data)
        message = await _run(
            self.services.tickets.reply, ticket.id, user.username, text, faq_id=faq_id
        )
        delivery = await self.bridge(request).send(
            ticket.conversation_id,
            text,
            user.username,
            message_id=message.id,
            ticket_id=ticket.id,
            template_params=template_params(ticket),
        )
        line = {"id": message.id, "at": message.at.isoformat(), "sender": "agent", "text": text}
        line["faq_id"] = faq_id
        line["delivery"] = delivery_line(delivery)
        return {"message": line, "delivery": delivery.to_dict()}

    # ---- agent assist: suggested answers, and the entry a reply started from ----------------

    async def suggestions(self, request: Request, ticket_id: int) -> HTTPResponse:
        """GET /api/tickets/<id>/suggestions: the top three FAQ answers for the ticket's question.

        For whoever may reply to the ticket (its agent, a supervisor, its unit's PIC): the
        answers are there to be inserted into a reply.
        """
        try:
            ticket = await self._ticket(self._user(request), ticket_id, TicketAction.REPLY)
        except Denied as denied:
            return error(denied.status, denied.message)
        messages = await _run(self.services.tickets.messages, ticket.id)
        return reply(await _run(assist.suggest, self.services.knowledge, ticket, messages))

    async def _suggested_entry(self, data: dict) -> str | None:
        """The optional `faq_id` of a reply: an entry of the knowledge base, else 400."""
        if data.get("faq_id") is None:
            return None
        faq_id = text_field(data, "faq_id", 120, required=False)
        if not faq_id:
            return None
        if await _run(self.services.knowledge.get, faq_id) is None:
            raise BadRequest(f"unknown FAQ entry {faq_id!r}")
        return faq_id

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
        if delivery.note:  # CSAT by template, or not asked and why
            await _run(self.services.tickets.add_note, ticket.id, "bot", delivery.note)
        return {"ticket": resolved.to_dict(), "delivery": delivery.to_dict()}

    # Delivery states of agent replies (issue 15): labels, the 24-hour window, "Kirim ulang".

    def delivery_routes(self) -> list[tuple[Callable[..., Any], str, str]]:
        """POST /api/tickets/<id>/messages/<message_id>/retry."""
        return [
            (self.retry, "/api/tickets/<ticket_id:int>/messages/<message_id:int>/retry", "POST")
        ]

    async def add_deliveries(self, request: Request, ticket: Ticket, detail: dict) -> None:
        """Each agent message's delivery state, and what the channel allows now."""
        found = await _run(self.services.deliveries.for_ticket, ticket.id)
        for message in detail["messages"]:
            item = found.get(message["id"])
            if item is not None:
                message["delivery"] = item.to_dict()
        detail["reach"] = await self.reach(request, ticket)

    async def reach(self, request: Request, ticket: Ticket) -> dict[str, Any]:
        """Can a reply reach the user now? The 24-hour window, template, other contacts."""
        try:
            info = await self.bridge(request).window(ticket.conversation_id)
        except Exception:  # the ticket must open even when the tracker cannot be read
            logger.exception("delivery reach of ticket %s unknown", ticket.id)
            return {"channel": None}
        if info.get("channel") == "whatsapp" and not info.get("window_open"):
            if info.get("template"):
                info["notice"] = (
                    "Pesan terakhir pengguna lebih dari 24 jam yang lalu. Balasan Anda akan "
                    f'didahului template "{info["template"]}" dan dikirim setelah pengguna '
                    "menjawab."
                )
            else:
                contacts = self.services.contacts
                info["notice"] = (
                    "Pesan terakhir pengguna lebih dari 24 jam yang lalu: balasan tidak dapat "
                    "dikirim lewat WhatsApp (template belum diatur). Hubungi pengguna lewat "
                    "kanal lain."
                )
                info["contacts"] = [
                    {"label": "Dering DJPK", "value": contacts.dering},
                    {"label": "E-mail", "value": contacts.email_callcenter},
                    {"label": "Live chat", "value": contacts.live_chat},
                ]
        elif info.get("channel") == "socketio" and not info.get("connected", True):
            info["notice"] = (
                "Pengguna sedang tidak terhubung ke live chat; balasan dikirim saat ia kembali."
            )
        return info

    async def retry(self, request: Request, ticket_id: int, message_id: int) -> HTTPResponse:
        """POST .../messages/<message_id>/retry: send a failed reply again (its agent or a
        supervisor)."""
        user = self._user(request)
        if (too_large := await read_body(request)) is not None:
            return too_large
        try:
            ticket = await self._ticket(user, ticket_id, TicketAction.REPLY)
        except Denied as denied:
            return error(denied.status, denied.message)
        item = await _run(self.services.deliveries.get, message_id)
        if item is None or item.ticket_id != ticket.id:
            return error(404, "message not found")
        delivery = await self.bridge(request).retry(item, template_params(ticket))
        if delivery is None:
            return error(409, "pesan ini tidak gagal; tidak perlu dikirim ulang")
        current = await _run(self.services.deliveries.get, message_id)
        return reply({"delivery": current.to_dict() if current else delivery_line(delivery)})

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

    async def release(self, request: Request) -> HTTPResponse:
        """POST /api/release (supervisors): run the closing-time release now, or as at `now`
        (ISO 8601 with its zone): the tickets no agent took are released when service hours are
        closed at that moment, each user told once (the same job as the server's task)."""
        if self._user(request).role is not Role.SUPERVISOR:
            return error(403, "only a supervisor releases the queue")
        if (too_large := await read_body(request)) is not None:
            return too_large
        try:
            raw = body(request).get("now")
            now = datetime.fromisoformat(str(raw).replace("Z", "+00:00")) if raw else None
            if now is not None and now.utcoffset() is None:
                raise BadRequest("now needs a time zone")
        except (BadRequest, ValueError) as exc:
            return error(400, str(exc))
        job = closing_release(self.services.tickets, lambda: self.bridge(request))
        released = await job.run(now)
        return reply(
            {"released": [{"number": r.ticket.number, "delivered": r.delivered} for r in released]}
        )

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
                "console_zone": {"name": self.zone.value, "offset_hours": self.zone.offset_hours},
            }
        )
