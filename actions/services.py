"""The one place where long-lived objects are built, lazily, and swapped in tests (`reset`)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.contacts import Contacts
    from bot.kb.misses import MissLog
    from bot.kb.store import KnowledgeBase
    from bot.letters.reports import ReportLog
    from bot.letters.verifier import Verifier
    from bot.tickets.service import TicketService


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings read from the environment once."""
    return Settings.from_env()


@lru_cache(maxsize=1)
def engine() -> Engine:
    """The migrated database engine (SQLite under var/ unless DJPK_DB_URL says otherwise)."""
    from bot.db import engine_for

    return engine_for(settings().db_url)


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The hot-reloading FAQ knowledge base."""
    from bot.kb.store import KnowledgeBase

    return KnowledgeBase.from_settings(settings())


@lru_cache(maxsize=1)
def miss_log() -> MissLog:
    """Where unanswered questions are recorded for the units."""
    from bot.kb.misses import MissLog

    return MissLog(engine())


@lru_cache(maxsize=1)
def contacts() -> Contacts:
    """The official contacts (knowledge_base/contacts.yml)."""
    from bot.contacts import load_contacts

    return load_contacts(settings().kb_dir)


@lru_cache(maxsize=1)
def ticket_service() -> TicketService:
    """Tickets, hand-off state, profiles and labels on the shared database."""
    from bot.tickets.service import TicketService

    return TicketService.from_settings(settings())


@lru_cache(maxsize=1)
def verifier() -> Verifier:
    """The letter verifier over the (hot-reloaded) registry."""
    from bot.letters.verifier import Verifier

    return Verifier.from_settings(settings())


@lru_cache(maxsize=1)
def report_log() -> ReportLog:
    """Fake-letter reports and the log of every verification."""
    from bot.letters.reports import ReportLog

    return ReportLog(engine())


BUILDERS = (
    settings, engine, knowledge_base, miss_log, contacts, ticket_service, verifier, report_log,
)  # fmt: skip


def reset() -> None:
    """Forget every built object (tests change the environment, then call this)."""
    for builder in BUILDERS:
        builder.cache_clear()
