"""Shared helpers of the channel tests: secrets, a channel factory, a Meta-like POST."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from bot.channels.graph_api import RetryPolicy
from bot.channels.whatsapp import WhatsAppInput
from harness.fakes.fake_graph import FakeGraph
from harness.fakes.webhooks import PHONE_NUMBER_ID, encode

SECRET = "test-app-secret"
VERIFY = "test-verify-token"
TOKEN = "test-token"
FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)


def make_channel(graph: FakeGraph, db_url: str, tmp_path: Path, **kwargs: Any) -> WhatsAppInput:
    """A channel wired to the fake server, the given database and a temporary upload folder."""
    return WhatsAppInput(
        verify_token=VERIFY,
        app_secret=SECRET,
        access_token=TOKEN,
        phone_number_id=PHONE_NUMBER_ID,
        graph_url=graph.url,
        db_url=db_url,
        upload_dir=tmp_path / "uploads",
        retry=FAST,
        **kwargs,
    )


async def post(
    url: str, body: dict[str, Any], secret: str | None = SECRET, signature: str | None = None
) -> int:
    """POST a delivery as Meta would (signed with `secret`, or with the given header)."""
    raw, headers = encode(body, secret or "unused")
    if secret is None:
        headers.pop("X-Hub-Signature-256")
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=raw, headers=headers) as response,
    ):
        return response.status
