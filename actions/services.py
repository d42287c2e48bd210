"""The one place where long-lived objects are built, lazily, and swapped in tests (`reset`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from bot.contacts import Contacts
    from bot.kb.live import KnowledgeBase
    from bot.kb.loop.sql import VoteLog
    from bot.kb.misses import MissLog
    from bot.letters.intake import DocumentIntake
    from bot.letters.pool import ProcessPool
    from bot.letters.reports import ReportLog
    from bot.letters.verifier import Verifier
    from bot.referrals import NonDjpkDirectory
    from bot.reservations import ReservationPolicy
    from bot.tickets.service import TicketService
    from bot.units import EscalationUnits

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
_building = threading.RLock()  # builders call builders (ticket_service -> settings)


class Built(Protocol[T_co]):
    """A builder made by `built_once`: call it for the object, `cache_clear` to forget it."""

    def __call__(self) -> T_co: ...

    def cache_clear(self) -> None: ...


def built_once(builder: Callable[[], T]) -> Built[T]:
    """`lru_cache(maxsize=1)` that builds once even when worker threads ask at the same time.

    Actions reach these builders from `blocking` threads: without the lock, two first requests
    would build two engines and run the migrations twice, concurrently.
    """
    cached = lru_cache(maxsize=1)(builder)

    @wraps(builder)
    def build() -> T:
        if cached.cache_info().currsize:  # built: no lock on the hot path
            return cached()
        with _building:
            return cached()

    build.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return cast("Built[T]", build)


@built_once
def settings() -> Settings:
    """Settings read from the environment once."""
    return Settings.from_env()


@built_once
def engine() -> Engine:
    """The migrated database engine (SQLite under var/ unless DJPK_DB_URL says otherwise)."""
    from bot.db import engine_for

    return engine_for(settings().db_url)


@built_once
def knowledge_base() -> KnowledgeBase:
    """The hot-reloading FAQ knowledge base."""
    from bot.kb.live import KnowledgeBase

    return KnowledgeBase.from_settings(settings())


@built_once
def miss_log() -> MissLog:
    """Where unanswered questions are recorded for the units."""
    from bot.kb.misses import MissLog

    return MissLog(engine())


@built_once
def vote_log() -> VoteLog:
    """Where "Tidak membantu" votes on answers are recorded for the owning units."""
    from bot.kb.loop.sql import VoteLog

    return VoteLog(engine())


@built_once
def contacts() -> Contacts:
    """The official contacts (knowledge_base/contacts.yml)."""
    from bot.contacts import load_contacts

    return load_contacts(settings().kb_dir)


@built_once
def ticket_service() -> TicketService:
    """Tickets, hand-off state, profiles and labels on the shared database."""
    from bot.tickets.service import TicketService

    return TicketService.from_settings(settings())


@built_once
def verifier() -> Verifier:
    """The letter verifier over the (hot-reloaded) registry."""
    from bot.letters.verifier import Verifier

    return Verifier.from_settings(settings())


@built_once
def report_log() -> ReportLog:
    """Fake-letter reports and the log of every verification."""
    from bot.letters.reports import ReportLog

    return ReportLog(engine())


@built_once
def reading_pool() -> ProcessPool:
    """The worker processes that read uploaded documents (pypdf, OCR, QR)."""
    from bot.letters.pool import ProcessPool

    return ProcessPool.from_settings(settings())


@built_once
def document_intake() -> DocumentIntake:
    """Upload limits, the per-sender quota and the reading pool in front of the verifier."""
    from bot.letters.intake import DocumentIntake
    from bot.letters.limits import UploadLimits
    from bot.letters.quota import UploadQuota

    limits = UploadLimits.from_settings(settings())
    quota = UploadQuota(engine(), limits.per_hour)
    return DocumentIntake(verifier(), reading_pool(), quota, limits)


@built_once
def non_djpk() -> NonDjpkDirectory:
    """Institutions that handle what DJPK does not (knowledge_base/non_djpk.yml)."""
    from bot.referrals import NonDjpkDirectory

    return NonDjpkDirectory.load(settings().kb_dir)


@built_once
def reservation_policy() -> ReservationPolicy:
    """Reservation rules (knowledge_base/services.yml) on the service calendar."""
    from bot.reservations import ReservationPolicy, ReservationRules

    return ReservationPolicy(ReservationRules.load(settings().kb_dir), ticket_service().hours)


@built_once
def escalation_units() -> EscalationUnits:
    """Which unit receives a complaint about which topic."""
    from bot.units import EscalationUnits

    return EscalationUnits.load(settings().kb_dir)


BUILDERS = (
    settings,
    engine,
    knowledge_base,
    miss_log,
    vote_log,
    contacts,
    ticket_service,
    verifier,
    report_log,
    non_djpk,
    reservation_policy,
    escalation_units,
    reading_pool,
    document_intake,
)


def reset() -> None:
    """Forget every built object (tests change the environment, then call this)."""
    for builder in BUILDERS:
        builder.cache_clear()
