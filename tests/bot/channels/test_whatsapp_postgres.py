"""The channel's tables on PostgreSQL: migration, concurrent claims, statuses, offers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.channels.inbound import Status
from bot.channels.payloads import PayloadGuard
from bot.channels.store import Resolution, WhatsAppStore
from bot.db import engine_for, make_engine, upgrade

pytestmark = pytest.mark.postgres


def test_one_claim_wins_among_many_servers(postgres_url: str) -> None:
    upgrade(make_engine(postgres_url))
    stores = [WhatsAppStore(make_engine(postgres_url)) for _ in range(4)]
    wamids = [f"wamid.pg.{i}" for i in range(50)]
    jobs = [(store, wamid) for wamid in wamids for store in stores]
    with ThreadPoolExecutor(max_workers=8) as pool:
        won = list(pool.map(lambda job: job[0].claim(job[1], "628"), jobs))
    assert sum(won) == len(wamids)
    for store in stores:
        store.engine.dispose()


def test_statuses_failures_and_offers(postgres_url: str) -> None:
    engine = engine_for(postgres_url)
    store, guard = WhatsAppStore(engine), PayloadGuard(engine)
    assert store.record_status(Status("w1", "628", "delivered"))
    assert not store.record_status(Status("w1", "628", "delivered"))
    store.record_sent("w2", "628", "Jawaban")
    assert store.sent_text("w2") == "Jawaban"
    store.record_failure("628", "Jawaban", 131047, "Re-engagement message", Resolution.RECORDED)
    assert [f.error_code for f in store.failures("628")] == [131047]
    ids = guard.offer("628", ["/affirm", "/x" + "y" * 300])
    assert guard.sanitize_inbound("628", "/affirm") == "/affirm"
    assert guard.sanitize_inbound("628", "/deny") == "deny"
    assert guard.resolve_choice("628", ids[1]).startswith("/xyy")
    engine.dispose()
