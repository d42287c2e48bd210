"""Signed session ids: issued ids verify, anything else does not; the secret is kept in var/."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.channels.webchat.sessions import SessionSigner
from bot.secrets import SESSION_SECRET_FILE, session_secret

SECRET = "a-secret-long-enough-for-tests"


def test_issued_ids_are_random_and_verify() -> None:
    signer = SessionSigner(SECRET)
    ids = {signer.issue() for _ in range(200)}
    assert len(ids) == 200
    for session_id in ids:
        conversation = signer.conversation_of(session_id)
        assert conversation == session_id.partition(".")[0]
        assert len(conversation) == 32  # 24 random bytes


@pytest.mark.parametrize(
    "offered",
    [None, "", 42, {"id": 1}, "no-dot", ".tag-only", "x" * 200, "ab.cd", "ü.tag"],
)
def test_malformed_ids_are_refused(offered: object) -> None:
    assert SessionSigner(SECRET).conversation_of(offered) is None


def test_tampered_or_foreign_ids_are_refused() -> None:
    signer = SessionSigner(SECRET)
    session_id = signer.issue()
    conversation, _, tag = session_id.partition(".")
    assert signer.conversation_of(conversation) is None
    other = "B" if tag.endswith("A") else "A"  # a change, whatever the random tag ends with
    assert signer.conversation_of(f"{conversation}.{tag[:-1]}{other}") is None
    letter = "y" if conversation.endswith("x") else "x"
    assert signer.conversation_of(f"{conversation[:-1]}{letter}.{tag}") is None
    assert SessionSigner("another-secret-of-the-same-size").conversation_of(session_id) is None


def test_short_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        SessionSigner("short")


def test_configured_secret_wins(tmp_path: Path) -> None:
    assert session_secret(SECRET, tmp_path) == SECRET.encode()
    assert not (tmp_path / SESSION_SECRET_FILE).exists()


def test_generated_secret_is_private_and_stable(tmp_path: Path) -> None:
    first = session_secret("", tmp_path / "var")
    assert session_secret("", tmp_path / "var") == first and len(first) >= 32
    mode = stat.S_IMODE((tmp_path / "var" / SESSION_SECRET_FILE).stat().st_mode)
    assert mode == 0o600
    assert list((tmp_path / "var").iterdir()) == [tmp_path / "var" / SESSION_SECRET_FILE]
    issued = SessionSigner(first).issue()
    assert SessionSigner(session_secret("", tmp_path / "var")).conversation_of(issued)
