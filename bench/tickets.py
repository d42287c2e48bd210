"""Ticket benchmark: hand-off creation p95 (target < 50 ms, SQLite) and the console queue query
over 10,000 tickets (target p95 < 300 ms), on SQLite and, when it answers, PostgreSQL.

Run: .venv/bin/python bench/tickets.py [--tickets 10000] [--creates 300] [--no-postgres]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.db import make_engine, upgrade  # noqa: E402
from bot.hours import ServiceHours, Zone  # noqa: E402
from bot.regions import RegionIndex  # noqa: E402
from bot.tickets.numbering import format_number, service_day  # noqa: E402
from bot.tickets.records import NewTicket, TicketQuery  # noqa: E402
from bot.tickets.service import TicketService  # noqa: E402
from bot.tickets.store import SqlTicketStore  # noqa: E402
from bot.tickets.tables import TicketRow  # noqa: E402
from bot.tickets.taxonomy import Category, Channel, Status, Topic  # noqa: E402

KB = ROOT / "knowledge_base"
START = datetime(2026, 9, 1, 1, 0, tzinfo=timezone.utc)
INSTANSI = [
    "BPKAD Kab. Brebes",
    "pemkab sumbawa",
    "Kab. Lembata",
    "Kota Manado",
    "warga",
    "kab ttu",
]
QUERIES = {
    "queue: active, newest, 50": TicketQuery(
        status=(Status.OPEN, Status.ASSIGNED, Status.ESCALATED), limit=50
    ),
    "queue: open, oldest waiting, 50": TicketQuery(status=Status.OPEN, order="oldest", limit=50),
    "filter: zone WITA + out of hours": TicketQuery(zone=Zone.WITA, in_hours=False, limit=50),
    "filter: topic DAU + whatsapp": TicketQuery(topic=Topic.DAU, channel=Channel.WHATSAPP),
    "filter: escalated to a unit": TicketQuery(escalation_unit="Direktorat Dana Transfer Umum"),
    "page 20 of all, newest": TicketQuery(limit=50, offset=950),
}


def p(values: list[float], q: float) -> float:
    """Percentile (milliseconds in, milliseconds out)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def seed(store: SqlTicketStore, count: int) -> None:
    """Bulk-insert `count` varied tickets over 90 days (about 110 a day)."""
    rng = random.Random(7)
    rows, per_day = [], {}
    for i in range(count):
        at = START + timedelta(minutes=rng.randrange(90 * 24 * 60))
        day = service_day(at)
        per_day[day] = per_day.get(day, 0) + 1
        status = rng.choices(list(Status), weights=[10, 5, 3, 40, 42])[0]
        rows.append(
            {
                "number": format_number(day, per_day[day] + 5000),
                "conversation_id": f"seed-{i}",
                "open_key": f"seed-{i}" if status.active else None,
                "channel": rng.choice(list(Channel)).value,
                "category": rng.choice(list(Category)).value,
                "zone": rng.choice([z.value for z in Zone] + [None]),
                "topic": rng.choice(list(Topic)).value,
                "summary": "pertanyaan contoh",
                "status": status.value,
                "in_service_hours": rng.random() < 0.85,
                "escalation_unit": "Direktorat Dana Transfer Umum" if rng.random() < 0.02 else None,
                "context": {},
                "created_at": at,
                "updated_at": at,
            }
        )
    with store.engine.begin() as connection:
        connection.execute(TicketRow.__table__.insert(), rows)


def bench_creates(service: TicketService, count: int) -> dict[str, list[float]]:
    """Time the full hand-off (region match, hours, ticket, pause, profile, label) and a retry."""
    times: dict[str, list[float]] = {"open_handoff": [], "retry (idempotent)": []}
    raw: list[float] = []
    now = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)
    for i in range(count):
        kwargs = dict(
            conversation_id=f"bench-{uuid.uuid4().hex}",
            channel=Channel.WHATSAPP,
            name="Budi",
            instansi=INSTANSI[i % len(INSTANSI)],
            topic_text="DAU tahap 1 belum masuk",
            transcript=[("user", "mau bicara dengan petugas", now)],
            now=now,
        )
        for label in times:
            start = time.perf_counter()
            service.open_handoff(**kwargs)
            times[label].append((time.perf_counter() - start) * 1000)
        new = NewTicket(f"raw-{uuid.uuid4().hex}", Channel.REST, Topic.DAU, "DAU")
        start = time.perf_counter()
        service.store.create_for_conversation(new, now)
        raw.append((time.perf_counter() - start) * 1000)
    times["store.create_for_conversation"] = raw
    return times


def bench_queries(store: SqlTicketStore, rounds: int) -> dict[str, list[float]]:
    """Time each console query `rounds` times, plus the count behind the pager."""
    times: dict[str, list[float]] = {name: [] for name in QUERIES}
    times["count: active"] = []
    for _ in range(rounds):
        for name, query in QUERIES.items():
            start = time.perf_counter()
            store.list(query)
            times[name].append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        store.count(QUERIES["queue: active, newest, 50"])
        times["count: active"].append((time.perf_counter() - start) * 1000)
    return times


def report(title: str, times: dict[str, list[float]], target: float) -> None:
    print(f"\n{title} (target p95 < {target:.0f} ms)")
    for name, values in times.items():
        p95 = p(values, 0.95)
        verdict = "ok" if p95 < target else "OVER TARGET"
        print(
            f"  {name:36} n={len(values):4}  p50 {statistics.median(values):7.2f} ms"
            f"  p95 {p95:7.2f} ms  max {max(values):7.2f} ms  {verdict}"
        )


def run(url: str, label: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    upgrade(engine)
    store = SqlTicketStore(engine)
    service = TicketService(store, RegionIndex.load(KB), ServiceHours.load(KB))
    report(f"[{label}] ticket creation", bench_creates(service, args.creates), 50)
    start = time.perf_counter()
    seed(store, args.tickets)
    total = store.count()
    print(f"\n[{label}] seeded {args.tickets} tickets in {time.perf_counter() - start:.1f} s")
    report(f"[{label}] console queue over {total} tickets", bench_queries(store, args.rounds), 300)
    engine.dispose()


def postgres_database():
    """Create a throwaway PostgreSQL database; None when the server does not answer."""
    try:
        import psycopg2

        admin = psycopg2.connect(
            host="127.0.0.1", user="postgres", dbname="postgres", connect_timeout=3
        )
    except Exception as error:  # noqa: BLE001  (any failure just skips PostgreSQL)
        print(f"\nPostgreSQL skipped: {error}".strip())
        return None, None
    admin.autocommit = True
    name = f"djpk_bench_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    return admin, name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite", args)
    if not args.no_postgres:
        admin, name = postgres_database()
        if admin is not None:
            try:
                run(f"postgresql+psycopg2://postgres@127.0.0.1/{name}", "PostgreSQL", args)
            finally:
                with admin.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
