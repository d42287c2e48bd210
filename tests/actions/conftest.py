"""Fixtures for action tests: a temp database and freshly built services per test."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from actions import services
from bot.tickets.service import TicketService
from tests.stacks import VECTORS

# Wednesday 2 December 2026, 10:00 WIB: a working day in service hours.
WEDNESDAY = datetime(2026, 12, 2, 3, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def isolated_services(tmp_path, monkeypatch):
    """Each test gets its own SQLite database and freshly built services. The FAQ entry
    vectors (by text hash) come from the cache the test stacks share: without it each test would
    embed the whole knowledge base again (half a minute)."""
    monkeypatch.setenv("DJPK_DB_URL", f"sqlite:///{tmp_path / 'djpk.db'}")
    monkeypatch.setenv("DJPK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("DJPK_VECTOR_CACHE", str(VECTORS))
    services.reset()
    yield
    services.reset()


@pytest.fixture
def frozen(monkeypatch):
    """The ticket service, its clock fixed at WEDNESDAY (reservation dates are judged from it)."""
    service = TicketService.from_settings(services.settings())
    service.clock = lambda: WEDNESDAY
    monkeypatch.setattr(services, "ticket_service", lambda: service)
    return service
