"""Rasa's SQL tracker store, keeping recently active conversations in memory.

Rasa's `SQLTrackerStore` reads every event of the current session from the database on each
message, deserialises and replays them, and on save counts them again to find the new ones. At
60 turns (about 540 events) that was a third of the Rasa server's time per message
(py-spy under `bench.rasa_stack`). This store keeps the tracker object of each recent
conversation after it was loaded or saved, with the database's version of that conversation
(number of rows and highest row id). A message then costs one indexed aggregate query to check
the version, and the save writes only the events added since.

The database stays the source of truth, so several Rasa servers can share it (the scale path):
- any row written by someone else (another server, an endpoint, a script) changes the version,
  and the tracker is read again from the database;
- a tracker changed in memory but never saved (a turn that failed half-way) no longer has the
  length recorded with it, and is read again too;
- a save writes exactly the events the tracker gained since it was read or last saved (every
  tracker this store hands out carries that count, cached or not), in one bulk insert with the
  same columns as Rasa's (Rasa adds one ORM object per event), reads the version in the same
  transaction, and drops the entry if the version moved or a new session started (the database
  then serves only the new session, as Rasa does). Rasa's own save counts the stored rows
  instead, so when two turns of one conversation overlap (an action slower than Rasa's 60-second
  lock, or a lock left by a crashed server) the slower turn's first events were skipped;
- a cached tracker is handed to one turn at a time: a second turn arriving before the first has
  saved gets its own copy read from the database, never the same object.

Configured in endpoints.yml as `type: components.tracker_store.CachedSQLTrackerStore`, with
Rasa's SQL keys plus `cache_size` (conversations kept, least recently used dropped first).
"""

from __future__ import annotations

import itertools
import json
import logging
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from bot.db import make_engine

logger = logging.getLogger(__name__)

DEFAULT_CACHE_SIZE = 500
STORED = "_djpk_stored_events"  # on each tracker handed out: how many of its events are stored


@dataclass
class _Entry:
    tracker: DialogueStateTracker
    length: int  # len(tracker.events) when it last matched the database
    version: tuple[int, int]  # (rows, highest row id) of the conversation at that moment
    in_use: bool = False  # handed to a turn that has not saved it yet


def _mark_stored(tracker: DialogueStateTracker) -> None:
    setattr(tracker, STORED, len(tracker.events))


class CachedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` with an in-memory cache validated against the database each time."""

    engine: Engine

    def __init__(self, *args: Any, cache_size: int = DEFAULT_CACHE_SIZE, **kwargs: Any) -> None:
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        self.cache_size = int(cache_size)
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in ("", None):
            # Rasa opens a new SQLite connection per query, in rollback-journal mode (about
            # 1.6 ms per commit here): use the application's pooled engine in WAL mode instead.
            self.engine.dispose()
            self.engine = make_engine(str(self.engine.url))
            self.sessionmaker = sessionmaker(bind=self.engine)

    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain | None) -> None:
        """A new model may bring other slots: trackers built for the old domain are dropped."""
        self._domain = domain or Domain.empty()
        self._cache.clear()

    def _version(self, session: Any, sender_id: str) -> tuple[int, int]:
        rows, last = (
            session.query(sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id))
            .filter(self.SQLEvent.sender_id == sender_id)
            .one()
        )
        return int(rows), int(last or 0)

    def _fresh(self, sender_id: str, version: tuple[int, int]) -> _Entry | None:
        entry = self._cache.get(sender_id)
        if entry and entry.version == version and len(entry.tracker.events) == entry.length:
            return entry
        return None

    def _remember(
        self, tracker: DialogueStateTracker, version: tuple[int, int], in_use: bool = False
    ) -> None:
        self._cache[tracker.sender_id] = _Entry(tracker, len(tracker.events), version, in_use)
        self._cache.move_to_end(tracker.sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The cached tracker while the database holds nothing newer and no other turn holds it,
        else Rasa's reading (cached in its place unless another turn holds the cached one)."""
        with self.session_scope() as session:
            version = self._version(session, sender_id)
        entry = self._fresh(sender_id, version)
        if entry is not None and not entry.in_use:
            self._cache.move_to_end(sender_id)
            entry.in_use = True
            return entry.tracker
        tracker = await super().retrieve(sender_id)
        if tracker is None:
            self._cache.pop(sender_id, None)
            return None
        _mark_stored(tracker)
        if entry is None:
            # Read after the version: a row written in between only causes one more reload.
            self._remember(tracker, version, in_use=True)
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events this tracker gained since it was read or saved; else Rasa's count (a
        tracker this store never handed out: a new conversation Rasa created).

        Rasa counts the stored rows to find the new events, which skips some of them when
        another writer added rows meanwhile; a tracker from this store knows which are new.
        """
        stored = getattr(tracker, STORED, None)
        if stored is not None and stored <= len(tracker.events):
            return itertools.islice(tracker.events, stored, len(tracker.events))
        return super()._additional_events(session, tracker)

    def _row(self, sender_id: str, event: Event) -> dict[str, Any]:
        """The columns Rasa's own save writes for one event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the new events in one bulk insert, and, for a cached tracker, read the version
        in the same transaction: it matches only if nobody else wrote to the conversation.

        The event broker (if any) gets exactly the events written. Rasa's `stream_events`
        diffs against `retrieve`, which here returns the very tracker being saved, so it would
        publish nothing.
        """
        entry = self._cache.get(tracker.sender_id)
        mine = entry is not None and entry.tracker is tracker
        known = entry.version if entry is not None and mine else None
        version = None
        with self.session_scope() as session:
            added = list(self._additional_events(session, tracker))
            if added:
                session.execute(
                    self.SQLEvent.__table__.insert(),
                    [self._row(tracker.sender_id, event) for event in added],
                )
            if known is not None:
                version = self._version(session, tracker.sender_id)
            session.commit()
        _mark_stored(tracker)
        if entry is not None and mine:
            entry.in_use = False
        if self.event_broker is not None:
            await self._stream_new_events(self.event_broker, added, tracker.sender_id)
        if version is None or tracker.sender_id not in self._cache:
            return
        assert known is not None  # the version is read only for a known tracker
        if any(isinstance(event, SessionStarted) for event in added):
            self._cache.pop(tracker.sender_id, None)
        elif version[0] == known[0] + len(added):
            self._remember(tracker, version)
        else:  # someone else wrote meanwhile: read it all again next time
            logger.debug("Conversation %s changed elsewhere; cache dropped", tracker.sender_id)
            self._cache.pop(tracker.sender_id, None)
