"""Requests that become tickets: data (PPID), complaints, letter status; routine reports."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.catalogue import label
from actions.faq import answer_text
from actions.handoff import channel_of
from bot.tickets.classify import classify_topic
from bot.tickets.taxonomy import Topic

DATA_SLOTS = ("data_purpose", "data_wanted", "data_years")
COMPLAINT_SLOTS = ("complaint_what", "complaint_where", "complaint_when", "complaint_evidence")
ROUTINE_REPORTS_ENTRY = "email-lapor"  # the Secretariat's FAQ entry, edited without retraining
POLICY_WORDS = ("kebijakan", "multitafsir", "tidak jelas", "ambigu", "definisi", "aturan")


def open_ticket(tracker: Tracker, topic: Topic, summary: str, context: dict[str, Any]):
    """A queued ticket for this conversation; the bot keeps answering until an agent claims it."""
    return services.ticket_service().open_handoff(
        conversation_id=tracker.sender_id, channel=channel_of(tracker),
        name=tracker.get_slot("user_name"), instansi=tracker.get_slot("user_instansi"),
        topic_text=summary, topic=topic, pause=False, context=context,
    )  # fmt: skip


class ActionCreateDataRequest(Action):
    """Record a data request (PPID) as a Permintaan Data ticket."""

    def name(self) -> str:
        return "action_create_data_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        details = {slot: tracker.get_slot(slot) for slot in DATA_SLOTS}
        summary = f"Permintaan data {details['data_wanted']} ({details['data_years']})"
        result = open_ticket(tracker, Topic.PERMINTAAN_DATA, summary, details)
        dispatcher.utter_message(
            text=f"Permintaan data Bapak/Ibu telah kami catat dengan nomor tiket "
            f"{result.ticket.number} dan akan diproses oleh PPID DJPK. Jawaban akan kami "
            "sampaikan melalui percakapan ini."
        )
        label(tracker, Topic.PERMINTAAN_DATA)
        return [SlotSet(s, None) for s in DATA_SLOTS] + [
            SlotSet("ticket_number", result.ticket.number)
        ]


class ActionCreateComplaint(Action):
    """A complaint (or policy complaint) escalated to the unit that owns its topic."""

    def name(self) -> str:
        return "action_create_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        details = {slot: tracker.get_slot(slot) for slot in COMPLAINT_SLOTS}
        what = details["complaint_what"] or ""
        policy = any(word in what.lower() for word in POLICY_WORDS)
        kind = "keluhan_kebijakan" if policy else "pengaduan"
        unit = services.escalation_units().for_topic(classify_topic(what))
        context = {"jenis": kind, **({"keluhan": "kebijakan"} if policy else {}), **details}
        result = open_ticket(tracker, Topic.PENGADUAN, what, context)
        service = services.ticket_service()
        service.store.escalate(result.ticket.id, unit, "bot", service.clock(), note=kind)
        name = "Keluhan kebijakan" if policy else "Pengaduan"
        dispatcher.utter_message(
            text=f"{name} Bapak/Ibu telah kami terima dengan nomor tiket {result.ticket.number} "
            "dan diteruskan kepada unit terkait. Tindak lanjut akan kami sampaikan melalui "
            "percakapan ini."
        )
        label(tracker, Topic.PENGADUAN)
        return [SlotSet(s, None) for s in COMPLAINT_SLOTS] + [
            SlotSet("ticket_number", result.ticket.number)
        ]


class ActionCreateLetterStatus(Action):
    """A question about a letter sent to DJPK becomes a Surat Masuk ticket."""

    def name(self) -> str:
        return "action_create_letter_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        sent = tracker.get_slot("sent_letter") or ""
        result = open_ticket(tracker, Topic.SURAT_MASUK, f"Status surat: {sent}", {"surat": sent})
        dispatcher.utter_message(
            text=f"Pertanyaan status surat Bapak/Ibu telah kami catat dengan nomor tiket "
            f"{result.ticket.number}. Petugas akan menelusuri dan menyampaikan statusnya melalui "
            "percakapan ini."
        )
        label(tracker, Topic.SURAT_MASUK)
        return [SlotSet("sent_letter", None), SlotSet("ticket_number", result.ticket.number)]


class ActionRouteReport(Action):
    """Routine reports (syarat salur DAU/DBH, DAK Non Fisik, APBD) go to the Lapor e-mail."""

    def name(self) -> str:
        return "action_route_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        entry = services.knowledge_base().get(ROUTINE_REPORTS_ENTRY)
        if entry is not None:
            dispatcher.utter_message(text=answer_text(entry))
        else:
            email = services.contacts().email_lapor
            dispatcher.utter_message(text=f"Laporan rutin mohon dikirim ke {email}.")
        label(tracker, Topic.SURAT_MASUK)
        return []
