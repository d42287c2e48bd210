"""The Deskpro outbox: one row per ticket to mirror, leased to one sender, retried until sent."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.clock import Clock, utcnow
from bot.console.tables import DeskproOutboxRow
from bot.db import session_factory
from bot.tickets.tables import TicketRow

LOOKBACK = timedelta(days=2)  # how far back the first scan reaches
MARGIN = timedelta(hours=1)  # rescanned behind the newest queued ticket (late commits)
LEASE = timedelta(minutes=2)  # default per-batch lease; the mirror passes one sized to its batch


@dataclass(frozen=True)
class OutboxItem:
    """A leased outbox row: the ticket, its failures, our lease and whether a send may have begun.

    `tried` is true when the row failed before or was leased before without a recorded result (a
    sender that stopped between Deskpro's create and `sent`): the mirror then looks the ticket up in
    Deskpro by its idempotency key before creating it again.
    """

    id: int
    ticket_id: int
    attempts: int
    locked_until: datetime | None = None
    tried: bool = False


class DeskproOutbox:
    """Queue new tickets, lease due ones, record success or the next attempt; never delete."""

    def __init__(self, engine: Engine, clock: Clock = utcnow) -> None:
        self._sessions = session_factory(engine)
        self.clock = clock

    def enqueue_new(self) -> int:
        """Queue every ticket not queued yet (from the last queued one, or the last two days)."""
        now = self.clock()
        with self._sessions() as session:
            newest = session.execute(select(func.max(DeskproOutboxRow.ticket_created_at))).scalar()
            since = now - LOOKBACK if newest is None else min(newest - MARGIN, now - MARGIN)
            queued = exists().where(DeskproOutboxRow.ticket_id == TicketRow.id)
            rows = session.execute(
                select(TicketRow.id, TicketRow.created_at)
                .where(TicketRow.created_at >= since, ~queued)
                .order_by(TicketRow.id)
            ).all()
        added = 0
        for ticket_id, created_at in rows:
            try:
                with self._sessions() as session, session.begin():
                    session.add(
                        DeskproOutboxRow(
                            ticket_id=ticket_id,
                            ticket_created_at=created_at,
                            queued_at=now,
                            attempts=0,
                            next_attempt_at=now,
                        )
                    )
                added += 1
            except IntegrityError:  # another server queued it first
                continue
        return added

    def lease_due(self, limit: int = 10, lease: timedelta = LEASE) -> list[OutboxItem]:
        """Rows due now, each leased to this caller for `lease` (a second server skips them)."""
        now = self.clock()
        with self._sessions() as session:
            candidates = session.execute(
                select(DeskproOutboxRow.id)
                .where(DeskproOutboxRow.sent_at.is_(None), DeskproOutboxRow.next_attempt_at <= now)
                .order_by(DeskproOutboxRow.next_attempt_at, DeskproOutboxRow.id)
                .limit(limit)
            ).scalars()
            candidates = list(candidates)
        leased = []
        for row_id in candidates:
            with self._sessions() as session, session.begin():
                free = (DeskproOutboxRow.locked_until.is_(None)) | (
                    DeskproOutboxRow.locked_until <= now
                )
                before = session.execute(
                    select(DeskproOutboxRow.locked_until).where(DeskproOutboxRow.id == row_id)
                ).scalar()
                taken = session.execute(
                    update(DeskproOutboxRow)
                    .where(DeskproOutboxRow.id == row_id, DeskproOutboxRow.sent_at.is_(None), free)
                    .values(locked_until=now + lease)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if taken:
                    row = session.get(DeskproOutboxRow, row_id)
                    tried = row.attempts > 0 or before is not None
                    leased.append(
                        OutboxItem(row.id, row.ticket_id, row.attempts, row.locked_until, tried)
                    )
        return leased

    def renew(self, item: OutboxItem, lease: timedelta) -> OutboxItem | None:
        """Extend our lease on one row to now + `lease`; None when it is no longer ours."""
        until = self.clock() + lease
        with self._sessions() as session, session.begin():
            held = DeskproOutboxRow.locked_until == item.locked_until
            taken = session.execute(
                update(DeskproOutboxRow)
                .where(DeskproOutboxRow.id == item.id, DeskproOutboxRow.sent_at.is_(None), held)
                .values(locked_until=until)
                .execution_options(synchronize_session=False)
            ).rowcount
        return replace(item, locked_until=until) if taken else None

    def sent(self, item: OutboxItem, deskpro_id: int | None, ref: str | None) -> None:
        """Record the Deskpro ticket made for this row."""
        self._update(
            item,
            sent_at=self.clock(),
            deskpro_id=deskpro_id,
            deskpro_ref=ref,
            attempts=item.attempts + 1,
            last_error=None,
            locked_until=None,
        )

    def failed(self, item: OutboxItem, reason: str, retry_in: timedelta) -> None:
        """Record a failure; the row is tried again after `retry_in`."""
        self._update(
            item,
            attempts=item.attempts + 1,
            last_error=reason[:500],
            next_attempt_at=self.clock() + retry_in,
            locked_until=None,
        )

    def _update(self, item: OutboxItem, **values: object) -> None:
        with self._sessions() as session, session.begin():
            session.execute(
                update(DeskproOutboxRow)
                .where(DeskproOutboxRow.id == item.id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )

    def status(self) -> dict[str, object]:
        """Counts for supervisors: sent, waiting, failing (tried at least once), last error."""
        with self._sessions() as session:
            sent = DeskproOutboxRow.sent_at.isnot(None)
            total = session.execute(select(func.count(DeskproOutboxRow.id))).scalar_one()
            done = session.execute(select(func.count()).where(sent)).scalar_one()
            failing = session.execute(
                select(func.count()).where(~sent, DeskproOutboxRow.attempts > 0)
            ).scalar_one()
            last_error = session.execute(
                select(DeskproOutboxRow.last_error)
                .where(~sent, DeskproOutboxRow.last_error.isnot(None))
                .order_by(DeskproOutboxRow.next_attempt_at.desc())
                .limit(1)
            ).scalar()
        return {"sent": done, "waiting": total - done, "failing": failing, "last_error": last_error}
