"""Login rate limiting: attempts reserved per account and per client address before bcrypt runs."""

from __future__ import annotations

import itertools
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_KEYS = 10_000


@dataclass
class _Key:
    """What the limiter knows about one account or one address."""

    failures: deque[float] = field(default_factory=deque)
    pending: int = 0
    locks: int = 0  # locks in a row, for the growing delay
    locked_until: float = 0.0
    last_failure: float = 0.0


@dataclass(frozen=True)
class Attempt:
    """A reserved login attempt, or a refusal with the seconds to wait (`retry_after` > 0)."""

    id: int
    keys: tuple[str, ...]
    retry_after: float = 0.0

    @property
    def allowed(self) -> bool:
        """Whether the password may be checked."""
        return self.retry_after <= 0


class LoginLimiter:
    """At most `attempts` tries per account and `address_attempts` per address within `window`
    seconds, counted when a try starts (so parallel guesses cannot pass together). When an account
    or address runs out, it is locked for `lock` seconds, doubled for each further lock in a row
    and capped at `max_lock`; the lock ends by itself, and a good login clears the account.

    Per Rasa server process (thread-safe): with several servers each allows as many tries.
    """

    def __init__(
        self,
        attempts: int = 5,
        window: float = 300.0,
        address_attempts: int = 20,
        lock: float = 30.0,
        max_lock: float = 900.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.attempts, self.address_attempts, self.window = attempts, address_attempts, window
        self.lock, self.max_lock, self.now = lock, max_lock, now
        self._keys: OrderedDict[str, _Key] = OrderedDict()
        self._live: dict[int, tuple[str, ...]] = {}
        self._ids = itertools.count(1)
        self._mutex = threading.Lock()

    def _limit(self, key: str) -> int:
        return self.address_attempts if key.startswith("ip:") else self.attempts

    def _state(self, key: str, now: float) -> _Key:
        state = self._keys.get(key) or _Key()
        while state.failures and state.failures[0] <= now - self.window:
            state.failures.popleft()
        quiet_since = max(state.last_failure, state.locked_until)
        if state.locks and state.locked_until <= now and now - quiet_since > self.max_lock:
            state.locks = 0  # no failure for the longest lock after the last one ended: start over
        return state

    def _wait(self, key: str, state: _Key, now: float) -> float:
        if state.locked_until > now:
            return state.locked_until - now
        if len(state.failures) + state.pending >= self._limit(key):
            return 1.0  # the last tries are still being checked
        return 0.0

    def reserve(self, account: str, address: str) -> Attempt:
        """Count one try for the account and the address now, or refuse it."""
        keys = (f"user:{account}", f"ip:{address}")
        with self._mutex:
            now = self.now()
            states = {key: self._state(key, now) for key in keys}
            wait = max(self._wait(key, state, now) for key, state in states.items())
            if wait > 0:
                return Attempt(0, keys, wait)
            for key, state in states.items():  # only granted tries add keys: a flood adds none
                state.pending += 1
                self._keys[key] = state
                self._keys.move_to_end(key)
            attempt = Attempt(next(self._ids), keys)
            self._live[attempt.id] = keys
            self._evict()
            return attempt

    def _settle(self, attempt: Attempt) -> list[tuple[str, _Key]]:
        keys = self._live.pop(attempt.id, ())
        states = [(key, self._keys[key]) for key in keys if key in self._keys]
        for _, state in states:
            state.pending = max(0, state.pending - 1)
        return states

    def failed(self, attempt: Attempt) -> None:
        """The password was wrong: record the failure, lock a key that ran out of tries."""
        with self._mutex:
            now = self.now()
            for key, state in self._settle(attempt):
                state.failures.append(now)
                state.last_failure = now
                if len(state.failures) >= self._limit(key) and state.locked_until <= now:
                    state.locked_until = now + min(self.lock * 2**state.locks, self.max_lock)
                    state.locks += 1
                    state.failures.clear()

    def succeeded(self, attempt: Attempt) -> None:
        """A good login: forget the account's failures and locks (the address keeps its count)."""
        with self._mutex:
            for key, state in self._settle(attempt):
                if key.startswith("user:") and not state.pending:
                    del self._keys[key]

    def release(self, attempt: Attempt) -> None:
        """The check did not finish (an error, a dropped request): the try is not counted."""
        with self._mutex:
            self._settle(attempt)

    def _evict(self) -> None:
        while len(self._keys) > MAX_KEYS:
            key, state = next(iter(self._keys.items()))
            if state.pending:
                self._keys.move_to_end(key)
                break
            del self._keys[key]
