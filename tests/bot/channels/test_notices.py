"""The channel's own replies: the size refusal names the limit that is in force."""

from __future__ import annotations

import pytest

from bot.channels import notices
from bot.channels.inbound import Kind
from bot.channels.media import Rejection
from bot.letters.limits import MB


def test_the_size_refusal_names_the_configured_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJPK_UPLOAD_MAX_MB", "4")
    assert "batas 4 MB" in notices.refused(Rejection.SIZE)


def test_a_fetcher_limit_given_by_the_caller_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJPK_UPLOAD_MAX_MB", "4")
    assert "batas 2,5 MB" in notices.refused(Rejection.SIZE, int(2.5 * MB))


def test_other_refusals_and_unsupported_kinds_say_what_can_be_read() -> None:
    assert "PDF atau foto" in notices.refused(Rejection.TYPE)
    assert notices.CAN_READ in notices.unsupported(Kind.AUDIO)
    assert "pesan suara" in notices.unsupported(Kind.AUDIO)
