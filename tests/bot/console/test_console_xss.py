"""User text never becomes markup: escaped JSON, a static page with a strict CSP, textContent."""

from __future__ import annotations

import re

from bot.console.channel import STATIC_DIR
from tests.bot.console.conftest import XSS

MARKUP_SINKS = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function"
    r"|setAttribute\(\s*['\"]on"
)


async def test_api_escapes_markup_in_user_text(console, login) -> None:
    client = await login("agen1")
    for path in ("/api/tickets", f"/api/tickets/{console.web.id}"):
        status, data, response = await client.request("GET", path)
        assert status == 200
        assert response.headers["Content-Type"].startswith("application/json")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        raw = response.raw_text
        assert "<script" not in raw and "<img" not in raw
        assert "\\u003cscript\\u003e" in raw
        summary = data["summary"] if "summary" in data else data["tickets"][-1]["summary"]
        assert summary.endswith(XSS)  # the text itself comes back intact


async def test_reply_and_note_with_markup_come_back_escaped(console, login) -> None:
    client = await login("agen1")
    base = f"/api/tickets/{console.web.id}"
    await client.post(f"{base}/claim")
    await client.post(f"{base}/note", {"text": XSS})
    await client.post(f"{base}/reply", {"text": XSS})
    status, data, response = await client.request("GET", base)
    assert "<script" not in response.raw_text
    assert data["messages"][-1]["text"] == XSS
    assert data["events"][-1]["detail"] == XSS


async def test_page_is_static_with_a_strict_policy(console) -> None:
    client = console.client()
    status, body, response = await client.request("GET", "/")
    assert status == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert '<script src="static/console.js"></script>' in response.raw_text
    assert "onerror" not in response.raw_text
    status, _, redirect = await client.request("GET", "")
    assert status in (301, 302, 307, 308) or status == 200
    assert (await client.request("GET", "/static/../channel.py"))[0] == 404
    assert (await client.request("GET", "/static/index.html"))[0] == 404
    await client.close()


def test_page_script_writes_text_only() -> None:
    script = (STATIC_DIR / "console.js").read_text()
    assert not MARKUP_SINKS.search(script), MARKUP_SINKS.search(script)
    assert "textContent" in script and "createTextNode" in script
    page = (STATIC_DIR / "index.html").read_text()
    assert "<script>" not in page  # no inline script: the CSP would refuse it anyway
    assert not re.search(r"\son[a-z]+\s*=", page)  # no inline event handlers
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing from a CDN
