"""Login limiting: tries reserved before bcrypt, per account and per address; locks that end by
themselves after a growing delay; everything on an injected clock."""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import aiohttp
import bcrypt
import pytest

from bot.console.auth import Guard
from bot.console.limits import LoginLimiter
from tests.bot.console.conftest import PASSWORD

WRONG = "salah-salah-salah"


class Clock:
    """Monotonic seconds the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def bcrypt_calls(monkeypatch) -> list[int]:
    """Counts every real bcrypt check (thread-safe)."""
    calls: list[int] = []
    lock, real = threading.Lock(), bcrypt.checkpw

    def counting(password: bytes, hashed: bytes) -> bool:
        with lock:
            calls.append(1)
        return real(password, hashed)

    monkeypatch.setattr(bcrypt, "checkpw", counting)
    return calls


async def parallel_logins(url: str, logins: list[tuple[str, str]]) -> list[int]:
    """POST every login at once over 100 keep-alive connections (the test server's accept
    backlog is 100); the statuses in order."""
    connector = aiohttp.TCPConnector(limit=100)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def one(username: str, password: str) -> int:
            body = {"username": username, "password": password}
            async with http.post(url + "/login", json=body) as response:
                await response.read()
                return response.status

        return list(await asyncio.gather(*(one(u, p) for u, p in logins)))


async def test_300_parallel_guesses_at_one_account_get_only_the_limit(console, bcrypt_calls):
    console.services.limiter = LoginLimiter(attempts=5, address_attempts=1000, now=Clock())
    statuses = await parallel_logins(console.url, [("agen1", WRONG)] * 300)
    assert statuses.count(401) == 5
    assert statuses.count(429) == 295
    assert len(bcrypt_calls) == 5


async def test_300_parallel_guesses_from_one_address_get_only_its_limit(console, bcrypt_calls):
    console.services.limiter = LoginLimiter(attempts=5, address_attempts=20, now=Clock())
    names = [(f"tamu{n}", WRONG) for n in range(300)]  # one guess per name, all from 127.0.0.1
    statuses = await parallel_logins(console.url, names)
    assert statuses.count(401) == 20
    assert statuses.count(429) == 280
    assert len(bcrypt_calls) == 20


def login_request(username: str, password: str, address: str = "10.0.0.1") -> SimpleNamespace:
    """What Guard.login reads of a Sanic request."""
    body = json.dumps({"username": username, "password": password}).encode()
    return SimpleNamespace(
        headers={}, body=body, remote_addr="", ip=address, host="localhost", scheme="http"
    )


async def test_300_concurrent_calls_of_the_login_handler_run_bcrypt_only_5_times(
    services, bcrypt_calls
) -> None:
    services.limiter = LoginLimiter(attempts=5, address_attempts=1000, now=Clock())
    guard = Guard(services, "/webhooks/console")
    requests = [login_request("agen1", WRONG, f"10.0.{n // 250}.{n % 250}") for n in range(300)]
    responses = await asyncio.gather(*(guard.login(request) for request in requests))
    statuses = [response.status for response in responses]
    assert (statuses.count(401), statuses.count(429)) == (5, 295)
    assert len(bcrypt_calls) == 5


def test_reservations_from_300_threads_are_atomic() -> None:
    limiter = LoginLimiter(attempts=5, address_attempts=1000, now=Clock())
    barrier = threading.Barrier(300)

    def reserve(n: int) -> bool:
        barrier.wait()
        return limiter.reserve("agen1", f"10.0.0.{n % 250}").allowed

    with ThreadPoolExecutor(max_workers=300) as pool:
        allowed = list(pool.map(reserve, range(300)))
    assert allowed.count(True) == 5


def test_the_lock_ends_by_itself_and_grows_up_to_the_cap() -> None:
    clock = Clock()
    limiter = LoginLimiter(attempts=3, window=60, lock=30, max_lock=900, now=clock)
    delays = []
    for _ in range(7):
        for _ in range(3):
            attempt = limiter.reserve("agen1", "10.0.0.1")
            assert attempt.allowed
            limiter.failed(attempt)
        refused = limiter.reserve("agen1", "10.0.0.2")  # another address: the account is locked
        assert not refused.allowed
        delays.append(refused.retry_after)
        clock.now += refused.retry_after - 1
        assert not limiter.reserve("agen1", "10.0.0.2").allowed
        clock.now += 1
    assert delays == [30, 60, 120, 240, 480, 900, 900]
    assert limiter.reserve("agen1", "10.0.0.1").allowed


def test_a_quiet_period_starts_the_delay_over_and_a_good_login_clears_it() -> None:
    clock = Clock()
    limiter = LoginLimiter(attempts=2, lock=30, max_lock=900, now=clock)

    def lock_out() -> float:
        for _ in range(2):
            limiter.failed(limiter.reserve("rina", "10.0.0.1"))
        return limiter.reserve("rina", "10.0.0.1").retry_after

    assert lock_out() == 30
    clock.now += 30
    assert lock_out() == 60
    clock.now += 60 + 901  # no failure for longer than the longest lock
    assert lock_out() == 30
    clock.now += 30
    limiter.succeeded(limiter.reserve("rina", "10.0.0.1"))
    assert lock_out() == 30  # a good login forgot the earlier locks


def test_accounts_and_addresses_are_limited_apart() -> None:
    limiter = LoginLimiter(attempts=3, address_attempts=4, window=60, now=Clock())
    for _ in range(3):
        limiter.failed(limiter.reserve("rina", "10.0.0.1"))
    assert not limiter.reserve("rina", "10.0.0.9").allowed  # the account, from anywhere
    budi = limiter.reserve("budi", "10.0.0.1")
    assert budi.allowed  # the address has one try left
    limiter.failed(budi)
    assert not limiter.reserve("sari", "10.0.0.1").allowed  # the address is used up
    assert limiter.reserve("sari", "10.0.0.2").allowed


def test_an_unfinished_check_is_released_and_not_counted() -> None:
    limiter = LoginLimiter(attempts=1, now=Clock())
    attempt = limiter.reserve("rina", "10.0.0.1")
    assert not limiter.reserve("rina", "10.0.0.1").allowed  # in flight
    limiter.release(attempt)
    assert limiter.reserve("rina", "10.0.0.1").allowed


async def test_the_right_password_works_once_the_lock_has_ended(console, bcrypt_calls) -> None:
    clock = Clock()
    console.services.limiter = LoginLimiter(attempts=5, lock=30, now=clock)
    client = console.client()
    for _ in range(5):
        status, _ = await client.login("agen2", WRONG)
        assert status == 401
    status, _ = await client.login("agen2", PASSWORD)
    assert status == 429  # locked: even the right password is not checked
    assert len(bcrypt_calls) == 5
    clock.now += 30
    status, data = await client.login("agen2", PASSWORD)
    assert status == 200 and data["user"]["username"] == "agen2"
    status, _ = await client.get("/api/me")
    assert status == 200
    await client.close()


def test_refused_tries_add_no_keys() -> None:
    limiter = LoginLimiter(attempts=5, address_attempts=2, now=Clock())
    for name in ("rina", "budi"):
        limiter.failed(limiter.reserve(name, "10.0.0.1"))
    known = len(limiter._keys)
    assert not any(limiter.reserve(f"tamu{n}", "10.0.0.1").allowed for n in range(1000))
    assert len(limiter._keys) == known
