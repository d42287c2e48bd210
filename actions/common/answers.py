"""Answering from the FAQ, shared by the FAQ actions and by the forms and acknowledgements that
meet a question: search, answer with buttons, say honestly when nothing fits, log the miss."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import services
from actions.common import OFFER, OFFER_BUTTON, label
from actions.common.blocking import blocking
from bot.contacts import contacts_text
from bot.kb.followups import expand
from bot.kb.records import FaqEntry, FaqMatch, SearchHit
from bot.tickets.classify import classify_topic

ASK_HELPFUL = "Apakah jawaban ini membantu?"
NOT_FOUND = (
    "Mohon maaf, kami belum menemukan jawaban atas pertanyaan tersebut di basis pengetahuan "
    "kami. Pertanyaan Bapak/Ibu kami catat untuk unit terkait."
)
WHICH_ONE = "Apakah yang Bapak/Ibu maksud salah satu dari berikut?"


def answer_text(entry: FaqEntry) -> str:
    """The answer with its legal basis, as one phone-sized message."""
    if not entry.references:
        return entry.answer.strip()
    return f"{entry.answer.strip()}\n\nDasar: {'; '.join(entry.references)}"


def choice_button(entry: FaqEntry) -> dict[str, str]:
    """A button that answers one entry when tapped."""
    payload = "/choose_faq" + json.dumps({"faq_id": entry.id})
    return {"title": entry.questions[0], "payload": payload}


def helpful_buttons() -> list[dict[str, str]]:
    """Ya/Tidak buttons after an answer."""
    return [
        {"title": "Ya", "payload": '/faq_feedback{"helpful": "ya"}'},
        {"title": "Tidak", "payload": '/faq_feedback{"helpful": "tidak"}'},
    ]


def utter_answer(
    dispatcher: CollectingDispatcher, hit: SearchHit, others: list[str], query: str | None = None
) -> list:
    """Send one answer and the helpful question; remember it for feedback and follow-ups."""
    dispatcher.utter_message(text=answer_text(hit.entry))
    dispatcher.utter_message(text=ASK_HELPFUL, buttons=helpful_buttons())
    events = [SlotSet("faq_last_id", hit.id), SlotSet("faq_alternatives", others)]
    return events + ([SlotSet("faq_last_query", query)] if query else [])


def best_match(text: str, previous: str | None) -> FaqMatch:
    """The question as asked, or rewritten as a follow-up of the previous one ("kalau DBH?").

    A follow-up naming another program is answered only from that program's entries, so an
    unknown one gets "belum ada jawaban" instead of the previous answer again.
    """
    retriever = services.knowledge_base().retriever
    direct = retriever.match(text, k=4)
    expanded = expand(text, previous, retriever.programs)
    if not expanded or (direct.confident and not direct.programs):
        return direct
    followed = retriever.match(expanded, k=4)
    if direct.programs:  # "kalau DBH?": the rewritten question says what "DBH" is asked about
        return followed if followed.hits or not direct.hits else direct
    return direct if direct.confident else followed


def faq_entries(*ids: str | None) -> list[FaqEntry | None]:
    """The entries of these ids (None for an unknown or missing one), in the same order."""
    kb = services.knowledge_base()
    return [kb.get(faq_id) if faq_id else None for faq_id in ids]


def record_miss(
    tracker: Tracker, text: str, best_id: str | None, best_unit: str | None, best_score: float
) -> None:
    """Log an unanswered question with the closest entry, for the owning units."""
    services.miss_log().record(
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "unknown",
        text=text,
        best_id=best_id,
        best_unit=best_unit,
        best_score=best_score,
    )


def record_vote(tracker: Tracker, text: str, entry: FaqEntry | None) -> None:
    """Log a "Tidak membantu" vote on the answer just given, for the entry's unit."""
    services.vote_log().record(
        conversation_id=tracker.sender_id,
        channel=tracker.get_latest_input_channel() or "unknown",
        text=text,
        faq_id=entry.id if entry else None,
        unit=entry.unit if entry else None,
    )


def not_found_text(match: FaqMatch) -> str:
    """ "Belum ada jawaban", naming the program the question was about when it named one."""
    programs = services.knowledge_base().retriever.programs
    names = [p.name for p in map(programs.get, match.programs) if p is not None]
    if not names:
        return NOT_FOUND
    return (
        f"Mohon maaf, basis pengetahuan kami belum memuat jawaban atas pertanyaan tersebut "
        f"tentang {' dan '.join(names)}. Pertanyaan Bapak/Ibu kami catat untuk unit terkait."
    )


def utter_not_found(dispatcher: CollectingDispatcher, intro: str = NOT_FOUND) -> None:
    """Say honestly that the knowledge base does not know; offer an agent and the contacts."""
    dispatcher.utter_message(text=f"{intro}\n\n{contacts_text(services.contacts())}")
    dispatcher.utter_message(text=OFFER, buttons=[OFFER_BUTTON])


def fallbacks_in_a_row(tracker: Tracker) -> int:
    """How many of the latest user messages in a row the NLU could not classify."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if (event.get("parse_data") or {}).get("intent", {}).get("name") != "nlu_fallback":
            break
        count += 1
    return count


async def answer_faq(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    """Search the knowledge base with the user's own words (what action_answer_faq does).

    The search, the miss log and the label run in worker threads (`blocking`); the messages
    are sent from the loop.
    """
    text = tracker.latest_message.get("text") or ""
    match = await blocking(best_match, text, tracker.get_slot("faq_last_query"))
    offer = fallbacks_in_a_row(tracker) >= 2
    if match.confident:
        hit = match.hits[0]
        await blocking(label, tracker, classify_topic(f"{hit.entry.topic} {hit.id}"))
        events = utter_answer(dispatcher, hit, [h.id for h in match.hits[1:]], match.query)
        if offer:
            dispatcher.utter_message(text=OFFER, buttons=[OFFER_BUTTON])
        return events
    if match.ambiguous:
        buttons = [choice_button(hit.entry) for hit in match.hits[:3]]
        dispatcher.utter_message(text=WHICH_ONE, buttons=[*buttons, *([OFFER_BUTTON] * offer)])
    else:
        await blocking(record_miss, tracker, text, match.best_id, match.best_unit, match.best_score)
        await blocking(label, tracker, classify_topic(text))
        utter_not_found(dispatcher, await blocking(not_found_text, match))
    return [SlotSet("faq_last_id", None), SlotSet("faq_alternatives", [])]
