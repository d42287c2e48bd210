"""Fixtures: a fake Graph API on a free port, a fresh SQLite file, a WhatsApp channel on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.whatsapp import WhatsAppInput
from harness.fakes.fake_graph import FakeGraph
from tests.bot.channels.support import TOKEN, make_channel


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    """A fake Graph API serving in a thread on a free port."""
    with FakeGraph(token=TOKEN) as fake:
        yield fake


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A fresh SQLite database file (migrated on first use)."""
    return f"sqlite:///{tmp_path / 'djpk.db'}"


@pytest.fixture
def channel(graph: FakeGraph, db_url: str, tmp_path: Path) -> WhatsAppInput:
    """The channel under test."""
    return make_channel(graph, db_url, tmp_path)
