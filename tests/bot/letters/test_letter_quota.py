"""Per-sender upload limit in the database: a sliding hour, senders apart, clock injected."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.db import engine_for
from bot.letters.quota import UploadQuota

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def engine(tmp_path):
    return engine_for(f"sqlite:///{tmp_path / 'djpk.db'}")


def test_each_sender_has_its_own_hour(engine) -> None:
    quota = UploadQuota(engine, per_hour=3)
    minutes = [NOON + timedelta(minutes=m) for m in range(5)]
    assert [quota.take("628111", "whatsapp", now) for now in minutes] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert quota.take("webchat-abc", "webchat", minutes[4]) is True
    assert quota.used("628111", minutes[4]) == 3 and quota.used("webchat-abc", minutes[4]) == 1


def test_the_hour_slides(engine) -> None:
    now = NOON
    quota = UploadQuota(engine, per_hour=2, clock=lambda: now)
    assert quota.take("a", "rest") and quota.take("a", "rest") and not quota.take("a", "rest")
    now = NOON + timedelta(minutes=59)
    assert not quota.take("a", "rest")
    now = NOON + timedelta(minutes=60, seconds=1)
    assert quota.take("a", "rest") and quota.take("a", "rest") and not quota.take("a", "rest")


def test_refused_uploads_do_not_count_and_old_rows_go(engine) -> None:
    quota = UploadQuota(engine, per_hour=1)
    assert quota.take("b", "rest", NOON)
    for minute in range(1, 30):
        assert not quota.take("b", "rest", NOON + timedelta(minutes=minute))
    assert quota.used("b", NOON + timedelta(minutes=30)) == 1
    assert quota.take("b", "rest", NOON + timedelta(hours=2))
    assert quota.used("b", NOON + timedelta(hours=5)) == 0


def test_two_quotas_on_one_database_share_the_count(engine) -> None:
    """Two action servers count the same uploads."""
    first, second = UploadQuota(engine, per_hour=2), UploadQuota(engine, per_hour=2)
    assert first.take("c", "whatsapp", NOON) and second.take("c", "whatsapp", NOON)
    assert not first.take("c", "whatsapp", NOON) and not second.take("c", "whatsapp", NOON)


def test_the_migration_matches_the_model(engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.db import Base

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
        heads = set(context.get_current_heads())
    ours = [diff for diff in diffs if "letter_uploads" in repr(diff)]
    assert ours == [] and "letter_uploads_h2" in heads


def test_a_clock_in_local_time_counts_the_same_hour(engine) -> None:
    """A clock that gives WIB (UTC+7) is the same instant: on SQLite, which compares stored text,
    a WIB moment kept with its offset would sort seven hours away from the UTC rows."""
    wib = timezone(timedelta(hours=7))
    quota = UploadQuota(engine, per_hour=2)
    assert quota.take("d", "whatsapp", NOON)
    assert quota.take("d", "whatsapp", (NOON + timedelta(minutes=10)).astimezone(wib))
    assert not quota.take("d", "whatsapp", NOON + timedelta(minutes=20))
    assert quota.used("d", (NOON + timedelta(minutes=30)).astimezone(wib)) == 2
    assert quota.take("d", "whatsapp", (NOON + timedelta(minutes=71)).astimezone(wib))
