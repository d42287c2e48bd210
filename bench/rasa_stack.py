"""Rasa-side figures: full training time, server memory, REST load vs a vanilla `rasa init` bot."""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.whatsapp_stack import TOKEN, channel_env, load
from harness.fakes.fake_graph import FakeGraph
from harness.stack import BIN, ROOT, Stack, peak_rss_mb

VANILLA = ROOT / "var" / "bench" / "vanilla"
FAQ_MESSAGES = [
    "min nomor wa djpk brp ya",
    "dau tahap 1 kpn cair?",
    "jam layanan djpk",
    "email lapor djpk apa",
    "bagaimana mekanisme pencairan tdf",
    "portal data apbd dimana",
]
VANILLA_MESSAGES = ["hello", "I am happy", "goodbye", "are you a bot?", "not very good", "great"]


def full_train_seconds() -> float:
    """Wall time of `rasa train --force` with an empty cache (no reuse of earlier runs)."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "rasa"), "train", "--force", "--out", tmp, "--fixed-model-name", "bench"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**__import__("os").environ, "RASA_CACHE_DIRECTORY": str(Path(tmp) / "cache")},
        )
        return time.perf_counter() - start


RULES_ONLY = ROOT / "var" / "bench" / "vanilla-rules"
RULES_ONLY_POLICIES = """policies:
  - name: MemoizationPolicy
  - name: RulePolicy
"""


def _train(project: Path, name: str) -> Path:
    subprocess.run(
        [str(BIN / "rasa"), "train", "--fixed-model-name", name],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return project / "models" / f"{name}.tar.gz"


def vanilla_model() -> Path:
    """A `rasa init` project trained once and kept under var/bench/vanilla."""
    model = VANILLA / "models" / "vanilla.tar.gz"
    if not model.exists():
        VANILLA.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(VANILLA)],
            check=True,
            capture_output=True,
        )
        _train(VANILLA, "vanilla")
    return model


def rules_only_model() -> Path:
    """The same `rasa init` bot with rule and memoization policies only (no TED): this
    machine's floor for a Rasa turn, the ~12 ms figure of MEASURED.md."""
    model = RULES_ONLY / "models" / "rules.tar.gz"
    if not model.exists():
        vanilla_model()
        shutil.rmtree(RULES_ONLY, ignore_errors=True)
        shutil.copytree(VANILLA, RULES_ONLY, ignore=shutil.ignore_patterns("models", ".rasa"))
        config = RULES_ONLY / "config.yml"
        text = config.read_text()
        config.write_text(text[: text.index("policies:")] + RULES_ONLY_POLICIES)
        _train(RULES_ONLY, "rules")
    return model


async def _sender(
    session: aiohttp.ClientSession,
    url: str,
    name: str,
    messages: list[str],
    rounds: int,
    latencies: list[float],
    chats: int = 1,
    headers: dict[str, str] | None = None,
) -> None:
    for chat in range(chats):
        for index in range(rounds):
            text = messages[index % len(messages)]
            start = time.perf_counter()
            body = {"sender": f"{name}-{chat}", "message": text}
            async with session.post(url, json=body, headers=headers) as response:
                await response.read()
                response.raise_for_status()
            latencies.append(time.perf_counter() - start)


async def rest_load(
    url: str,
    messages: list[str],
    senders: int,
    rounds: int,
    chats: int = 1,
    headers: dict[str, str] | None = None,
) -> dict[str, float]:
    """`senders` concurrent users, each holding `chats` conversations of `rounds` messages,
    one message after another; `headers` (the stack's bearer token) go with every POST."""
    latencies: list[float] = []
    async with aiohttp.ClientSession() as session:
        stamp = int(time.time() * 1000)
        start = time.perf_counter()
        await asyncio.gather(
            *(
                _sender(
                    session, url, f"bench-{stamp}-{i}", messages, rounds, latencies, chats, headers
                )
                for i in range(senders)
            )
        )
        wall = time.perf_counter() - start
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "msg_per_s": len(latencies) / wall,
    }


ROUNDS = 3


