"""The agent console in headless Chromium, end to end on the real stack.

A user asks for an agent in the web chat, answers the hand-off form and gets a ticket number; an
agent made with `python -m bot.console add-user` logs in to the console, sees the ticket in the
queue, claims it and replies; the reply appears in the user's chat; the agent resolves and the
user is asked for CSAT. The user's problem text carries markup that must stay text in the console.
"""

from __future__ import annotations

import re
import time

import pytest

from harness.stack import ROOT, Stack
from tests.chromium import ARGS, CHROMIUM, SCREENSHOTS, needs_chromium
from tests.stacks import CONSOLE_AGENTS

MODEL = ROOT / "models" / "djpk.tar.gz"
WIDGET = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
BOT = ".rw-response .rw-message-text"
AGENT = "rina"  # an agent of the shared stack
PASSWORD = CONSOLE_AGENTS[AGENT]
PROBLEM = (
    'dau tahap 1 belum cair <img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
)
REPLY = "Selamat siang Pak Budi, DAU tahap 1 Kab. Brebes sedang kami cek ke KPPN."

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`"),
    pytest.mark.skipif(not WIDGET.exists(), reason="no rasa-webchat: run `npm ci --prefix web`"),
]


@pytest.fixture
def stack(open_stack: Stack) -> Stack:
    """The session's shared stack (tests/conftest.py): REST, socket.io, console with
    agent rina, open around the clock."""
    return open_stack


def chat(page, text: str, expect_text: str) -> str:
    """Send one message in the widget and wait for a bot bubble containing `expect_text`."""
    from playwright.sync_api import expect

    page.locator("textarea.rw-new-message").fill(text)
    page.keyboard.press("Enter")
    bubble = page.locator(BOT, has_text=expect_text).last
    expect(bubble).to_be_visible(timeout=45_000)
    return bubble.inner_text()


def test_user_to_agent_and_back_in_chromium(stack: Stack) -> None:
    from playwright.sync_api import expect, sync_playwright

    started = time.perf_counter()
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        user = browser.new_context(viewport={"width": 1000, "height": 820}).new_page()
        user.goto(f"{stack.url}/webchat/")
        user.locator("button.rw-launcher").click(timeout=30_000)
        expect(user.locator(BOT).first).to_contain_text("Selamat datang", timeout=45_000)
        chat(user, "saya mau bicara dengan petugas", "nama")
        chat(user, "Budi Santoso", "instansi")
        chat(user, "BPKAD Kab. Brebes", "permasalahan")
        confirmation = chat(user, PROBLEM, "nomor tiket")
        number = re.search(r"DJPK-\d{8}-\d{4}", confirmation).group(0)

        console = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        console.on("console", lambda m: m.type == "error" and problems.append(m.text))
        console.on("pageerror", lambda error: problems.append(str(error)))
        console.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
        console.goto(f"{stack.url}/webhooks/console/")
        console.locator("#login-username").fill(AGENT)
        console.locator("#login-password").fill("salah-" + PASSWORD)
        console.locator("#login-submit").click()
        expect(console.locator("#login-error")).to_contain_text("salah")
        console.locator("#login-password").fill(PASSWORD)
        console.locator("#login-submit").click()
        expect(console.locator("[data-testid=who]")).to_contain_text(AGENT)

        row = console.locator(f"[data-testid=queue] li[data-number='{number}']")
        expect(row).to_be_visible(timeout=15_000)  # the polled queue shows the new ticket
        row.click()
        expect(console.locator("[data-testid=ticket-title]")).to_contain_text(number)
        transcript = console.locator("[data-testid=transcript]")
        expect(transcript).to_contain_text(PROBLEM)  # markup shown as text
        expect(transcript).to_contain_text("Mohon tuliskan")  # the bot's part is there
        expect(console.locator("#ticket-summary")).to_contain_text("Kab. Brebes")
        assert (
            console.locator("#transcript img, #ticket-summary img, #transcript script").count() == 0
        )
        assert console.evaluate("window.__xss") is None

        console.locator("[data-testid=claim]").click()
        expect(console.locator("[data-testid=action-status]")).to_contain_text("diambil")
        console.locator("[data-testid=reply-text]").fill(REPLY)
        console.locator("[data-testid=reply-send]").click()
        expect(console.locator("[data-testid=action-status]")).to_contain_text("sent via socketio")
        expect(user.locator(BOT, has_text=REPLY)).to_be_visible(timeout=20_000)
        expect(transcript).to_contain_text(REPLY)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        console.screenshot(path=str(SCREENSHOTS / "console.png"), full_page=True)

        console.locator("[data-testid=resolve]").click()
        expect(console.locator("[data-testid=action-status]")).to_contain_text("Selesai")
        question = user.locator(BOT, has_text="kepuasan").last
        expect(question).to_be_visible(timeout=45_000)
        expect(user.locator(".rw-reply", has_text="5").last).to_be_visible(timeout=10_000)
        user.locator(".rw-reply", has_text="5").last.click()
        expect(user.locator(BOT, has_text="substansi").last).to_be_visible(timeout=45_000)

        expect(console.locator("#ticket-summary")).to_contain_text("layanan 5", timeout=10_000)
        user.screenshot(path=str(SCREENSHOTS / "console-user.png"))
        browser.close()
    # 401s are expected: the page asks who is logged in first, and one login is wrong on purpose.
    unexpected = [p for p in problems if "status of 401" not in p]
    assert not unexpected, problems
    print(f"console browser flow {time.perf_counter() - started:.1f} s")
