"""Hand-off to a human agent: the form, the ticket, relaying while paused (CSAT in csat.py)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.common import (
    channel_of,
    last_question,
    latest_user_event,
    open_ticket,
    sent_at,
    transcript,
)
from actions.common.blocking import blocking
from actions.common.forms import FreeTextForm
from bot.forms import is_explicit_cancel
from bot.hours import Zone
from bot.tickets import taxonomy as keys
from bot.waiting import expected_answer


class ValidateHandoffForm(FreeTextForm):
    """Ask only what is unknown: the remembered profile and the pending question fill the rest."""

    OPTIONAL = frozenset({"user_name", "user_instansi"})
    QUESTION_OK = frozenset({"handoff_topic"})  # the question is what the agent is asked

    def name(self) -> str:
        return "validate_handoff_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        asked = tracker.get_slot("requested_slot")  # its answer is still to be validated
        return [s for s in domain_slots if tracker.get_slot(s) in (None, "") or s == asked]

    async def extract_user_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._from_profile(tracker, "user_name", "name")

    async def extract_user_instansi(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self._from_profile(tracker, "user_instansi", "instansi")

    async def extract_handoff_topic(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("handoff_topic") or tracker.get_slot("requested_slot"):
            return {}
        question = last_question(tracker)
        return {"handoff_topic": question} if question else {}

    @staticmethod
    async def _from_profile(tracker: Tracker, slot: str, field: str) -> dict[str, Any]:
        if tracker.get_slot(slot) or tracker.get_slot("requested_slot"):
            return {}
        service = await blocking(services.ticket_service)
        profile = await blocking(service.profile, tracker.sender_id, channel_of(tracker))
        value = getattr(profile, field, None) if profile else None
        return {slot: value} if value else {}

    async def validate_user_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        name = str(value or "").strip()
        if not 2 <= len(name) <= 80:
            dispatcher.utter_message(text="Mohon tuliskan nama Bapak/Ibu (2-80 karakter).")
            return {"user_name": None}
        return {"user_name": name}

    async def validate_user_instansi(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        instansi = str(value or "").strip()
        return {"user_instansi": instansi[:120] or None}

    async def validate_handoff_topic(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        topic = str(value or "").strip()
        return {"handoff_topic": topic[:2000] or None}


class ActionOpenTicket(Action):
    """Queue a ticket (idempotent) and tell the user when an agent will answer."""

    def name(self) -> str:
        return "action_open_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        context = {
            keys.FAQ_LAST_ID: tracker.get_slot("faq_last_id"),
            keys.LAST_VERIFICATION: tracker.get_slot("last_verification"),
        }
        result = await blocking(
            open_ticket,
            tracker,
            tracker.get_slot("handoff_topic") or "",
            history=transcript(tracker),
            context={key: value for key, value in context.items() if value},
        )
        number = result.ticket.number
        if result.in_hours:
            text = (
                f"Permintaan Bapak/Ibu telah kami terima dengan nomor tiket {number}. "
                "Petugas kami akan membalas di percakapan ini. Mohon ditunggu."
            )
        else:
            text = (
                f"Permintaan Bapak/Ibu telah kami terima dengan nomor tiket {number}. "
                f"Saat ini di luar jam layanan; petugas akan membalas di percakapan ini mulai "
                f"{result.opening}."
            )
        dispatcher.utter_message(text=text)
        return [SlotSet("ticket_number", number), SlotSet("handoff_topic", None)]


WAITING = "Pesan Bapak/Ibu telah kami tambahkan ke tiket"
CANCELLED = (
    "Baik, permintaan dihubungkan dengan petugas (tiket {number}) kami batalkan. Silakan "
    "sampaikan pertanyaan Bapak/Ibu, asisten kami siap membantu."
)


def waiting_text(number: str, position: int, expected: str) -> str:
    """The acknowledgment of a message sent while no agent has taken the ticket yet, with the
    sentence of the expected answer (bot.waiting)."""
    place = "berikutnya" if position <= 1 else f"ke-{position}"
    return (
        f"{WAITING} {number}. Tiket Bapak/Ibu berada di urutan {place} untuk dijawab petugas. "
        f'{expected} Ketik "batal" bila tidak jadi menunggu.'
    )


def acknowledged_since(tracker: Tracker, since: datetime) -> bool:
    """Whether the bot already acknowledged a waiting message at or after `since`."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot" and (event.get("text") or "").startswith(WAITING):
            return sent_at(event) >= since
    return False


class ActionRelayToAgent(Action):
    """While the conversation is with the agents: add each message to the ticket. Before an agent
    takes it, acknowledge (at most every DJPK_WAIT_ACK_MINUTES) with the number, the place in
    the queue and the expected answer (bot.waiting), and let "batal" end the wait."""

    def name(self) -> str:
        return "action_relay_to_agent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text, latest = tracker.latest_message.get("text"), latest_user_event(tracker)
        if not text or latest is None:
            return []
        service, now = await blocking(services.ticket_service), sent_at(latest)
        await blocking(service.record_user_message, tracker.sender_id, text, now)
        waiting = await blocking(service.waiting, tracker.sender_id)
        if waiting is None:  # an agent has the conversation: the message is theirs
            return []
        if is_explicit_cancel(text):
            await blocking(service.cancel_waiting, tracker.sender_id, now)
            dispatcher.utter_message(text=CANCELLED.format(number=waiting.ticket.number))
            return [SlotSet("ticket_number", None)]
        settings = services.settings()
        if not acknowledged_since(tracker, now - timedelta(minutes=settings.wait_ack_minutes)):
            clock = service.clock()  # the service's clock decides hours, as when the ticket opened
            expected = expected_answer(
                service.hours, clock, waiting.position, settings.minutes_per_ticket
            )
            when = expected.describe(clock, waiting.ticket.zone or Zone.WIB)
            dispatcher.utter_message(
                text=waiting_text(waiting.ticket.number, waiting.position, when)
            )
        return []


UNAVAILABLE = "Mohon maaf, pesan Bapak/Ibu sudah kami catat; kami akan segera menindaklanjutinya."


class ActionHandoffUnavailable(Action):
    """When HandoffPolicy cannot read the hand-off state (database error) the bot must not
    answer over an agent: one line that the message was recorded, nothing else.

    Where the message is kept: in the conversation's tracker (the UserUttered event this action
    follows, saved by the tracker store of endpoints.yml, its own database by default). The action
    also tries to add it to the active ticket's transcript, as the relay does, which succeeds when
    only the policy's read failed. When the ticket store is still down the write fails and is
    logged; the message then stays in the tracker only, next to this action's reply (UNAVAILABLE),
    and nothing copies it into the ticket yet (the console shows the ticket's transcript, not the
    tracker), so it is found in the tracker store, not in the console.
    """

    def name(self) -> str:
        return "action_handoff_unavailable"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text, latest = tracker.latest_message.get("text"), latest_user_event(tracker)
        if text and latest is not None:
            try:
                service = await blocking(services.ticket_service)
                await blocking(
                    service.record_user_message, tracker.sender_id, text, sent_at(latest)
                )
            except Exception:  # the ticket store is down as well: the tracker keeps the message
                logging.getLogger(__name__).exception("message not added to the ticket")
        dispatcher.utter_message(text=UNAVAILABLE)
        return []
