"""Agent assist: the knowledge-base answers the bot itself would consider for a ticket's question.

The search is the bot's own: `KnowledgeBase.match` of the shared, hot-reloaded knowledge base
(`KnowledgeBase.from_settings`, the one `actions.services.knowledge_base` builds), with its program
guard and refusals, so an agent is never offered an answer the bot would refuse to give. The
question is the ticket's summary (what the user wrote when asking for an agent), or the latest
user message of the transcript when the summary finds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.kb.live import KnowledgeBase
from bot.kb.records import SearchHit
from bot.tickets.records import Ticket, TicketMessage
from bot.tickets.taxonomy import Sender

TOP = 3
QUERY_LIMIT = 300  # characters of the question searched (the encoder reads 240)


def questions(ticket: Ticket, messages: Sequence[TicketMessage]) -> list[str]:
    """What to search, in order: the summary, then the latest user message (no duplicates)."""
    latest = next((m.text for m in reversed(messages) if m.sender is Sender.USER), "")
    found: list[str] = []
    for text in (ticket.summary, latest):
        text = " ".join(text.split())[:QUERY_LIMIT]
        if text and text not in found:
            found.append(text)
    return found


def suggestion(hit: SearchHit) -> dict[str, Any]:
    """One suggested answer as the console shows it (the text an agent may insert and edit)."""
    entry = hit.entry
    answer = entry.answer.strip()
    if entry.references:
        answer += f"\n\nDasar: {'; '.join(entry.references)}"
    return {
        "id": hit.id,
        "score": round(hit.score, 3),
        "question": entry.questions[0] if entry.questions else hit.id,
        "answer": answer,
        "unit": entry.unit,
    }


def suggest(
    knowledge: KnowledgeBase, ticket: Ticket, messages: Sequence[TicketMessage]
) -> dict[str, Any]:
    """The top three answers for the ticket's question, and the question searched."""
    searched = questions(ticket, messages)
    for query in searched:
        hits = knowledge.match(query, k=TOP).hits[:TOP]
        if hits:
            return {"query": query, "suggestions": [suggestion(h) for h in hits]}
    return {"query": searched[0] if searched else "", "suggestions": []}
