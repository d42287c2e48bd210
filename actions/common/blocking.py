"""Blocking work off the action server's event loop.

rasa_sdk runs every action's `async def run` on one asyncio loop: a SQL query, a ticket service
call or an FAQ search (the encoder is CPU work) made directly inside it stalls every other
conversation until it returns. Actions hand such calls to `blocking`, which runs them in the
loop's worker threads; `dispatcher.utter_message` stays on the loop (the dispatcher is not
thread-safe).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


async def blocking(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` in a worker thread, awaited without blocking the loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)
