"""WhatsApp through the real assistant: webhook ack latency while the model works, and msg/s."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

import aiohttp

from harness.fakes import webhooks as wh
from harness.fakes.fake_graph import FakeGraph

SECRET = "bench-secret"
TOKEN = "bench-token"


def channel_env(graph: FakeGraph, var: Path) -> dict[str, str]:
    """Environment for a stack whose WhatsApp channel talks to the fake Graph API."""
    return {
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_GRAPH_URL": graph.url,
        "DJPK_DB_URL": f"sqlite:///{var / 'wa.db'}",
        "DJPK_VAR_DIR": str(var),
    }


def replies(graph: FakeGraph, user: str) -> int:
    """Messages (not read receipts) the bot sent to one user so far."""
    return sum(1 for message in graph.messages() if message.get("to") == user)


async def _sender(session, url, graph, user, texts, acks) -> None:
    for text in texts:
        before = replies(graph, user)
        raw, headers = wh.encode(wh.delivery([wh.text(text, sender=user)], sender=user), SECRET)
        start = time.perf_counter()
        async with session.post(url, data=raw, headers=headers) as response:
            await response.read()
        acks.append(time.perf_counter() - start)
        deadline = time.monotonic() + 60
        while replies(graph, user) <= before and time.monotonic() < deadline:
            await asyncio.sleep(0.02)


async def load(base_url: str, graph: FakeGraph, texts: list[str], senders: int) -> dict:
    """`senders` WhatsApp users, each waiting for the bot's answer before the next message."""
    url = f"{base_url}/webhooks/whatsapp/webhook"
    acks: list[float] = []
    stamp = int(time.time())
    async with aiohttp.ClientSession() as session:
        start = time.perf_counter()
        await asyncio.gather(
            *(
                _sender(session, url, graph, f"62899{stamp % 100000:05d}{i:03d}", texts, acks)
                for i in range(senders)
            )
        )
        wall = time.perf_counter() - start
    acks.sort()
    return {
        "ack_p50_ms": statistics.median(acks) * 1000,
        "ack_p95_ms": acks[int(0.95 * (len(acks) - 1))] * 1000,
        "msg_per_s": len(acks) / wall,
    }
