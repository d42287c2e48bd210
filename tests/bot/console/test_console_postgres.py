"""Migration 0006 and the console's stores on PostgreSQL (skipped when it does not answer)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.console.outbox import DeskproOutbox
from bot.console.sessions import SessionStore
from bot.console.users import UserStore
from bot.db import make_engine, upgrade
from bot.tickets.records import NewTicket
from bot.tickets.store import SqlTicketStore
from bot.tickets.taxonomy import Channel

pytestmark = pytest.mark.postgres


def test_users_sessions_and_outbox_on_postgresql(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    upgrade(engine)
    try:
        users = UserStore(engine, rounds=4)
        user = users.add("rina", "panjang-sekali-1", "agent")
        assert users.authenticate("rina", "panjang-sekali-1") == user
        sessions = SessionStore(engine, b"0123456789abcdef0123", users)
        cookie, session = sessions.open(user)
        assert sessions.resolve(cookie).csrf_token == session.csrf_token
        sessions.close(cookie)
        assert sessions.resolve(cookie) is None

        now = datetime.now(timezone.utc)
        tickets = SqlTicketStore(engine)
        for n in range(3):
            tickets.create_for_conversation(NewTicket(f"c-{n}", Channel.WHATSAPP), now)
        outbox, other = DeskproOutbox(engine), DeskproOutbox(engine)
        assert outbox.enqueue_new() == 3
        assert other.enqueue_new() == 0
        leased = outbox.lease_due()
        assert len(leased) == 3 and other.lease_due() == []
        outbox.sent(leased[0], 7, "REF-7")
        outbox.failed(leased[1], "HTTP 503", timedelta(seconds=30))
        status = outbox.status()
        assert (status["sent"], status["waiting"], status["failing"]) == (1, 2, 1)
        assert status["last_error"] == "HTTP 503"
    finally:
        engine.dispose()
