"""The cached tracker store returns what Rasa's SQL store would, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from components.tracker_store import CachedSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, ask_faq]
slots:
  topic:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "Selamat pagi, Bapak/Ibu."}]
"""
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict]:
    """SQLTrackerStore keyword arguments for an empty database of each kind."""
    if request.param == "sqlite":
        yield {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
        return
    url = make_url(request.getfixturevalue("postgres_url"))
    yield {
        "dialect": "postgresql",
        "host": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
    }


def stores(db: dict, **kwargs) -> tuple[CachedSQLTrackerStore, SQLTrackerStore]:
    """The store under test, and Rasa's own store on the same database as the reference."""
    return CachedSQLTrackerStore(domain=DOMAIN, **db, **kwargs), SQLTrackerStore(DOMAIN, **db)


def turn(tracker: DialogueStateTracker, text: str, topic: str) -> None:
    tracker.update(UserUttered(text, {"name": "ask_faq", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_answer_faq"))
    tracker.update(BotUttered(f"Jawaban untuk {text}"))
    tracker.update(SlotSet("topic", topic))
    tracker.update(ActionExecuted("action_listen"))


def dump(tracker: DialogueStateTracker | None) -> list[dict]:
    assert tracker is not None
    return [event.as_dict() for event in tracker.events]


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Sender ids read from the database by the store (Rasa's `_retrieve`)."""
    reads: list[str] = []
    original = SQLTrackerStore._retrieve

    async def spy(self, sender_id, fetch_events_from_all_sessions):
        reads.append(sender_id)
        return await original(self, sender_id, fetch_events_from_all_sessions)

    monkeypatch.setattr(SQLTrackerStore, "_retrieve", spy)
    return reads


async def test_a_saved_conversation_is_served_from_memory_and_persisted(db, monkeypatch) -> None:
    cached, rasa = stores(db)
    tracker = await cached.get_or_create_tracker("u1")
    turn(tracker, "dau kpn cair", "dau")
    await cached.save(tracker)
    tracker = await cached.retrieve("u1")  # read once from the database, then kept
    await cached.save(tracker)  # each turn ends with a save: the next turn may take it
    reads = count_reads(monkeypatch)

    for index in range(3):
        again = await cached.retrieve("u1")
        assert again is tracker
        turn(again, f"pertanyaan {index}", f"t{index}")
        await cached.save(again)

    assert reads == []
    assert dump(await rasa.retrieve("u1")) == dump(tracker)
    assert (await rasa.retrieve("u1")).get_slot("topic") == "t2"


def rows(store: SQLTrackerStore, sender_id: str) -> list[tuple]:
    """Every column but the row id, as stored, oldest first."""
    table = store.SQLEvent.__table__
    columns = [column for column in table.columns if column.name != "id"]
    with store.session_scope() as session:
        result = session.execute(
            sa.select(*columns).where(table.c.sender_id == sender_id).order_by(table.c.id)
        )
        return [tuple(row) for row in result]


async def test_rows_are_the_ones_rasa_writes(db) -> None:
    cached, rasa = stores(db)
    for store, sender in ((cached, "ours"), (rasa, "rasas")):
        tracker = DialogueStateTracker(sender, DOMAIN.slots)
        for event in (
            ActionExecuted("action_session_start", timestamp=1.0),
            SessionStarted(timestamp=2.0),
            ActionExecuted("action_listen", timestamp=3.0),
        ):
            tracker.update(event)
        await store.save(tracker)
        tracker = await store.retrieve(sender)
        tracker.update(
            UserUttered("dau kpn cair", {"name": "ask_faq", "confidence": 0.9}, timestamp=4.0)
        )
        tracker.update(ActionExecuted("action_answer_faq", timestamp=5.0))
        tracker.update(SlotSet("topic", "dau", timestamp=6.0))
        await store.save(tracker)

    ours, theirs = rows(cached, "ours"), rows(rasa, "rasas")
    assert len(ours) == 6
    assert [row[1:] for row in ours] == [row[1:] for row in theirs]  # all but sender_id
    assert {row[0] for row in ours} == {"ours"}


class CollectingBroker(EventBroker):
    """An event broker that keeps what it is given."""

    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, event: dict) -> None:
        self.published.append(event)


async def test_the_event_broker_gets_every_saved_event_once(db) -> None:
    broker = CollectingBroker()
    cached = CachedSQLTrackerStore(domain=DOMAIN, event_broker=broker, **db)
    tracker = await cached.get_or_create_tracker("u1")
    turn(tracker, "dau kpn cair", "dau")
    await cached.save(tracker)
    tracker = await cached.retrieve("u1")
    await cached.save(tracker)
    for index in range(2):  # served from memory: the same object is saved again
        assert await cached.retrieve("u1") is tracker
        turn(tracker, f"pertanyaan {index}", f"t{index}")
        await cached.save(tracker)

    published = [{k: v for k, v in event.items() if k != "sender_id"} for event in broker.published]
    assert published == dump(tracker)
    assert {event["sender_id"] for event in broker.published} == {"u1"}


async def test_rows_written_elsewhere_are_read_again(db, monkeypatch) -> None:
    cached, rasa = stores(db)
    tracker = await cached.get_or_create_tracker("u1")
    turn(tracker, "halo", "umum")
    await cached.save(tracker)
    first = await cached.retrieve("u1")
    await cached.save(first)
    assert await cached.retrieve("u1") is first  # served from memory until someone else writes
    await cached.save(first)

    other = await rasa.retrieve("u1")  # e.g. another Rasa server on the same database
    turn(other, "dbh tdf", "dbh")
    await rasa.save(other)
    reads = count_reads(monkeypatch)

    fresh = await cached.retrieve("u1")
    assert reads == ["u1"]
    assert dump(fresh) == dump(other)
    assert fresh.get_slot("topic") == "dbh"


async def test_a_change_never_saved_is_not_served(db) -> None:
    cached, rasa = stores(db)
    tracker = await cached.get_or_create_tracker("u1")
    await cached.save(tracker)
    turn(tracker, "turn that failed half-way", "gagal")  # no save

    fresh = await cached.retrieve("u1")
    assert fresh.get_slot("topic") is None
    assert dump(fresh) == dump(await rasa.retrieve("u1"))


async def test_a_save_after_a_foreign_write_keeps_both(db) -> None:
    cached, rasa = stores(db)
    await cached.get_or_create_tracker("u1")
    tracker = await cached.retrieve("u1")
    other = await rasa.retrieve("u1")
    other.update(BotUttered("Pesan dari petugas"))
    await rasa.save(other)

    turn(tracker, "pesan pengguna", "x")  # holder did not see the agent's row
    await cached.save(tracker)

    texts = [event.get("text") for event in dump(await cached.retrieve("u1"))]
    assert texts[1:4] == ["Pesan dari petugas", "pesan pengguna", None]
    assert dump(await cached.retrieve("u1")) == dump(await rasa.retrieve("u1"))


async def test_a_new_session_is_served_as_rasa_serves_it(db) -> None:
    cached, rasa = stores(db)
    tracker = await cached.get_or_create_tracker("u1")
    turn(tracker, "sesi lama", "lama")
    await cached.save(tracker)
    tracker = await cached.retrieve("u1")
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await cached.save(tracker)

    assert dump(await cached.retrieve("u1")) == dump(await rasa.retrieve("u1"))


async def test_least_recently_used_conversations_leave_memory(db, monkeypatch) -> None:
    cached, _ = stores(db, cache_size=2)
    for sender in ("a", "b", "c"):
        await cached.get_or_create_tracker(sender)
        await cached.save(await cached.retrieve(sender))
    reads = count_reads(monkeypatch)

    for sender in ("b", "c", "a"):
        await cached.save(await cached.retrieve(sender))

    assert reads == ["a"]


async def test_a_new_domain_drops_cached_trackers(db, monkeypatch) -> None:
    cached, _ = stores(db)
    await cached.get_or_create_tracker("u1")
    await cached.retrieve("u1")
    reads = count_reads(monkeypatch)

    cached.domain = DOMAIN
    await cached.retrieve("u1")

    assert reads == ["u1"]


@pytest.mark.parametrize("name", ["endpoints.yml", "endpoints.scale.yml"])
def test_endpoint_files_configure_this_store(name: str, monkeypatch, tmp_path: Path) -> None:
    for var, value in {
        "DJPK_ACTION_URL": "http://127.0.0.1:5055/webhook",
        "DJPK_ACTION_TOKEN": "t",
        "DJPK_PG_HOST": "127.0.0.1",
        "DJPK_PG_PORT": "5432",
        "DJPK_PG_DB": "x",
        "DJPK_PG_USER": "u",
        "DJPK_PG_PASSWORD": "p",
        "DJPK_REDIS_HOST": "127.0.0.1",
        "DJPK_REDIS_PORT": "6379",
    }.items():
        monkeypatch.setenv(var, value)
    store = AvailableEndpoints.read_endpoints(str(ROOT / name)).tracker_store
    assert store.type == "components.tracker_store.CachedSQLTrackerStore"
    assert store.kwargs["cache_size"] > 0
    if name == "endpoints.yml":  # the SQLite default can be built here without a server
        monkeypatch.chdir(tmp_path)
        (tmp_path / "var").mkdir()
        assert isinstance(create_tracker_store(store, DOMAIN), CachedSQLTrackerStore)


def test_sqlite_runs_in_wal_mode_with_a_pool(tmp_path: Path) -> None:
    cached = CachedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    with cached.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal"
    assert cached.engine.pool.__class__.__name__ == "QueuePool"


def user_texts(tracker: DialogueStateTracker | None) -> list[str]:
    return [event["text"] for event in dump(tracker) if event["event"] == "user"]


async def test_overlapping_turns_on_two_servers_both_keep_their_events(db) -> None:
    """Turn A (a slow action, past Rasa's 60-second lock) and turn B of one conversation on two
    servers: B saves first, a third message reaches A's server meanwhile, then A saves. Before,
    A's save counted the rows B had written and skipped A's own first events."""
    slow, quick = (
        CachedSQLTrackerStore(domain=DOMAIN, **db),
        CachedSQLTrackerStore(domain=DOMAIN, **db),
    )
    await slow.save(await slow.get_or_create_tracker("u1"))
    a = await slow.retrieve("u1")
    turn(a, "surat ini asli?", "surat")  # A is still running its action
    b = await quick.retrieve("u1")
    turn(b, "kapan dau cair", "dau")
    await quick.save(b)
    c = await slow.retrieve("u1")  # a third message on A's server reads B's rows
    await slow.save(a)
    assert c is not a

    reference = SQLTrackerStore(DOMAIN, **db)
    assert user_texts(await reference.retrieve("u1")) == ["kapan dau cair", "surat ini asli?"]
    assert dump(await slow.retrieve("u1")) == dump(await reference.retrieve("u1"))


async def test_two_turns_at_once_on_one_server_never_share_a_tracker(db) -> None:
    store, rasa = stores(db)
    await store.save(await store.get_or_create_tracker("u1"))
    a = await store.retrieve("u1")
    b = await store.retrieve("u1")  # before A has changed anything
    assert a is not b
    turn(a, "pertanyaan pertama", "satu")
    turn(b, "pertanyaan kedua", "dua")
    await store.save(b)
    await store.save(a)

    assert user_texts(await rasa.retrieve("u1")) == ["pertanyaan kedua", "pertanyaan pertama"]
    assert dump(await store.retrieve("u1")) == dump(await rasa.retrieve("u1"))
