"""One host and two hosts behind nginx, side by side: REST throughput and latency of FAQ turns.

Runs the stack of `make run-scaled` (scripts/scaled/) with 1, then 2 hosts on this machine and
sends the same load through nginx: CONVERSATIONS conversations of the ten questions below, CLIENTS
at a time (loopback and the test hosts only). Prints messages per second, p50 and p95 per setup
and the gain. Both hosts share this machine's 2 cores (and PostgreSQL, Redis and nginx run here
too), so the gain measures how well the work spreads, not what a second machine would add.
Needs root (network namespaces) and Debian's nginx, supervisor and socat (make
system-deps-scaled); otherwise it says so and exits 0.

    python -m bench.scaled_hosts [--conversations 40] [--clients 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from harness.scaled import ScaledStack

QUESTIONS = (
    "min nomor wa djpk brp ya",
    "jam layanan contact center sampai jam berapa",
    "kapan dau tahap 1 cair",
    "syarat penyaluran dbh apa saja",
    "dana desa tahap 2 kapan disalurkan",
    "alamat kantor djpk dimana",
    "bagaimana cara minta data apbd",
    "apa itu jf akpd",
    "pajak daerah diatur di uu berapa",
    "terima kasih min",
)


@dataclass(frozen=True)
class Figures:
    hosts: int
    messages: int
    seconds: float
    latencies: tuple[float, ...]

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def load(stack: ScaledStack, conversations: int, clients: int, tag: str) -> Figures:
    latencies: list[float] = []

    def converse(sender: str) -> None:
        for question in QUESTIONS:
            started = time.perf_counter()
            stack.say(sender, question)
            latencies.append(time.perf_counter() - started)

    for n in range(clients):  # warm-up: first turns load caches on each host
        stack.say(f"{tag}-warm-{n}", QUESTIONS[0])
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        for future in [pool.submit(converse, f"{tag}-{n:04d}") for n in range(conversations)]:
            future.result()
    seconds = time.perf_counter() - started
    return Figures(0, len(latencies), seconds, tuple(latencies))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=40)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    missing = [tool for tool in ("nginx", "supervisord", "socat") if not shutil.which(tool)]
    if os.geteuid() != 0 or missing:
        print(f"skipped: needs root and {' '.join(missing) or 'root'} (make system-deps-scaled)")
        return 0
    results = []
    for hosts in (1, 2):
        with ScaledStack(hosts=hosts) as stack:
            figures = load(stack, args.conversations, args.clients, f"bench{hosts}")
            results.append(Figures(hosts, figures.messages, figures.seconds, figures.latencies))
    print(
        f"REST FAQ turns through nginx, {args.conversations} conversations x {len(QUESTIONS)}"
        f" messages, {args.clients} clients, this machine's {os.cpu_count()} cores:"
    )
    print(f"{'hosts':>5} {'msg/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'seconds':>8}")
    for r in results:
        print(
            f"{r.hosts:>5} {r.rate:>8.1f} {r.percentile(0.5) * 1000:>8.0f}"
            f" {r.percentile(0.95) * 1000:>8.0f} {r.seconds:>8.1f}"
        )
    one, two = results
    print(f"two hosts / one host: throughput x{two.rate / one.rate:.2f}")
    print(f"per core (two hosts): {two.rate / (os.cpu_count() or 1):.1f} msg/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
