"""Release at closing time: a ticket still open and untaken when service hours end stays in the
queue for the morning, its conversation goes back to the bot, and the user is told once when it
will be answered (the next opening in their zone) and that the assistant can help meanwhile.

Rasa-free: the clock is injected and the sending is a callback (the console passes one that goes
through its ConversationBridge). Idempotent: the "released" ticket event is written (and the pause
lifted) before the notice is sent, in one transaction that refuses a second release, so several
servers running the job never send a notice twice; a notice the channel refused is noted on the
ticket, not retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock, utcnow
from bot.hours import Zone
from bot.tickets.records import Ticket, TicketStateError
from bot.tickets.service import TicketService

logger = logging.getLogger(__name__)

# (conversation_id, text) -> whether the user's channel took the message
NoticeSender = Callable[[str, str], Awaitable[bool]]


def notice_text(number: str, opening: str) -> str:
    """What the user reads when their untaken ticket is released at closing time."""
    return (
        f"Mohon maaf, jam layanan petugas kami telah berakhir. Tiket {number} tetap dalam "
        f"antrean dan akan dijawab petugas mulai {opening}. Sementara itu, asisten kami siap "
        "membantu pertanyaan Bapak/Ibu."
    )


@dataclass(frozen=True)
class Released:
    """One released ticket and whether its notice reached the user's channel."""

    ticket: Ticket
    notice: str
    delivered: bool


class ClosingRelease:
    """The job: release every due ticket, each once, and send each user one notice."""

    def __init__(self, service: TicketService, send: NoticeSender, clock: Clock = utcnow) -> None:
        self.service, self.send, self.clock = service, send, clock

    def _release(self, ticket: Ticket, now: datetime) -> tuple[Ticket, str] | None:
        opening = self.service.hours.format_opening(now, ticket.zone or Zone.WIB)
        notice = notice_text(ticket.number, opening)
        try:
            return self.service.release(ticket.id, now, notice), notice
        except TicketStateError:  # taken by an agent or released by another server meanwhile
            return None

    async def run(self, now: datetime | None = None) -> list[Released]:
        """One round at `now` (the clock when None)."""
        now = now or self.clock()
        done = []
        for ticket in await asyncio.to_thread(self.service.release_due, now):
            released = await asyncio.to_thread(self._release, ticket, now)
            if released is None:
                continue
            ticket, notice = released
            try:
                delivered = await self.send(ticket.conversation_id, notice)
            except Exception:  # one unreachable user must not stop the round
                logger.exception("closing notice of %s not sent", ticket.number)
                delivered = False
            if not delivered:
                await asyncio.to_thread(
                    self.service.add_note,
                    ticket.id,
                    "bot",
                    "Pemberitahuan jam layanan berakhir tidak terkirim ke pengguna.",
                    now,
                )
            done.append(Released(ticket, notice, delivered))
        return done


async def run_forever(job: ClosingRelease, interval: float, rounds: int | None = None) -> None:
    """Run the job now and every `interval` seconds until cancelled (or `rounds` times)."""
    done = 0
    while rounds is None or done < rounds:
        try:
            released = await job.run()
            if released:
                logger.info("Released at closing: %s", ", ".join(r.ticket.number for r in released))
        except Exception:  # never fatal for the server
            logger.exception("Closing release round failed")
        done += 1
        if rounds is None or done < rounds:
            await asyncio.sleep(interval)
