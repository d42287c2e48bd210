"""The console's reservation routes: confirm, reschedule, decline (TicketService does the work).

POST /api/tickets/<id>/reservation/letter with via (pos | email | lainnya) and an optional note
records that the request letter arrived outside the chat (who and when are kept on the ticket), so
a visit can be confirmed without an upload.

POST /api/tickets/<id>/reservation/<decision> with date (YYYY-MM-DD), time (HH.MM WIB), mode
(video_conference | tatap_muka), link or room, reason. A decision the rules refuse answers 422
with the reason and changes nothing; an accepted one is sent to the user's channel like an agent
reply: with a delivery state, waiting for a web chat user who is away, through
WHATSAPP_REOPEN_TEMPLATE outside the 24-hour window (or marked failed), to the REST callback.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.console.access import Denied, check_reservation
from bot.console.api import delivery_line, template_params
from bot.console.auth import Guard
from bot.console.bridge import ConversationBridge
from bot.console.responses import BadRequest, body, error, read_body, reply, text_field
from bot.console.services import ConsoleServices
from bot.reservations import Booking, Mode, parse_time
from bot.tickets import taxonomy as keys
from bot.tickets.bookings import ReservationRefused
from bot.tickets.records import BookingResult, Ticket, TicketNotFound, TicketStateError

DECISIONS = ("confirm", "reschedule", "decline")
LINK = re.compile(r"^https?://[^\s<>\"']+$")
BridgeFactory = Callable[[Request], ConversationBridge]


def _run(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return asyncio.to_thread(partial(function, *args, **kwargs))


def booking_from(data: dict[str, Any], ticket: Ticket) -> Booking:
    """The booking in the body; mode, link and room default to what the ticket holds."""
    context = ticket.context
    try:
        day = date.fromisoformat(text_field(data, "date", 10))
    except ValueError as exc:
        raise ReservationRefused("Mohon isi tanggal yang valid (TTTT-BB-HH).") from exc
    at = parse_time(text_field(data, "time", 5))
    if at is None:
        raise ReservationRefused("Mohon isi jam dengan format JJ.MM, misalnya 10.00.")
    default_mode = context.get(keys.AGREED_MODE) or context.get(keys.RESERVATION) or ""
    mode_text = text_field(data, "mode", 20, required=False) or str(default_mode)
    try:
        mode = Mode(mode_text)
    except ValueError as exc:
        raise ReservationRefused("Mohon pilih cara: video conference atau tatap muka.") from exc
    link = text_field(data, "link", 500, required=False) or str(
        context.get(keys.MEETING_LINK) or ""
    )
    room = text_field(data, "room", 200, required=False) or str(context.get(keys.ROOM) or "")
    if mode is Mode.VIDEO_CONFERENCE and link and not LINK.match(link):
        raise ReservationRefused("Tautan rapat harus diawali https:// atau http://.")
    if mode is Mode.VIDEO_CONFERENCE:
        room = ""
    else:
        link = ""
    return Booking(day, at, mode, link=link, room=room)


REFUSALS = (Denied, ReservationRefused, TicketNotFound, TicketStateError, BadRequest)


def refusal(exc: Exception) -> HTTPResponse:
    """The answer to a reservation request that was refused, by the kind of refusal."""
    if isinstance(exc, Denied):
        return error(exc.status, exc.message)
    if isinstance(exc, ReservationRefused):
        return error(422, str(exc), refused=True)
    if isinstance(exc, TicketNotFound):
        return error(404, "ticket not found")
    if isinstance(exc, TicketStateError):
        return error(409, str(exc))
    return error(400, str(exc))


class ReservationApi:
    """Routes of the reservation panel, behind the console's guard."""

    def __init__(self, services: ConsoleServices, guard: Guard, bridge: BridgeFactory) -> None:
        self.services, self.guard, self.bridge = services, guard, bridge

    def mount(self, blueprint: Blueprint) -> None:
        """Add the three decision routes and the letter route to the console blueprint."""
        letter = self.guard.protect(self.letter)
        path = "/api/tickets/<ticket_id:int>/reservation/letter"
        blueprint.add_route(
            letter, path, methods=["POST"], name="console_reservation_letter", stream=True
        )
        for decision in DECISIONS:
            handler = self.guard.protect(partial(self.decide, decision=decision))
            path = f"/api/tickets/<ticket_id:int>/reservation/{decision}"
            blueprint.add_route(
                handler, path, methods=["POST"], name=f"console_reservation_{decision}", stream=True
            )

    async def letter(self, request: Request, ticket_id: int) -> HTTPResponse:
        """POST .../reservation/letter: the request letter arrived by post, e-mail or otherwise."""
        user = request.ctx.session.user
        if (too_large := await read_body(request)) is not None:
            return too_large
        data = body(request)
        try:
            ticket = await _run(self.services.tickets.get, ticket_id)
            if ticket is None:
                raise Denied(404, "ticket not found")
            check_reservation(user, ticket)
            via = text_field(data, "via", 20)
            note = text_field(data, "note", 500, required=False)
            saved = await _run(
                self.services.tickets.record_reservation_letter,
                ticket.id,
                user.username,
                via,
                note,
            )
        except REFUSALS as exc:
            return refusal(exc)
        return reply({"ticket": saved.to_dict()})

    def _apply(self, decision: str, ticket: Ticket, agent: str, data: dict) -> BookingResult:
        tickets = self.services.tickets
        reason = text_field(data, "reason", 500, required=False)
        if decision == "decline":
            return tickets.decline_reservation(ticket.id, agent, reason)
        booking = booking_from(data, ticket)
        if decision == "reschedule":
            return tickets.reschedule_reservation(ticket.id, agent, booking, reason)
        return tickets.confirm_reservation(ticket.id, agent, booking)

    async def decide(self, request: Request, ticket_id: int, decision: str) -> HTTPResponse:
        """POST .../reservation/<decision>: store the decision, then tell the user."""
        user = request.ctx.session.user
        if (too_large := await read_body(request)) is not None:
            return too_large
        data = body(request)
        try:
            ticket = await _run(self.services.tickets.get, ticket_id)
            if ticket is None:
                raise Denied(404, "ticket not found")
            check_reservation(user, ticket)
            result = await _run(self._apply, decision, ticket, user.username, data)
        except REFUSALS as exc:
            return refusal(exc)
        bridge = self.bridge(request)
        delivery = await bridge.send(
            ticket.conversation_id,
            result.message,
            user.username,
            message_id=result.message_id,
            ticket_id=ticket.id,
            template_params=template_params(ticket),
        )
        return reply(
            {
                "ticket": result.ticket.to_dict(),
                "text": result.message,
                "delivery": delivery.to_dict(),
                "message": {"id": result.message_id, "delivery": delivery_line(delivery)},
            }
        )
