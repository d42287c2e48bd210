"""WhatsApp channel benchmark: webhook ack latency while the bot is busy, and messages/second.

Three processes: this client, a Sanic server with the WhatsApp channel and a stand-in handler
(`--serve`), and the fake Graph API (harness.fakes.fake_graph). Run:
    .venv/bin/python bench/whatsapp.py [--messages 600] [--senders 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECRET = "bench-app-secret"
TOKEN = "bench-token"
ACK_TARGET_MS = 50.0


def _pooled_engine(url: str):
    """SQLite with a connection pool and synchronous=NORMAL (WAL), to compare with bot.db's."""
    import sqlalchemy as sa
    from sqlalchemy.pool import QueuePool

    from bot.db import upgrade

    engine = sa.create_engine(
        url, future=True, poolclass=QueuePool, connect_args={"check_same_thread": False}
    )

    @sa.event.listens_for(engine, "connect")
    def pragmas(connection, _record) -> None:
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=5000"):
            connection.execute(f"PRAGMA {pragma}")

    upgrade(engine)
    return engine


def serve(port: int, graph_url: str, db_url: str, handler: str, pooled: bool) -> None:
    """Run the WhatsApp channel on `port` with a stand-in bot: sleep, block or echo."""
    import logging

    from sanic import Sanic

    import bot.channels.whatsapp
    from bot.channels.whatsapp import WhatsAppInput

    logging.basicConfig(level=logging.WARNING)
    if pooled:
        bot.channels.whatsapp.engine_for = _pooled_engine

    async def on_new_message(message) -> None:
        if handler == "sleep":
            await asyncio.sleep(0.2)  # a model awaiting I/O: the event loop stays free
        elif handler == "block":
            time.sleep(0.02)  # CPU-bound inference run on the event loop (as Rasa does)
        await message.output_channel.send_text_message(message.sender_id, "ok: " + message.text)

    channel = WhatsAppInput(
        "verify",
        SECRET,
        TOKEN,
        "PNID",
        graph_url,
        db_url=db_url,
        upload_dir=Path(tempfile.gettempdir()) / "bench-uploads",
    )
    app = Sanic("bench_whatsapp")
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/whatsapp")
    app.run(host="127.0.0.1", port=port, access_log=False, motd=False)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def _wait(url: str, timeout: float = 60.0) -> None:
    import aiohttp

    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(url)


async def _count(graph_root: str) -> int:
    import aiohttp

    async with aiohttp.ClientSession() as session, session.get(f"{graph_root}/count") as resp:
        return (await resp.json())["messages"]


def _delivery(number: int, user: str) -> tuple[bytes, dict[str, str]]:
    from harness.fakes import webhooks as wh

    body = wh.delivery([wh.text(f"pertanyaan {number}", sender=user)], sender=user)
    return wh.encode(body, SECRET)


async def _post(session, webhook: str, number: int, user: str, acks: list[float]) -> None:
    raw, headers = _delivery(number, user)
    started = time.perf_counter()
    async with session.post(webhook, data=raw, headers=headers) as response:
        assert response.status == 200, response.status
    acks.append((time.perf_counter() - started) * 1000)


async def _replies(graph_root: str, expected: int, since: float) -> tuple[int, float]:
    """Wait until the fake Graph API holds `expected` replies; returns (replies, seconds)."""
    while (count := await _count(graph_root)) < expected and time.perf_counter() - since < 120:
        await asyncio.sleep(0.05)
    return count, time.perf_counter() - since


async def _steady(webhook: str, graph_root: str, messages: int, rate: float) -> dict[str, float]:
    """Open loop: deliveries arrive at `rate` per second, as Meta sends them; time the acks."""
    import aiohttp

    base, acks = await _count(graph_root), []
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        tasks = []
        for number in range(messages):
            await asyncio.sleep(max(0.0, started + number / rate - time.perf_counter()))
            user = f"62811{number % 50:07d}"
            tasks.append(asyncio.ensure_future(_post(session, webhook, number, user, acks)))
        await asyncio.gather(*tasks)
    replied, seconds = await _replies(graph_root, base + messages, started)
    return _figures(acks, replied - base, seconds)


async def _saturate(webhook: str, graph_root: str, messages: int, senders: int) -> dict[str, float]:
    """Closed loop: `senders` concurrent users, each posting as soon as its last was acked."""
    import aiohttp

    base, acks = await _count(graph_root), []
    numbers = iter(range(messages))
    started = time.perf_counter()

    async def sender(session: aiohttp.ClientSession, user: str) -> None:
        for number in numbers:
            await _post(session, webhook, number, user, acks)

    connector = aiohttp.TCPConnector(limit=senders)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(sender(session, f"62811{i:07d}") for i in range(senders)))
    replied, seconds = await _replies(graph_root, base + messages, started)
    return _figures(acks, replied - base, seconds)


