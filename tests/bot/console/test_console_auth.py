"""Console authentication: passwords, cookies, CSRF, origin, rate limit, logout."""

from __future__ import annotations

import pytest

from tests.bot.console.conftest import PASSWORD

PROTECTED_GETS = ["/api/me", "/api/tickets", "/api/meta", "/api/canned?q=dau", "/api/tickets/1"]


async def test_wrong_password_is_refused(console) -> None:
    client = console.client()
    status, data = await client.login("agen1", "bukan-kata-sandinya")
    assert (status, data["error"]) == (401, "wrong username or password")
    status, _ = await client.login("tidak-ada", PASSWORD)
    assert status == 401
    status, _ = await client.get("/api/tickets")
    assert status == 401
    await client.close()


async def test_right_password_opens_a_session(console) -> None:
    client = console.client()
    status, data = await client.login("AGEN1", PASSWORD)
    assert status == 200
    assert data["user"] == {"username": "agen1", "role": "agent", "unit": None}
    assert len(data["csrf_token"]) >= 32
    status, me = await client.get("/api/me")
    assert (status, me["csrf_token"]) == (200, data["csrf_token"])
    await client.close()


@pytest.mark.parametrize("path", PROTECTED_GETS)
async def test_no_cookie_gets_401(console, path: str) -> None:
    client = console.client()
    status, data = await client.get(path)
    assert (status, data["error"]) == (401, "login required")
    await client.close()


async def test_post_without_cookie_gets_401_and_changes_nothing(console) -> None:
    client = console.client()
    status, _ = await client.post(f"/api/tickets/{console.web.id}/claim")
    assert status == 401
    assert console.services.tickets.get(console.web.id).assigned_agent is None
    await client.close()


async def test_forged_or_tampered_cookie_gets_401(console, login) -> None:
    client = await login("agen1")
    cookie = next(c for c in client.http.cookie_jar if c.key == "djpk_console")
    token, _, signature = cookie.value.partition(".")
    for forged in (token, f"{token}.{'0' * len(signature)}", f"x{token}.{signature}", "a.b"):
        intruder = console.client()
        intruder.http.cookie_jar.update_cookies({"djpk_console": forged})
        status, _ = await intruder.get("/api/tickets")
        assert status == 401, forged
        await intruder.close()


@pytest.mark.parametrize("token", [None, "", "wrong-token", "x" * 43])
async def test_post_without_the_right_csrf_token_gets_403(console, login, token) -> None:
    client = await login("agen1")
    headers = {} if token is None else {"X-CSRF-Token": token}
    status, data, _ = await client.request(
        "POST", f"/api/tickets/{console.web.id}/claim", json={}, headers=headers, csrf=False
    )
    assert (status, data["error"]) == (403, "missing or wrong CSRF token")
    assert console.services.tickets.get(console.web.id).assigned_agent is None


async def test_csrf_token_of_another_session_gets_403(console, login) -> None:
    first, second = await login("agen1"), await login("agen2")
    status, _, _ = await first.request(
        "POST",
        f"/api/tickets/{console.web.id}/claim",
        json={},
        headers={"X-CSRF-Token": second.csrf},
        csrf=False,
    )
    assert status == 403


async def test_cross_origin_post_gets_403_even_with_the_token(console, login) -> None:
    client = await login("agen1")
    status, data, _ = await client.request(
        "POST",
        f"/api/tickets/{console.web.id}/claim",
        json={},
        headers={"Origin": "http://evil.example"},
    )
    assert (status, data["error"]) == (403, "cross-origin request refused")
    status, _, _ = await client.request(
        "POST",
        "/login",
        json={"username": "agen1", "password": PASSWORD},
        headers={"Origin": "http://evil.example"},
    )
    assert status == 403


async def test_session_cookie_flags(console) -> None:
    client = console.client()
    status, _, response = await client.request(
        "POST", "/login", json={"username": "agen1", "password": PASSWORD}
    )
    assert status == 200
    header = response.headers["Set-Cookie"]
    parts = [part.strip().lower() for part in header.split(";")]
    assert parts[0].startswith("djpk_console=")
    assert "httponly" in parts
    assert "samesite=strict" in parts
    assert "path=/webhooks/console" in parts
    assert "secure" not in parts  # plain http in the test; https gets Secure (below)
    _, _, behind_tls = await client.request(
        "POST",
        "/login",
        json={"username": "agen1", "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert "secure" in [p.strip().lower() for p in behind_tls.headers["Set-Cookie"].split(";")]
    await client.close()


async def test_logout_ends_the_session(console, login) -> None:
    client = await login("agen1")
    cookie = next(c for c in client.http.cookie_jar if c.key == "djpk_console").value
    status, _ = await client.post("/logout")
    assert status == 200
    replay = console.client()
    replay.http.cookie_jar.update_cookies({"djpk_console": cookie})
    status, _ = await replay.get("/api/tickets")
    assert status == 401
    await replay.close()


async def test_repeated_failures_are_rate_limited(console) -> None:
    client = console.client()
    for _ in range(5):
        status, _ = await client.login("agen2", "salah-salah-salah")
        assert status == 401
    status, data, response = await client.request(
        "POST", "/login", json={"username": "agen2", "password": PASSWORD}
    )
    assert status == 429  # even the right password waits
    assert int(response.headers["Retry-After"]) > 0
    await client.close()


async def test_passwords_are_stored_as_bcrypt_hashes(console) -> None:
    from sqlalchemy import select

    from bot.console.tables import ConsoleUserRow
    from bot.db import engine_for

    with engine_for(console.services.settings.db_url).connect() as connection:
        hashes = connection.execute(select(ConsoleUserRow.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$2b$") and PASSWORD not in h for h in hashes)
