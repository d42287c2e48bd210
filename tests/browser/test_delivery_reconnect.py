"""A live-chat user who closed the tab sees the agent's reply on coming back (headless Chromium,
the real stack): the console labels the reply "menunggu" while the user is away, then "terkirim"."""

from __future__ import annotations

import re

import pytest

from harness.stack import Stack
from tests.browser.test_console import AGENT, MODEL, PASSWORD, WIDGET, chat
from tests.chromium import ARGS, CHROMIUM, SCREENSHOTS, needs_chromium

BOT = ".rw-response .rw-message-text"
REPLY = "Mohon maaf menunggu, Bapak. Data DAU tahap 1 Kab. Brebes sudah kami cek."

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`"),
    pytest.mark.skipif(not WIDGET.exists(), reason="no rasa-webchat: run `npm ci --prefix web`"),
]


@pytest.fixture
def stack(open_stack: Stack) -> Stack:
    """The session's shared stack (tests/conftest.py): socket.io, console with agent
    rina, open around the clock."""
    return open_stack


def test_a_user_who_returns_sees_the_reply_sent_while_away(stack: Stack) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        user_context = browser.new_context(viewport={"width": 1000, "height": 820})
        user = user_context.new_page()
        user.goto(f"{stack.url}/webchat/")
        user.locator("button.rw-launcher").click(timeout=30_000)
        expect(user.locator(BOT).first).to_contain_text("Selamat datang", timeout=45_000)
        chat(user, "saya mau bicara dengan petugas", "nama")
        chat(user, "Budi Santoso", "instansi")
        chat(user, "BPKAD Kab. Brebes", "permasalahan")
        number = re.search(
            r"DJPK-\d{8}-\d{4}", chat(user, "dau tahap 1 belum cair", "nomor tiket")
        ).group(0)
        user.close()  # the tab is closed; the session stays in the browser's localStorage

        console = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        console.goto(f"{stack.url}/webhooks/console/")
        console.locator("#login-username").fill(AGENT)
        console.locator("#login-password").fill(PASSWORD)
        console.locator("#login-submit").click()
        console.locator(f"[data-testid=queue] li[data-number='{number}']").click(timeout=15_000)
        console.locator("[data-testid=claim]").click()
        expect(console.locator("[data-testid=action-status]")).to_contain_text("diambil")
        # a closed tab's socket ends at once over websocket, after engine.io's ping timeout
        # (25 s + 20 s) over long polling: the console says so once the server knows
        reach = console.locator("[data-testid=reach]")
        expect(reach).to_contain_text("tidak terhubung", timeout=75_000)
        console.locator("[data-testid=reply-text]").fill(REPLY)
        console.locator("[data-testid=reply-send]").click()
        label = console.locator("[data-testid=transcript] li.agent [data-testid=delivery]").last
        expect(label).to_have_attribute("data-state", "queued", timeout=10_000)
        expect(label).to_contain_text("menunggu")

        back = user_context.new_page()
        back.goto(f"{stack.url}/webchat/")
        launcher = back.locator("button.rw-launcher")
        launcher.wait_for(timeout=30_000)
        # the widget restores its open state from localStorage a moment after it renders: a
        # click before that closes it again, so click only once it has had the time to open
        textarea = back.locator("textarea.rw-new-message")
        for _ in range(3):
            try:
                textarea.wait_for(state="visible", timeout=5_000)
                break
            except PlaywrightTimeoutError:
                launcher.click()
        expect(back.locator(BOT, has_text=REPLY)).to_be_visible(timeout=30_000)
        expect(label).to_have_attribute("data-state", "sent", timeout=15_000)
        expect(label).to_contain_text("terkirim")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        console.screenshot(path=str(SCREENSHOTS / "console-delivery.png"), full_page=True)
        back.screenshot(path=str(SCREENSHOTS / "webchat-reconnected.png"))
        browser.close()