def _figures(acks: list[float], replied: int, seconds: float) -> dict[str, float]:
    return {
        "ack_p50": statistics.median(acks),
        "ack_p95": _percentile(acks, 0.95),
        "ack_p99": _percentile(acks, 0.99),
        "replies_per_s": replied / seconds,
        "replied": replied,
    }


def _spawn(args: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT
        )


def _problems(log: Path) -> str:
    """Warnings and errors the server logged (a full pipe must never stall it, so: a file)."""
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    flagged = [line for line in lines if any(w in line for w in ("WARNING", "ERROR", "Error"))]
    return f"{len(flagged)} warnings/errors logged" + (
        f", e.g. {flagged[0][:160]}" if flagged else ""
    )


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_scenario(handler: str, load, graph_port: int, pooled: bool = False) -> dict[str, float]:
    """Start a server with the given stand-in bot, warm it up, then apply `load(webhook, root)`."""
    port = _free_port()
    graph_root = f"http://127.0.0.1:{graph_port}"
    with tempfile.TemporaryDirectory() as folder:
        options = ["--serve", str(port), "--graph", f"{graph_root}/v19.0", "--handler", handler]
        options += ["--db", f"sqlite:///{folder}/bench.db", *(["--pooled"] if pooled else [])]
        log = Path(tempfile.mkdtemp(prefix="bench-whatsapp-")) / f"server-{handler}.log"
        server = _spawn([str(Path(__file__).resolve()), *options], log)
        try:
            asyncio.run(_wait(f"http://127.0.0.1:{port}/webhooks/whatsapp/"))
            webhook = f"http://127.0.0.1:{port}/webhooks/whatsapp/webhook"
            asyncio.run(_saturate(webhook, graph_root, 40, 10))  # warm-up
            figures = asyncio.run(load(webhook, graph_root))
        finally:
            server.terminate()
            server.wait(timeout=10)
        figures["problems"] = _problems(log)
        return figures


def _line(label: str, figures: dict[str, float], messages: int) -> str:
    return (
        f"  {label:44s} ack p50 {figures['ack_p50']:6.1f} ms  p95 {figures['ack_p95']:6.1f} ms"
        f"  p99 {figures['ack_p99']:6.1f} ms  replies {figures['replies_per_s']:5.1f} msg/s"
        f" ({figures['replied']:.0f}/{messages})\n      server: {figures['problems']}"
    )


def main() -> int:
    """Run the scenarios and print their figures."""
    parser = argparse.ArgumentParser(description="WhatsApp channel benchmark")
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--rate", type=float, default=20.0, help="deliveries/s in the ack test")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--handler", default="echo", help=argparse.SUPPRESS)
    parser.add_argument("--pooled", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    if args.serve:
        serve(args.serve, args.graph, args.db, args.handler, args.pooled)
        return 0
    graph_port = _free_port()
    fake_log = Path(tempfile.mkdtemp()) / "fake_graph.log"
    fake = _spawn(
        ["-m", "harness.fakes.fake_graph", "--port", str(graph_port), "--token", TOKEN], fake_log
    )
    n, rate, senders = args.messages, args.rate, args.senders
    try:
        asyncio.run(_wait(f"http://127.0.0.1:{graph_port}/count"))
        print(
            f"WhatsApp channel: server, fake Graph API and client in 3 processes, SQLite inbox, "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before start"
        )
        print(f"Acks while the bot is busy: {n} deliveries at {rate:.0f}/s (open loop)")
        steady = lambda w, g: _steady(w, g, n, rate)  # noqa: E731
        busy = run_scenario("sleep", steady, graph_port)
        print(_line("bot awaits 200 ms per message", busy, n), flush=True)
        blocked = run_scenario("block", steady, graph_port)
        print(_line("bot blocks the event loop 20 ms (CPU-bound)", blocked, n), flush=True)
        print(f"Throughput: {n} messages from {senders} concurrent senders (closed loop)")
        saturate = lambda w, g: _saturate(w, g, n, senders)  # noqa: E731
        echo = run_scenario("echo", saturate, graph_port)
        print(_line("stub bot echoes at once", echo, n), flush=True)
        busy_saturated = run_scenario("sleep", saturate, graph_port)
        print(_line("bot awaits 200 ms per message", busy_saturated, n), flush=True)
        pooled = run_scenario("echo", saturate, graph_port, pooled=True)
        print(_line("stub bot, SQLite pooled + synchronous=NORMAL", pooled, n), flush=True)
        verdict = "PASS" if busy["ack_p95"] < ACK_TARGET_MS else "FAIL"
        print(
            f"target ack p95 < {ACK_TARGET_MS:.0f} ms while the bot is busy: "
            f"{busy['ack_p95']:.1f} ms {verdict}; "
            f"throughput at {senders} senders (stub bot): {echo['replies_per_s']:.1f} msg/s"
        )
    finally:
        fake.terminate()
        fake.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
