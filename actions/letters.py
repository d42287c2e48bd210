"""Letter verification: the form, the verdict in one message, documents, and fake reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.common import OFFER_BUTTON, channel_of, label, open_ticket
from actions.common.blocking import blocking
from bot.letters.flags import find_flags
from bot.letters.messages import render, report_thanks
from bot.letters.numbers import find_numbers
from bot.letters.verdict import Verdict
from bot.tickets import taxonomy as keys
from bot.tickets.records import HandoffResult
from bot.tickets.taxonomy import Topic
from bot.uploads import ENTITY, UploadStore

REPORT_BUTTON = {"title": "Laporkan surat palsu", "payload": "/report_fake"}
EVIDENCE_LIMIT = 1000


def has_letter_content(text: str) -> bool:
    """True when the message itself carries something to verify (a number or a red flag)."""
    return bool(find_numbers(text) or find_flags(text, services.contacts()))


def log_verification(tracker: Tracker, verdict: Verdict) -> None:
    """Count the verification for the monthly report, and the conversation under Pengaduan, where
    the seed report puts "Apakah benar surat ini dari DJPK?" (SQL: run it through `blocking`)."""
    services.report_log().log_verification(
        verdict, channel=channel_of(tracker).value, conversation_id=tracker.sender_id
    )
    label(tracker, Topic.PENGADUAN)


async def reply(dispatcher: CollectingDispatcher, tracker: Tracker, verdict: Verdict) -> list:
    """Log the verification, answer in one message, remember it for a report."""
    await blocking(log_verification, tracker, verdict)
    buttons = [REPORT_BUTTON, OFFER_BUTTON] if verdict.offer_report else []
    dispatcher.utter_message(text=render(verdict, services.contacts()), buttons=buttons)
    remembered = {
        "verdict": verdict.verdict.value,
        "number": verdict.number,
        "evidence": verdict.evidence[:EVIDENCE_LIMIT],
        "file_sha256": verdict.file_sha256,
    }
    return [SlotSet("last_verification", remembered), SlotSet("letter_text", None)]


class ValidateVerifyLetterForm(FormValidationAction):
    """Skip the question when the first message already holds a number or the letter's text."""

    def name(self) -> str:
        return "validate_verify_letter_form"

    async def extract_letter_text(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot"):
            return {}
        text = tracker.latest_message.get("text") or ""
        return {"letter_text": text} if has_letter_content(text) else {}

    async def validate_letter_text(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        return {"letter_text": text or None}


class ActionVerifyLetter(Action):
    """Verify the number or text the user gave."""

    def name(self) -> str:
        return "action_verify_letter"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text = tracker.get_slot("letter_text") or tracker.latest_message.get("text") or ""
        verdict = await blocking(services.verifier().verify_text, text)
        return await reply(dispatcher, tracker, verdict)


def upload_path(reference: str | None) -> Path | None:
    """The uploaded file an upload id names (or, in trackers from before ids, its path inside
    the uploads folder); None for anything else, so no other file is ever opened."""
    return UploadStore.from_settings(services.settings()).resolve(reference)


def shared_upload(tracker: Tracker) -> str | None:
    """The upload the latest message hands over: the entity, else the channel's metadata."""
    value = next(tracker.get_latest_entity_values(ENTITY), None)
    metadata = tracker.latest_message.get("metadata") or {}
    return value or metadata.get("upload_id") or metadata.get("document_path")


class ActionVerifyDocument(Action):
    """Verify a PDF or photo a channel stored in the uploads folder, within the upload limits."""

    def name(self) -> str:
        return "action_verify_document"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        path = await blocking(upload_path, shared_upload(tracker))
        if path is None:
            dispatcher.utter_message(
                text="Mohon maaf, dokumen tidak dapat kami buka. Silakan kirim ulang PDF atau "
                "foto surat, atau ketik nomor suratnya."
            )
            return [SlotSet("document_path", None)]
        intake = services.document_intake()
        outcome = await intake.check(path, tracker.sender_id, channel_of(tracker).value)
        if outcome.verdict is None:
            dispatcher.utter_message(text=outcome.text(intake.limits), buttons=[OFFER_BUTTON])
            return [SlotSet("document_path", None)]
        return [*await reply(dispatcher, tracker, outcome.verdict), SlotSet("document_path", None)]


def file_report(tracker: Tracker, last: dict[str, Any]) -> tuple[Any, HandoffResult]:
    """The report of a suspicious letter and its Pengaduan ticket, linked (SQL: run it through
    `blocking`)."""
    instansi = tracker.get_slot("user_instansi")
    number = last.get("number")
    receipt = services.report_log().submit(
        conversation_id=tracker.sender_id,
        channel=channel_of(tracker).value,
        verdict=last.get("verdict") or "not_found",
        number=number,
        evidence_text=last.get("evidence") or tracker.latest_message.get("text") or "",
        file_sha256=last.get("file_sha256"),
        pemda=services.ticket_service().identify(instansi).pemda,
    )
    handoff = open_ticket(
        tracker,
        f"Laporan surat palsu {number or ''}".strip(),
        topic=Topic.PENGADUAN,
        pause=False,
        separate=True,
        context={keys.LETTER_REPORT: last},
    )
    services.report_log().attach_ticket(receipt.id, handoff.ticket.id)
    return receipt, handoff


class ActionReportFake(Action):
    """Record a report of a suspicious letter and open a Pengaduan ticket for the agents."""

    def name(self) -> str:
        return "action_report_fake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        last = tracker.get_slot("last_verification") or {}
        number = last.get("number")
        receipt, handoff = await blocking(file_report, tracker, last)
        text = report_thanks(receipt.count, number)
        dispatcher.utter_message(text=f"{text} Nomor tiket: {handoff.ticket.number}.")
        return [SlotSet("ticket_number", handoff.ticket.number)]
