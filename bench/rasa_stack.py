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

from bench.stack import BIN, ROOT, Stack, peak_rss_mb
from bench.whatsapp_stack import TOKEN, channel_env, load
from tests.fakes.fake_graph import FakeGraph

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
) -> None:
    for index in range(rounds):
        text = messages[index % len(messages)]
        start = time.perf_counter()
        async with session.post(url, json={"sender": name, "message": text}) as response:
            await response.read()
            response.raise_for_status()
        latencies.append(time.perf_counter() - start)


async def rest_load(url: str, messages: list[str], senders: int, rounds: int) -> dict[str, float]:
    """`senders` concurrent users, each sending `rounds` messages one after another."""
    latencies: list[float] = []
    async with aiohttp.ClientSession() as session:
        stamp = int(time.time() * 1000)
        start = time.perf_counter()
        await asyncio.gather(
            *(
                _sender(session, url, f"bench-{stamp}-{i}", messages, rounds, latencies)
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


def measure(stack: Stack, messages: list[str]) -> dict[str, dict[str, float]]:
    """Warm up, then 1 sender and 20 concurrent senders against the REST channel."""
    url = f"{stack.url}/webhooks/rest/webhook"
    asyncio.run(rest_load(url, messages, 1, 10))
    return {
        "1": asyncio.run(rest_load(url, messages, 1, 60)),
        "20": asyncio.run(rest_load(url, messages, 20, 15)),
    }


def main() -> None:
    print("== Rasa stack ==")
    if "--skip-train" not in sys.argv:
        print(f"full rasa train (empty cache): {full_train_seconds():.0f} s  (target < 180 s)")
    graph = FakeGraph(token=TOKEN).start()
    with tempfile.TemporaryDirectory() as tmp:
        ours_stack = Stack(model=ROOT / "models" / "djpk.tar.gz", env=channel_env(graph, Path(tmp)))
        ours_stack.start()
        try:
            ours = measure(ours_stack, FAQ_MESSAGES)
            whatsapp = asyncio.run(load(ours_stack.url, graph, FAQ_MESSAGES[:5], 20))
            rss = peak_rss_mb(ours_stack.server_pid)
        finally:
            ours_stack.stop()
            graph.stop()
    references = {}
    for label, model, cwd in (
        ("vanilla rasa init", vanilla_model(), VANILLA),
        ("rasa init, rules only", rules_only_model(), RULES_ONLY),
    ):
        stack = Stack(model=model, cwd=cwd, endpoints=None, actions=False)
        stack.start()
        try:
            references[label] = measure(stack, VANILLA_MESSAGES)
        finally:
            stack.stop()
    vanilla = references["vanilla rasa init"]
    print(f"Rasa server peak memory: {rss:.0f} MB")
    print(f"{'REST load':<28}{'p50 ms':>9}{'p95 ms':>9}{'msg/s':>9}")
    for label, figures in (("DJPK (FAQ via actions)", ours), *references.items()):
        for senders, row in figures.items():
            print(
                f"{label + ' x' + senders:<28}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
                f"{row['msg_per_s']:>9.1f}"
            )
    print(
        f"{'WhatsApp x20 (fake Graph)':<28}{whatsapp['ack_p50_ms']:>9.1f}"
        f"{whatsapp['ack_p95_ms']:>9.1f}{whatsapp['msg_per_s']:>9.1f}"
        "   (p50/p95 = webhook ack while the model works; target ack p95 < 50 ms)"
    )
    ratio = ours["20"]["msg_per_s"] / vanilla["20"]["msg_per_s"]
    print(
        f"throughput at 20 senders: {ratio:.2f}x vanilla (target >= 1.5x); "
        f"p50 at 1 sender {ours['1']['p50_ms']:.1f} ms (target < 20 ms)"
    )


if __name__ == "__main__":
    main()
