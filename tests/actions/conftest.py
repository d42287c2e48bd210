"""Fixtures for action tests: a temp database and freshly built services per test."""

from __future__ import annotations

import pytest

from actions import services


@pytest.fixture(autouse=True)
def isolated_services(tmp_path, monkeypatch):
    """Each test gets its own SQLite database and freshly built services."""
    monkeypatch.setenv("DJPK_DB_URL", f"sqlite:///{tmp_path / 'djpk.db'}")
    monkeypatch.setenv("DJPK_VAR_DIR", str(tmp_path))
    services.reset()
    yield
    services.reset()
