"""The one place where long-lived objects are built, lazily, and swapped in tests (`reset`)."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.catalogue.non_djpk import NonDjpkDirectory
    from bot.catalogue.reservations import ReservationPolicy
    from bot.catalogue.units import EscalationUnits
    from bot.contacts import Contacts
    from bot.kb.misses import MissLog
    from bot.kb.store import KnowledgeBase
    from bot.letters.intake import DocumentIntake
    from bot.letters.pool import ProcessPool
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


@lru_cache(maxsize=1)
def reading_pool() -> ProcessPool:
    """The worker processes that read uploaded documents (pypdf, OCR, QR)."""
    from bot.letters.pool import ProcessPool

    return ProcessPool.from_settings(settings())


@lru_cache(maxsize=1)
def document_intake() -> DocumentIntake:
    """Upload limits, the per-sender quota and the reading pool in front of the verifier."""
    from bot.letters.intake import DocumentIntake
    from bot.letters.limits import UploadLimits
    from bot.letters.quota import UploadQuota

    limits = UploadLimits.from_settings(settings())
    quota = UploadQuota(engine(), limits.per_hour)
    return DocumentIntake(verifier(), reading_pool(), quota, limits)


@lru_cache(maxsize=1)
def non_djpk() -> NonDjpkDirectory:
    """Institutions that handle what DJPK does not (knowledge_base/non_djpk.yml)."""
    from bot.catalogue.non_djpk import NonDjpkDirectory

    return NonDjpkDirectory.load(settings().kb_dir)


@lru_cache(maxsize=1)
def reservation_policy() -> ReservationPolicy:
    """Reservation rules (knowledge_base/services.yml) on the service calendar."""
    from bot.catalogue.reservations import ReservationPolicy, ReservationRules

    return ReservationPolicy(ReservationRules.load(settings().kb_dir), ticket_service().hours)


@lru_cache(maxsize=1)
def escalation_units() -> EscalationUnits:
    """Which unit receives a complaint about which topic."""
    from bot.catalogue.units import EscalationUnits

    return EscalationUnits.load(settings().kb_dir)


BUILDERS = (
    settings, engine, knowledge_base, miss_log, contacts, ticket_service, verifier, report_log,
    non_djpk, reservation_policy, escalation_units, reading_pool, document_intake,
)  # fmt: skip


def reset() -> None:
    """Forget every built object (tests change the environment, then call this)."""
    for builder in BUILDERS:
        builder.cache_clear()
