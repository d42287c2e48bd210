"""Fixtures: the real knowledge base, a throwaway copy of it, verifiers on both."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.contacts import Contacts, load_contacts
from bot.letters.verifier import Verifier

ROOT = Path(__file__).resolve().parents[3]
KB_DIR = ROOT / "knowledge_base"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def contacts() -> Contacts:
    """The official contacts of the real knowledge base."""
    return load_contacts(KB_DIR)


@pytest.fixture(scope="session")
def verifier() -> Verifier:
    """A verifier over the real registry, demo letters included."""
    return Verifier.from_kb(KB_DIR, include_examples=True)


@pytest.fixture(scope="session")
def production_verifier() -> Verifier:
    """A verifier over the real registry as production loads it (no demo letters)."""
    return Verifier.from_kb(KB_DIR)


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of contacts.yml and letters/ that a test may edit."""
    target = tmp_path / "kb"
    shutil.copytree(KB_DIR / "letters", target / "letters")
    shutil.copy(KB_DIR / "contacts.yml", target / "contacts.yml")
    return target
