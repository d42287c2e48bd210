"""The live chat in headless Chromium: greeting, FAQ answer on screen, button, reload, upload."""

from __future__ import annotations

import json
import re
import time

import pytest

from harness.stack import ROOT, Stack
from tests.chromium import ARGS, CHROMIUM, SCREENSHOTS, needs_chromium

MODEL = ROOT / "models" / "djpk.tar.gz"
WIDGET = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
BOT = ".rw-response .rw-message-text"
WHATSAPP = "0811-150420-7"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`"),
    pytest.mark.skipif(not WIDGET.exists(), reason="no rasa-webchat: run `npm ci --prefix web`"),
]


@pytest.fixture
def stack(open_stack: Stack) -> Stack:
    """The session's shared stack (tests/conftest.py): socket.io and the live-chat page."""
    return open_stack


def last_session_id(page) -> str:
    """The session id rasa-webchat keeps in localStorage."""
    saved = page.evaluate("window.localStorage.getItem('chat_session')")
    return json.loads(saved or "{}").get("session_id", "")


def test_ask_click_reload_in_chromium(stack: Stack) -> None:
    from playwright.sync_api import expect, sync_playwright

    started = time.perf_counter()
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 860})
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{stack.url}/")  # a browser at / gets the page, not "Hello from Rasa"
        expect(page).to_have_title("Live Chat DJPK")
        expect(page.locator("footer")).to_contain_text(WHATSAPP)

        page.locator("button.rw-launcher").click(timeout=30_000)
        expect(page.locator(BOT).first).to_contain_text("Selamat datang", timeout=30_000)
        session_id = last_session_id(page)
        assert re.fullmatch(r"[\w-]{32}\.[\w-]{24}", session_id)

        page.locator("textarea.rw-new-message").fill("nomor wa djpk berapa")
        page.keyboard.press("Enter")
        answer = page.locator(BOT, has_text=WHATSAPP)
        expect(answer.first).to_be_visible(timeout=30_000)

        replies = page.locator(".rw-reply")
        expect(replies.first).to_be_visible(timeout=10_000)
        before = page.locator(BOT).count()
        title = replies.first.inner_text().strip()
        replies.first.click()
        expect(page.locator(".rw-client .rw-message-text", has_text=title).last).to_be_visible()
        expect(page.locator(BOT)).not_to_have_count(before, timeout=30_000)
        assert page.locator("a[href^='javascript' i]").count() == 0

        page.reload()
        launcher = page.locator("button.rw-launcher")
        launcher.wait_for(timeout=30_000)
        if page.locator(".rw-conversation-container").count() == 0:
            launcher.click()
        expect(page.locator(BOT, has_text=WHATSAPP).first).to_be_visible(timeout=30_000)
        assert last_session_id(page) == session_id  # the server resumed the same session

        before = page.locator(BOT).count()
        page.locator("#letter-file").set_input_files(
            files=[{"name": "surat.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.locator("#upload-button").click()
        expect(page.locator("#upload-status")).to_contain_text("diterima", timeout=10_000)
        expect(page.locator(BOT)).not_to_have_count(before, timeout=60_000)

        page.wait_for_timeout(1000)  # let the widget's open animation finish
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "webchat.png"))
        browser.close()
    # The bundle asks Google Fonts for "Inter"; the page's CSP blocks it on purpose (no CDN).
    blocked = [p for p in problems if "Content Security Policy" in p and "fonts.g" not in p]
    assert not blocked, problems
    print(f"browser flow {time.perf_counter() - started:.1f} s")
