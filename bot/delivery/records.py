"""The delivery state machine of one agent reply, and the record the console shows.

An agent reply starts `queued`. The send result moves it to `sent` (or `failed` with the
channel's reason); WhatsApp status webhooks move it on to `delivered` and `read`, or `failed`.
States only move forward: a `delivered` status arriving after `read` (Meta does not promise the
order) changes nothing, and a late `failed` never overrides `read`. A failed reply goes back to
`queued` only by an agent's retry ("Kirim ulang").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

WHATSAPP_WINDOW = timedelta(hours=24)  # Meta's customer service window


class State(str, Enum):
    """Where an agent reply is on its way to the user."""

    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"


_RANK = {State.QUEUED: 0, State.SENT: 1, State.DELIVERED: 2, State.READ: 3}
LABELS = {
    State.QUEUED: "menunggu",
    State.SENT: "terkirim",
    State.DELIVERED: "diterima",
    State.READ: "dibaca",
    State.FAILED: "gagal",
}


def advance(current: State, new: State) -> State:
    """The state after `new` is reported for a reply in `current` (never backwards)."""
    if current is State.FAILED:
        return current  # only a retry leaves failed
    if new is State.FAILED:
        return current if current is State.READ else State.FAILED
    return new if _RANK[new] > _RANK[current] else current


def retryable(state: State) -> bool:
    """Only a failed reply can be sent again."""
    return state is State.FAILED


def window_open(last_user_at: datetime | None, now: datetime) -> bool:
    """True while Meta lets a business send free text: within 24 h of the user's last message."""
    return last_user_at is not None and now - last_user_at < WHATSAPP_WINDOW


@dataclass(frozen=True)
class MessageDelivery:
    """The delivery of one agent reply (a ticket message), as stored."""

    message_id: int
    ticket_id: int
    conversation_id: str
    channel: str
    text: str
    state: State
    reason: str = ""
    wamid: str | None = None
    attempts: int = 0
    updated_at: datetime | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, with the Indonesian label the console shows."""
        return {
            "state": self.state.value,
            "label": LABELS[self.state],
            "reason": self.reason,
            "channel": self.channel,
            "retryable": retryable(self.state),
        }


@dataclass(frozen=True)
class Reopen:
    """The approved WhatsApp template that reopens the 24-hour window (WHATSAPP_REOPEN_TEMPLATE).

    Its body takes two parameters: {{1}} the user's name ("Bapak/Ibu" when unknown) and {{2}}
    the ticket number.
    """

    name: str
    language: str = "id"
