"""The long-lived objects behind the console, built once from Settings when the server starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from bot.console.limits import LoginLimiter
from bot.console.sessions import SessionStore
from bot.console.units import Unit, escalation_units
from bot.console.users import UserStore
from bot.contacts import Contacts, load_contacts
from bot.db import engine_for
from bot.delivery.records import Reopen
from bot.delivery.sql import DeliveryStore
from bot.kb.live import KnowledgeBase
from bot.secrets import session_secret
from bot.settings import Settings
from bot.tickets.service import TicketService


@dataclass
class ConsoleServices:
    """Tickets, accounts, sessions, login limits, units and the knowledge base, built lazily."""

    settings: Settings
    bcrypt_rounds: int = 12
    limiter: LoginLimiter = field(default_factory=LoginLimiter)

    @cached_property
    def tickets(self) -> TicketService:
        """The ticket use cases on DJPK_DB_URL."""
        return TicketService.from_settings(self.settings)

    @cached_property
    def users(self) -> UserStore:
        """Console accounts."""
        return UserStore(engine_for(self.settings.db_url), rounds=self.bcrypt_rounds)

    @cached_property
    def sessions(self) -> SessionStore:
        """Sessions signed with DJPK_CONSOLE_SECRET (or the secret kept in var/)."""
        secret = session_secret(self.settings.console_secret, self.settings.var_dir)
        return SessionStore(engine_for(self.settings.db_url), secret, self.users)

    @cached_property
    def units(self) -> tuple[Unit, ...]:
        """Escalation units (FAQ owners and Sekretariat)."""
        return escalation_units(self.settings.kb_dir)

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        """The FAQ, for canned answers (hot-reloaded like the bot's)."""
        return KnowledgeBase.from_settings(self.settings)

    @cached_property
    def deliveries(self) -> DeliveryStore:
        """Delivery states of agent replies."""
        return DeliveryStore(engine_for(self.settings.db_url))

    @property
    def reopen(self) -> Reopen | None:
        """The WhatsApp template that reopens the 24-hour window, if configured."""
        name = self.settings.whatsapp_reopen_template
        return Reopen(name, self.settings.whatsapp_reopen_template_lang) if name else None

    @cached_property
    def contacts(self) -> Contacts:
        """DJPK's other official channels (shown when WhatsApp cannot reach the user)."""
        return load_contacts(self.settings.kb_dir)

    def faq_title(self, entry_id: str) -> str | None:
        """The first question of a FAQ entry, to say what the bot tried."""
        entry = self.knowledge.get(entry_id)
        return entry.questions[0] if entry and entry.questions else None

    def warm_up(self) -> None:
        """Build everything now (called in a thread before the server starts)."""
        _ = (self.tickets, self.users, self.sessions, self.units, self.deliveries)