def measure(stack: Stack, messages: list[str]) -> dict[str, dict[str, float]]:
    """On the REST channel: 1 sender in one 60-turn conversation (Rasa slows down as a
    conversation grows), 1 sender in ten 6-turn conversations, then 20 concurrent senders."""
    url, auth = f"{stack.url}/webhooks/rest/webhook", stack.headers
    return {
        "1": asyncio.run(rest_load(url, messages, 1, 60, headers=auth)),
        "1, 6-turn chats": asyncio.run(rest_load(url, messages, 1, 6, chats=10, headers=auth)),
        "20": asyncio.run(rest_load(url, messages, 20, 15, headers=auth)),
    }


def median_row(rows: list[dict[str, float]]) -> dict[str, float]:
    """Figure by figure, the median over the rounds."""
    return {key: statistics.median(row[key] for row in rows) for key in rows[0]}


def main() -> None:
    """All three bots run at once; the rounds alternate between them, so a slow spell of this
    shared machine hits each bot alike, and every figure is the median over ROUNDS rounds."""
    print("== Rasa stack ==")
    if "--skip-train" not in sys.argv:
        print(f"full rasa train (empty cache): {full_train_seconds():.0f} s  (target < 180 s)")
    graph = FakeGraph(token=TOKEN).start()
    tmp = tempfile.TemporaryDirectory()
    bots = {
        "DJPK (FAQ via actions)": (
            Stack(model=ROOT / "models" / "djpk.tar.gz", env=channel_env(graph, Path(tmp.name))),
            FAQ_MESSAGES,
        ),
        "vanilla rasa init": (
            Stack(model=vanilla_model(), cwd=VANILLA, endpoints=None, actions=False),
            VANILLA_MESSAGES,
        ),
        "rasa init, rules only": (
            Stack(model=rules_only_model(), cwd=RULES_ONLY, endpoints=None, actions=False),
            VANILLA_MESSAGES,
        ),
    }
    rounds: dict[str, list[dict[str, dict[str, float]]]] = {label: [] for label in bots}
    try:
        for stack, messages in bots.values():
            stack.start()
            url = f"{stack.url}/webhooks/rest/webhook"
            asyncio.run(rest_load(url, messages, 1, 10, headers=stack.headers))
        for _ in range(ROUNDS):
            for label, (stack, messages) in bots.items():
                rounds[label].append(measure(stack, messages))
        ours_stack = bots["DJPK (FAQ via actions)"][0]
        whatsapp = asyncio.run(load(ours_stack.url, graph, FAQ_MESSAGES[:5], 20))
        rss = peak_rss_mb(ours_stack.server_pid)
    finally:
        for stack, _messages in bots.values():
            stack.stop()
        graph.stop()
        tmp.cleanup()
    figures = {
        label: {senders: median_row([r[senders] for r in runs]) for senders in runs[0]}
        for label, runs in rounds.items()
    }
    ours, floor = figures["DJPK (FAQ via actions)"], figures["rasa init, rules only"]
    short = "1, 6-turn chats"
    pairs = zip(rounds["DJPK (FAQ via actions)"], rounds["vanilla rasa init"], strict=True)
    ratios = [mine["20"]["msg_per_s"] / theirs["20"]["msg_per_s"] for mine, theirs in pairs]
    print(f"Rasa server peak memory: {rss:.0f} MB")
    heading = f"REST load (median of {ROUNDS})"
    print(f"{heading:<40}{'p50 ms':>9}{'p95 ms':>9}{'msg/s':>9}")
    for label, by_senders in figures.items():
        for senders, row in by_senders.items():
            print(
                f"{label + ' x' + senders:<40}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
                f"{row['msg_per_s']:>9.1f}"
            )
    print(
        f"{'WhatsApp x20 (fake Graph)':<40}{whatsapp['ack_p50_ms']:>9.1f}"
        f"{whatsapp['ack_p95_ms']:>9.1f}{whatsapp['msg_per_s']:>9.1f}"
        "   (p50/p95 = webhook ack while the model works; target ack p95 < 50 ms)"
    )
    print(
        f"throughput at 20 senders: {statistics.median(ratios):.2f}x vanilla, median of rounds "
        f"{', '.join(f'{r:.2f}' for r in ratios)} (target >= 1.5x); "
        f"p50 at 1 sender {ours['1']['p50_ms']:.1f} ms, in 6-turn chats "
        f"{ours[short]['p50_ms']:.1f} ms (target < 20 ms; Rasa's rules-only bot: "
        f"{floor['1']['p50_ms']:.1f} and {floor[short]['p50_ms']:.1f} ms)"
    )


if __name__ == "__main__":
    main()
