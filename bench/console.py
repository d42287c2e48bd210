"""Console benchmark: the queue API (GET /webhooks/console/api/tickets) over 10,000 tickets,
through real HTTP with a logged-in session (target p95 < 300 ms).

Run: .venv/bin/python -m bench.console [--tickets 10000] [--rounds 60] [--standalone]
By default the console is served by a real Rasa server (harness.stack.Stack with credentials.yml)
when models/djpk.tar.gz exists; --standalone serves the same channel blueprint on a bare Sanic app.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

from bot.console.units import escalation_units
from bot.console.users import UserStore
from bot.db import engine_for
from bot.hours import Zone
from bot.settings import Settings
from bot.tickets.numbering import format_number, service_day
from bot.tickets.tables import TicketRow
from bot.tickets.taxonomy import Category, Channel, Status, Topic
from harness.stack import ROOT, Stack

MODEL = ROOT / "models" / "djpk.tar.gz"
PASSWORD = "bench-password-2026"
START = datetime.now(timezone.utc) - timedelta(days=90)
QUERIES = {
    "queue: active, newest": "",
    "queue: active, oldest waiting": "order=oldest",
    "filter: open + whatsapp": "status=open&channel=whatsapp",
    "filter: topic DAU + zone WITA": "topic=DAU&zone=WITA&status=all",
    "filter: out of hours, all statuses": "hours=out&status=all",
    "page 20 of all, newest": "status=all&offset=950",
}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def seed(settings: Settings, count: int) -> None:
    """Bulk-insert `count` varied tickets over 90 days, and the bench users."""
    rng = random.Random(11)
    units = [u.slug for u in escalation_units(settings.kb_dir)]
    rows, per_day = [], {}
    for i in range(count):
        at = START + timedelta(minutes=rng.randrange(90 * 24 * 60))
        day = service_day(at)
        per_day[day] = per_day.get(day, 0) + 1
        status = rng.choices(list(Status), weights=[10, 5, 3, 40, 42])[0]
        rows.append(
            {
                "number": format_number(day, per_day[day]),
                "conversation_id": f"seed-{i}",
                "open_key": f"seed-{i}" if status.active else None,
                "channel": rng.choice(list(Channel)).value,
                "category": rng.choice(list(Category)).value,
                "zone": rng.choice([z.value for z in Zone] + [None]),
                "topic": rng.choice(list(Topic)).value,
                "user_name": f"Pengguna {i}",
                "instansi": "BPKAD Kab. Contoh",
                "summary": "pertanyaan contoh tentang penyaluran dana " * 3,
                "status": status.value,
                "in_service_hours": rng.random() < 0.85,
                "escalation_unit": rng.choice(units) if status is Status.ESCALATED else None,
                "context": {},
                "created_at": at,
                "updated_at": at,
            }
        )
    engine = engine_for(settings.db_url)
    with engine.begin() as connection:
        connection.execute(TicketRow.__table__.insert(), rows)
    users = UserStore(engine, rounds=4)
    users.add("bench", PASSWORD, "agent")
    users.add("bench-pic", PASSWORD, "unit_pic", "dana-transfer-umum", units=units)


def serve_standalone(settings: Settings) -> tuple[str, Callable[[], None]]:
    """The console blueprint on a bare Sanic app in a thread; returns its URL and a stopper."""
    from sanic import Sanic

    from bot.console.channel import ConsoleInput

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    loop, ready = asyncio.new_event_loop(), threading.Event()
    stopping: list[asyncio.Event] = []

    async def main() -> None:
        Sanic.test_mode = True
        app = Sanic("console_bench")
        app.config.ACCESS_LOG = False
        console = ConsoleInput(settings)
        app.blueprint(console.blueprint(lambda _m: None), url_prefix="/webhooks/console")
        app.ctx.agent, app.ctx.input_channels = None, [console]
        server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
        await server.startup()
        await server.before_start()
        await server.after_start()
        stopping.append(asyncio.Event())
        ready.set()
        await stopping[0].wait()
        await server.before_stop()
        server.close()
        await server.wait_closed()

    thread = threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True)
    thread.start()
    ready.wait(60)

    def stop() -> None:
        loop.call_soon_threadsafe(stopping[0].set)
        thread.join(30)

    return f"http://127.0.0.1:{sock.getsockname()[1]}/webhooks/console", stop


def measure(url: str, user: str, rounds: int) -> dict[str, list[float]]:
    """Log in, then time each queue query `rounds` times (milliseconds, real HTTP)."""
    http = requests.Session()
    http.post(f"{url}/login", json={"username": user, "password": PASSWORD}).raise_for_status()
    times: dict[str, list[float]] = {name: [] for name in QUERIES}
    for query in QUERIES.values():  # warm-up
        http.get(f"{url}/api/tickets?{query}").raise_for_status()
    for _ in range(rounds):
        for name, query in QUERIES.items():
            start = time.perf_counter()
            response = http.get(f"{url}/api/tickets?{query}")
            times[name].append((time.perf_counter() - start) * 1000)
            response.raise_for_status()
    return times


def report(title: str, times: dict[str, list[float]], target: float = 300.0) -> None:
    """Print p50/p95/max per query and overall."""
    print(f"\n{title} (target p95 < {target:.0f} ms)")
    every = [value for values in times.values() for value in values]
    for name, values in [*times.items(), ("all queries", every)]:
        p95 = percentile(values, 0.95)
        verdict = "ok" if p95 < target else "OVER TARGET"
        print(
            f"  {name:36} n={len(values):4}  p50 {statistics.median(values):7.1f} ms"
            f"  p95 {p95:7.1f} ms  max {max(values):7.1f} ms  {verdict}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--standalone", action="store_true", help="bare Sanic, no Rasa server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="console-bench-") as folder:
        var = Path(folder)
        env = {"DJPK_DB_URL": f"sqlite:///{var / 'djpk.db'}", "DJPK_VAR_DIR": str(var)}
        settings = Settings.from_env(env)
        started = time.perf_counter()
        seed(settings, args.tickets)
        print(f"seeded {args.tickets} tickets in {time.perf_counter() - started:.1f} s (SQLite)")
        use_rasa = MODEL.exists() and not args.standalone
        if use_rasa:
            stack = Stack(model=MODEL, actions=False, endpoints=None, env=env).start()
            url, stop = f"{stack.url}/webhooks/console", stack.stop
        else:
            url, stop = serve_standalone(settings)
        where = "Rasa server" if use_rasa else "standalone Sanic"
        try:
            report(f"queue API over HTTP, agent, {where}", measure(url, "bench", args.rounds))
            report(f"queue API over HTTP, unit PIC, {where}", measure(url, "bench-pic", 20))
        finally:
            stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
