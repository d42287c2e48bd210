"""Optional mirror of tickets to Deskpro (REST API v2), fed by the outbox and retried with backoff.

Each ticket becomes one Deskpro ticket: `POST {DESKPRO_URL}/api/v2/tickets` with
`Authorization: key {DESKPRO_API_KEY}` and a JSON body holding the subject, the requester, labels
and the first message (HTML, every user-supplied text escaped). Nothing is dropped: a failed send
(network, 5xx, 429, even a 4xx) stays in the outbox and is tried again later, up to once an hour.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import html
import logging
import random
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import requests

from bot.console.outbox import DeskproOutbox, OutboxItem
from bot.tickets.records import Ticket, TicketMessage
from bot.tickets.store import TicketStore

logger = logging.getLogger(__name__)

PERSON_DOMAIN = "chat.djpk.invalid"  # chat users have no e-mail; one stable address per user
LABEL = "djpk-assistant"


class DeskproError(Exception):
    """Deskpro did not create the ticket."""


def ticket_payload(ticket: Ticket, messages: Sequence[TicketMessage]) -> dict[str, Any]:
    """The v2 ticket-create body for one ticket and its transcript."""
    digest = hashlib.sha256(f"{ticket.channel.value}:{ticket.conversation_id}".encode()).hexdigest()
    lines = [
        ("Nomor tiket", ticket.number), ("Kanal", ticket.channel.value),
        ("Nama", ticket.user_name), ("Instansi", ticket.instansi),
        ("Kategori", ticket.category.value if ticket.category else None), ("Pemda", ticket.pemda),
        ("Zona", ticket.zone.value if ticket.zone else None), ("Topik", ticket.topic.value),
        ("Jam layanan", "ya" if ticket.in_service_hours else "di luar jam layanan"),
        ("Permasalahan", ticket.summary),
    ]  # fmt: skip
    facts = "".join(
        f"<b>{html.escape(label)}:</b> {html.escape(str(value))}<br>\n"
        for label, value in lines
        if value
    )
    transcript = "".join(
        f"[{m.at:%Y-%m-%d %H:%M} UTC] <b>{html.escape(m.sender.value)}</b>: "
        f"{html.escape(m.text)}<br>\n"
        for m in messages
    )
    subject = f"[{ticket.number}] {ticket.topic.value}: {ticket.summary or 'permintaan petugas'}"
    labels = [LABEL, f"kanal-{ticket.channel.value}", f"topik-{ticket.topic.value}"]
    return {
        "subject": subject[:200],
        "person": {
            "name": ticket.user_name or f"Pengguna {ticket.channel.value}",
            "email": f"{digest[:24]}@{PERSON_DOMAIN}",
        },
        "status": "awaiting_agent",
        "labels": labels + ([f"zona-{ticket.zone.value}"] if ticket.zone else []),
        "message": {"message": f"{facts}<hr>\n{transcript}", "format": "html"},
    }


class DeskproClient:
    """Creates tickets through Deskpro's REST API v2 (a requests.Session can be swapped in)."""

    def __init__(
        self, base_url: str, api_key: str, http: requests.Session | None = None,
        timeout: float = 15.0,
    ) -> None:  # fmt: skip
        base = base_url.rstrip("/")
        self.url = base if base.endswith("/api/v2") else f"{base}/api/v2"
        self.api_key, self.timeout = api_key, timeout
        self.http = http or requests.Session()

    def create_ticket(self, payload: dict[str, Any]) -> tuple[int | None, str | None]:
        """POST /tickets; the new ticket's id and ref, or DeskproError."""
        headers = {"Authorization": f"key {self.api_key}", "Accept": "application/json"}
        try:
            response = self.http.post(
                f"{self.url}/tickets", json=payload, headers=headers, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise DeskproError(f"network: {exc}") from exc
        if response.status_code not in (200, 201):
            raise DeskproError(f"HTTP {response.status_code}: {response.text[:300]}")
        try:
            data = response.json().get("data") or {}
        except ValueError as exc:
            raise DeskproError("answer is not JSON") from exc
        return data.get("id"), data.get("ref")


def backoff(attempts: int, base: float = 15.0, cap: float = 3600.0) -> timedelta:
    """Wait before the next try: doubling from `base` seconds up to `cap`, with ±20 % jitter."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))


class DeskproMirror:
    """Queues new tickets and sends due ones; `run` loops until stopped (one task per server)."""

    def __init__(
        self,
        outbox: DeskproOutbox,
        client: DeskproClient,
        tickets: TicketStore,
        interval: float = 5.0,
        retry_in: Callable[[int], timedelta] = backoff,
    ) -> None:
        self.outbox, self.client, self.tickets = outbox, client, tickets
        self.interval, self.retry_in = interval, retry_in
        self.stopped = asyncio.Event()

    def _send(self, item: OutboxItem) -> None:
        try:
            ticket = self.tickets.get(item.ticket_id)
            if ticket is None:
                raise DeskproError(f"ticket {item.ticket_id} not found")
            payload = ticket_payload(ticket, self.tickets.messages(ticket.id))
            deskpro_id, ref = self.client.create_ticket(payload)
        except Exception as exc:  # never lose the row: record and try again later
            logger.warning("Deskpro mirror of ticket %s failed: %s", item.ticket_id, exc)
            self.outbox.failed(item, str(exc), self.retry_in(item.attempts + 1))
            return
        self.outbox.sent(item, deskpro_id, ref)

    def run_once(self) -> int:
        """Queue new tickets, send what is due; returns how many sends were tried."""
        self.outbox.enqueue_new()
        items = self.outbox.lease_due()
        for item in items:
            self._send(item)
        return len(items)

    async def run(self) -> None:
        """Loop until `stop()`; a failing database only delays the next round."""
        while not self.stopped.is_set():
            try:
                busy = await asyncio.to_thread(self.run_once)
            except Exception:
                logger.exception("Deskpro mirror round failed")
                busy = 0
            if busy:
                continue
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.stopped.wait(), self.interval)

    def stop(self) -> None:
        """Ask the loop to end after its current round."""
        self.stopped.set()
