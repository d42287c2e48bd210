"""The WhatsApp inbox table as a queue: rows kept before the ack, claimed under a lease, finished.

A row is a verified message (keyed by its wamid, so Meta's redelivery is a no-op insert) or a
status (keyed by wamid and status). Workers claim the oldest unfinished row whose lease is free
and whose sender has no earlier unfinished row, so one user's messages are processed one at a
time in arrival order, and one recipient's statuses likewise. PostgreSQL claims with
`SELECT ... FOR UPDATE SKIP LOCKED`; SQLite (one writer at a time) with an `UPDATE` that
re-checks the same conditions and counts the rows it changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from bot.channels.inbound import Delivery, Inbound, Kind, Status
from bot.channels.tables import whatsapp_inbox
from bot.clock import Clock, utcnow

DONE, FAILED = "done", "failed"
_CANDIDATES = 8  # rows an SQLite claim tries before it gives up for this round
_inbox = whatsapp_inbox
_earlier = whatsapp_inbox.alias("earlier")


@dataclass(frozen=True)
class InboxRow:
    """A claimed row: what to process and how often it was claimed (1 on the first try)."""

    id: int
    key: str
    sender: str | None
    body: str
    attempts: int

    def item(self) -> Inbound | Status:
        """The message or status the row keeps."""
        data = json.loads(self.body)
        if data.pop("type") == "status":
            return Status(**data)
        return Inbound(**{**data, "kind": Kind(data["kind"])})


def status_key(status: Status) -> str:
    """The inbox key of a status (one row per sent message and status)."""
    return f"s:{status.wamid}:{status.status}"[:200]


def status_lane(status: Status) -> str:
    """The ordering key of a status: one recipient's statuses in order, apart from their
    messages (a status never waits behind the bot's answer to that user)."""
    return f"s:{status.recipient}"[:64]


def rows_of(delivery: Delivery) -> list[dict[str, Any]]:
    """The inbox rows of a delivery, in Meta's order, each key once."""
    rows: dict[str, dict[str, Any]] = {}
    for status in delivery.statuses:
        body = json.dumps({"type": "status", **asdict(status)})
        rows.setdefault(status_key(status), {"sender": status_lane(status), "body": body})
    for message in delivery.messages:
        body = json.dumps({"type": "message", **asdict(message), "kind": message.kind.value})
        rows.setdefault(message.wamid[:200], {"sender": message.sender[:64], "body": body})
    return [{"key": key, **row} for key, row in rows.items()]


class InboxQueue:
    """Database operations of the inbox; `clock` gives the time (injected in tests)."""

    def __init__(self, engine: Engine, clock: Clock = utcnow) -> None:
        self.engine = engine
        self.clock = clock
        self.postgres = engine.dialect.name == "postgresql"

    def add(self, rows: Sequence[dict[str, Any]]) -> int:
        """Insert the rows in one transaction, skipping keys already kept; returns how many new."""
        if not rows:
            return 0
        now = self.clock()
        values = [{**row, "attempts": 0, "created_at": now} for row in rows]
        dialect = self.engine.dialect.name
        if dialect in ("postgresql", "sqlite"):
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            statement = insert(_inbox).on_conflict_do_nothing(index_elements=["key"])
            with self.engine.begin() as connection:
                return sum(connection.execute(statement, [v]).rowcount for v in values)
        return self._add_one_by_one(values)

    def _add_one_by_one(self, values: list[dict[str, Any]]) -> int:
        added = 0
        with self.engine.begin() as connection:
            for value in values:
                if not self._exists(connection, value["key"]):
                    connection.execute(_inbox.insert().values(**value))
                    added += 1
        return added

    @staticmethod
    def _exists(connection: Connection, key: str) -> bool:
        query = sa.select(_inbox.c.id).where(_inbox.c.key == key)
        return connection.execute(query).first() is not None

    def _claimable(self, now: datetime) -> list[Any]:
        earlier_open = (
            sa.exists()
            .where(_earlier.c.sender == _inbox.c.sender)
            .where(_earlier.c.id < _inbox.c.id)
            .where(_earlier.c.done_at.is_(None))
        )
        free = sa.or_(_inbox.c.lease_until.is_(None), _inbox.c.lease_until <= now)
        return [_inbox.c.done_at.is_(None), free, ~earlier_open]

    def claim(self, worker: str, lease: timedelta) -> InboxRow | None:
        """Take the next row for `worker` until now + `lease`; None when nothing is claimable."""
        now = self.clock()
        taken = {"claimed_by": worker[:64], "lease_until": now + lease}
        taken["attempts"] = _inbox.c.attempts + 1
        first = sa.select(_inbox.c.id).where(*self._claimable(now)).order_by(_inbox.c.id)
        if self.postgres:
            with self.engine.begin() as connection:
                found = connection.execute(
                    first.limit(1).with_for_update(skip_locked=True, of=_inbox)
                ).scalar()
                if found is None:
                    return None
                connection.execute(_inbox.update().where(_inbox.c.id == found).values(**taken))
                return self._row(connection, found)
        with self.engine.connect() as connection:
            candidates = list(connection.execute(first.limit(_CANDIDATES)).scalars())
        for found in candidates:
            with self.engine.begin() as connection:
                update = _inbox.update().where(_inbox.c.id == found, *self._claimable(now))
                if connection.execute(update.values(**taken)).rowcount == 1:
                    return self._row(connection, found)
        return None

    @staticmethod
    def _row(connection: Connection, row_id: int) -> InboxRow:
        columns = [_inbox.c[name] for name in InboxRow.__dataclass_fields__]
        row = connection.execute(sa.select(*columns).where(_inbox.c.id == row_id)).mappings().one()
        return InboxRow(**row)

    def renew(self, row: InboxRow, worker: str, lease: timedelta) -> bool:
        """Extend the lease; False if the row is no longer this worker's (or finished)."""
        update = _inbox.update().where(
            _inbox.c.id == row.id, _inbox.c.claimed_by == worker[:64], _inbox.c.done_at.is_(None)
        )
        with self.engine.begin() as connection:
            return connection.execute(update.values(lease_until=self.clock() + lease)).rowcount == 1

    def finish(self, row: InboxRow, outcome: str = DONE) -> None:
        """Mark the row finished: answered (`done`) or given up (`failed`)."""
        values = {"done_at": self.clock(), "outcome": outcome, "lease_until": None}
        update = _inbox.update().where(_inbox.c.id == row.id, _inbox.c.done_at.is_(None))
        with self.engine.begin() as connection:
            connection.execute(update.values(**values))

    def release(self, row: InboxRow, worker: str, retry_in: timedelta = timedelta(0)) -> None:
        """Give the row back unfinished; it can be claimed again after `retry_in`."""
        update = _inbox.update().where(_inbox.c.id == row.id, _inbox.c.claimed_by == worker[:64])
        values = {"claimed_by": None, "lease_until": self.clock() + retry_in}
        with self.engine.begin() as connection:
            connection.execute(update.where(_inbox.c.done_at.is_(None)).values(**values))

    def unfinished(self, keys: Iterable[str] | None = None) -> set[str]:
        """Keys of unfinished rows (among `keys`, or all of them)."""
        query = sa.select(_inbox.c.key).where(_inbox.c.done_at.is_(None))
        wanted = None if keys is None else list(keys)
        found: set[str] = set()
        with self.engine.connect() as connection:
            if wanted is None:
                return set(connection.execute(query).scalars())
            for start in range(0, len(wanted), 500):
                chunk = query.where(_inbox.c.key.in_(wanted[start : start + 500]))
                found.update(connection.execute(chunk).scalars())
        return found

    def waiting(self) -> int:
        """Unfinished rows nobody holds a live lease on (the backlog)."""
        now = self.clock()
        free = sa.or_(_inbox.c.lease_until.is_(None), _inbox.c.lease_until <= now)
        query = sa.select(sa.func.count()).where(_inbox.c.done_at.is_(None), free)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar() or 0)

    def outcome(self, key: str) -> tuple[int, str | None] | None:
        """(attempts, outcome) of a row; None if there is no such row (tests, checks)."""
        query = sa.select(_inbox.c.attempts, _inbox.c.outcome).where(_inbox.c.key == key)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return None if row is None else (row[0], row[1])
