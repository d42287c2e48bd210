"""Login rate limiting: a sliding window of failed attempts per client address and per username."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_KEYS = 10_000


class LoginLimiter:
    """At most `attempts` failures per key within `window` seconds (per Rasa server process).

    Keyed both by address and by username, so neither one client guessing many names nor many
    clients guessing one name gets more than a few tries. Sessions and users are in the database;
    this counter is deliberately per process, which bounds guessing to `attempts` per server.
    """

    def __init__(
        self, attempts: int = 5, window: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.attempts, self.window, self.clock = attempts, window, clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def retry_after(self, *keys: str) -> float:
        """Seconds until a login may be tried for these keys; 0 when allowed now."""
        now, wait = self.clock(), 0.0
        for key in keys:
            times = self._recent(key, now)
            if len(times) >= self.attempts:
                wait = max(wait, times[0] + self.window - now)
        return wait

    def failed(self, *keys: str) -> None:
        """Count one failed attempt for each key."""
        now = self.clock()
        for key in keys:
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times
            self._failures.move_to_end(key)
        while len(self._failures) > MAX_KEYS:
            self._failures.popitem(last=False)

    def succeeded(self, *keys: str) -> None:
        """Forget the failures of these keys after a good login."""
        for key in keys:
            self._failures.pop(key, None)
