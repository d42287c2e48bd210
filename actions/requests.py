"""Requests that become tickets: data (PPID), complaints, letter status; routine reports."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.common import label, open_ticket
from actions.common.answers import answer_text, faq_entries
from actions.common.blocking import blocking
from bot.tickets import taxonomy as keys
from bot.tickets.classify import classify_topic
from bot.tickets.taxonomy import Topic

DATA_SLOTS = ("data_purpose", "data_wanted", "data_years")
COMPLAINT_SLOTS = ("complaint_what", "complaint_where", "complaint_when", "complaint_evidence")
ROUTINE_REPORTS_ENTRY = "email-lapor"  # the Secretariat's FAQ entry, edited without retraining
POLICY_WORDS = ("kebijakan", "multitafsir", "tidak jelas", "ambigu", "definisi", "aturan")


class ActionCreateDataRequest(Action):
    """Record a data request (PPID) as a Permintaan Data ticket."""

    def name(self) -> str:
        return "action_create_data_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        details = {slot: tracker.get_slot(slot) for slot in DATA_SLOTS}
        summary = f"Permintaan data {details['data_wanted']} ({details['data_years']})"
        result = await blocking(
            open_ticket,
            tracker,
            summary,
            topic=Topic.PERMINTAAN_DATA,
            pause=False,
            separate=True,
            context=details,
        )
        dispatcher.utter_message(
            text=f"Permintaan data Bapak/Ibu telah kami catat dengan nomor tiket "
            f"{result.ticket.number} dan akan diproses oleh PPID DJPK. Jawaban akan kami "
            "sampaikan melalui percakapan ini."
        )
        await blocking(label, tracker, Topic.PERMINTAAN_DATA)
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
        kind = keys.POLICY_COMPLAINT_KIND if policy else keys.COMPLAINT_KIND
        unit = services.escalation_units().for_topic(classify_topic(what))
        context = {keys.KIND: kind, **({keys.COMPLAINT: keys.POLICY} if policy else {}), **details}
        result = await blocking(
            open_ticket,
            tracker,
            what,
            topic=Topic.PENGADUAN,
            pause=False,
            separate=True,
            context=context,
            unit=unit,
            note=kind,
        )
        name = "Keluhan kebijakan" if policy else "Pengaduan"
        dispatcher.utter_message(
            text=f"{name} Bapak/Ibu telah kami terima dengan nomor tiket {result.ticket.number} "
            "dan diteruskan kepada unit terkait. Tindak lanjut akan kami sampaikan melalui "
            "percakapan ini."
        )
        await blocking(label, tracker, Topic.PENGADUAN)
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
        result = await blocking(
            open_ticket,
            tracker,
            f"Status surat: {sent}",
            topic=Topic.SURAT_MASUK,
            pause=False,
            separate=True,
            context={keys.LETTER: sent},
        )
        dispatcher.utter_message(
            text=f"Pertanyaan status surat Bapak/Ibu telah kami catat dengan nomor tiket "
            f"{result.ticket.number}. Petugas akan menelusuri dan menyampaikan statusnya melalui "
            "percakapan ini."
        )
        await blocking(label, tracker, Topic.SURAT_MASUK)
        return [SlotSet("sent_letter", None), SlotSet("ticket_number", result.ticket.number)]


class ActionRouteReport(Action):
    """Routine reports (syarat salur DAU/DBH, DAK Non Fisik, APBD) go to the Lapor e-mail."""

    def name(self) -> str:
        return "action_route_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        [entry] = await blocking(faq_entries, ROUTINE_REPORTS_ENTRY)
        if entry is not None:
            dispatcher.utter_message(text=answer_text(entry))
        else:
            email = services.contacts().email_lapor
            dispatcher.utter_message(text=f"Laporan rutin mohon dikirim ke {email}.")
        await blocking(label, tracker, Topic.SURAT_MASUK)
        return []
