"""Optional mirror of tickets to Deskpro (REST API v2), fed by the outbox and retried with backoff.

Each ticket becomes one Deskpro ticket: `POST {DESKPRO_URL}/api/v2/tickets` with
`Authorization: key {DESKPRO_API_KEY}` and a JSON body holding the subject, the requester, labels
and the first message (HTML, every user-supplied text escaped). Nothing is dropped: a failed send
(network, 5xx, 429, even a 4xx) stays in the outbox and is tried again later, up to once an hour.

Deskpro's v2 API has no idempotency header, so every create carries an idempotency key derived from
our ticket as a label (`djpk-key-<ticket number>`) and as an `Idempotency-Key` header (for a proxy
that honours it). A row that may have been sent before (a failed try, or a lease that ran out
without a recorded result: a crash between Deskpro's create and our bookkeeping) is first looked up
with `GET /api/v2/ticket_labels/{key}/tickets`; when Deskpro already has it, that ticket is recorded
and no second one is made. Leases are sized to the batch (batch size x calls per item x the HTTP
timeout, plus a margin) and renewed before each item, so a slow batch never outlives its lease.
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
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import requests

from bot.console.outbox import DeskproOutbox, OutboxItem
from bot.tickets.records import Ticket, TicketMessage

if TYPE_CHECKING:
    from bot.tickets.service import TicketService

logger = logging.getLogger(__name__)

PERSON_DOMAIN = "chat.djpk.invalid"  # chat users have no e-mail; one stable address per user
LABEL = "djpk-assistant"
KEY_PREFIX = "djpk-key-"
CALLS_PER_ITEM = 2  # the look-up by idempotency key, then the create
LEASE_MARGIN = timedelta(seconds=60)


class DeskproError(Exception):
    """Deskpro did not create the ticket."""


def idempotency_key(ticket: Ticket) -> str:
    """The label that names this ticket in Deskpro (stable across retries and servers)."""
    return f"{KEY_PREFIX}{ticket.number.lower()}"


def ticket_payload(ticket: Ticket, messages: Sequence[TicketMessage]) -> dict[str, Any]:
    """The v2 ticket-create body for one ticket and its transcript."""
    digest = hashlib.sha256(f"{ticket.channel.value}:{ticket.conversation_id}".encode()).hexdigest()
    lines = [
        ("Nomor tiket", ticket.number),
        ("Kanal", ticket.channel.value),
        ("Nama", ticket.user_name),
        ("Instansi", ticket.instansi),
        ("Kategori", ticket.category.value if ticket.category else None),
        ("Pemda", ticket.pemda),
        ("Zona", ticket.zone.value if ticket.zone else None),
        ("Topik", ticket.topic.value),
        ("Jam layanan", "ya" if ticket.in_service_hours else "di luar jam layanan"),
        ("Permasalahan", ticket.summary),
    ]
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
    labels.append(idempotency_key(ticket))
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
        self,
        base_url: str,
        api_key: str,
        http: requests.Session | None = None,
        timeout: float = 15.0,
    ) -> None:
        base = base_url.rstrip("/")
        self.url = base if base.endswith("/api/v2") else f"{base}/api/v2"
        self.api_key, self.timeout = api_key, timeout
        self.http = http or requests.Session()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"key {self.api_key}", "Accept": "application/json"}

    def create_ticket(
        self, payload: dict[str, Any], key: str | None = None
    ) -> tuple[int | None, str | None]:
        """POST /tickets (with the idempotency key as a header); the new id and ref."""
        headers = self._headers() | ({"Idempotency-Key": key} if key else {})
        try:
            response = self.http.post(
                f"{self.url}/tickets", json=payload, headers=headers, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise DeskproError(f"network: {exc}") from exc
        if response.status_code not in (200, 201):
            raise DeskproError(f"HTTP {response.status_code}: {response.text[:300]}")
        data = _data(response)
        return data.get("id"), data.get("ref")

    def find_ticket(self, key: str) -> tuple[int | None, str | None] | None:
        """GET /ticket_labels/{key}/tickets: the ticket already made under this key, or None."""
        try:
            response = self.http.get(
                f"{self.url}/ticket_labels/{quote(key, safe='')}/tickets",
                headers=self._headers(),
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise DeskproError(f"network: {exc}") from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise DeskproError(f"look-up HTTP {response.status_code}: {response.text[:300]}")
        found = _data(response)
        if not isinstance(found, list) or not found:
            return None
        first = min(found, key=lambda t: t.get("id") or 0)
        return first.get("id"), first.get("ref")


def _data(response: requests.Response) -> Any:
    try:
        payload = response.json()
    except ValueError as exc:
        raise DeskproError("answer is not JSON") from exc
    return (payload.get("data") if isinstance(payload, dict) else None) or {}


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
        tickets: TicketService,
        interval: float = 5.0,
        retry_in: Callable[[int], timedelta] = backoff,
        batch: int = 10,
    ) -> None:
        self.outbox, self.client, self.tickets = outbox, client, tickets
        self.interval, self.retry_in, self.batch = interval, retry_in, batch
        self.stopped = asyncio.Event()

    @property
    def item_lease(self) -> timedelta:
        """Long enough for one item's calls, each at most the client's timeout."""
        return timedelta(seconds=CALLS_PER_ITEM * self.client.timeout) + LEASE_MARGIN

    @property
    def batch_lease(self) -> timedelta:
        """Long enough for a whole batch, so no row's lease runs out before its turn."""
        return timedelta(seconds=self.batch * CALLS_PER_ITEM * self.client.timeout) + LEASE_MARGIN

    def _send(self, item: OutboxItem) -> None:
        try:
            ticket = self.tickets.get(item.ticket_id)
            if ticket is None:
                raise DeskproError(f"ticket {item.ticket_id} not found")
            key = idempotency_key(ticket)
            found = self.client.find_ticket(key) if item.tried else None
            if found is not None:
                logger.info("Deskpro already has ticket %s (key %s)", item.ticket_id, key)
                deskpro_id, ref = found
            else:
                payload = ticket_payload(ticket, self.tickets.messages(ticket.id))
                deskpro_id, ref = self.client.create_ticket(payload, key)
        except Exception as exc:  # never lose the row: record and try again later
            logger.warning("Deskpro mirror of ticket %s failed: %s", item.ticket_id, exc)
            self.outbox.failed(item, str(exc), self.retry_in(item.attempts + 1))
            return
        self.outbox.sent(item, deskpro_id, ref)

    def run_once(self) -> int:
        """Queue new tickets, send what is due; returns how many sends were tried."""
        self.outbox.enqueue_new()
        items = self.outbox.lease_due(self.batch, self.batch_lease)
        for item in items:
            renewed = self.outbox.renew(item, self.item_lease)
            if renewed is None:  # our lease ran out and another server took the row
                logger.warning("Deskpro outbox row %s was taken over; skipped", item.id)
                continue
            self._send(renewed)
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
