"""A live-chat user whose host is killed (headless Chromium through nginx, two hosts): the widget
reconnects to the other host, resumes its session, gets the bot's next answer and then the
agent's reply, sent from the console on whichever host nginx picks (python-socketio's Redis
manager carries it to the socket)."""

from __future__ import annotations

import os
import re
import subprocess
import time

import pytest

from harness.scaled import ScaledStack
from harness.stack import ROOT
from tests.chromium import ARGS, CHROMIUM, SCREENSHOTS, needs_chromium
from tests.stacks import needs_model

BOT = ".rw-response .rw-message-text"
AGENT, PASSWORD = "rina", "kata-sandi-agen-rina-123"
REPLY = "Selamat siang, Bapak. Data Dana Desa tahap 2 sedang kami cek ke KPPN."
WIDGET = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"

pytestmark = [
    needs_model,
    needs_chromium,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(not WIDGET.exists(), reason="no rasa-webchat: run `npm ci --prefix web`"),
]


@pytest.fixture(scope="module")
def stack():
    with ScaledStack(hosts=2) as running:
        added = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "-m", "bot.console", "add-user", AGENT]
            + ["--role", "agent"],
            input=PASSWORD + "\n",
            env={**os.environ, "DJPK_DB_URL": running.app_url},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert added.returncode == 0, added.stderr
        yield running


def socket_host(stack: ScaledStack) -> int:
    """The host (1-based) that answered this client's latest socket.io request (the last
    address nginx tried is the one that answered)."""
    lines = [
        line
        for line in (stack.logs / "nginx-access.log").read_text().splitlines()
        if "/socket.io/" in line
    ]
    assert lines, "no socket.io request through nginx"
    return int(re.findall(r"10\.77\.0\.1(\d):", lines[-1])[-1])


def chat(page, text: str, expect_text: str = "", timeout: float = 60_000) -> str:
    """Send a message; wait for a new bot bubble (containing `expect_text`, if given)."""
    from playwright.sync_api import expect

    bubbles = page.locator(BOT)
    before = bubbles.count()
    page.locator("textarea.rw-new-message").fill(text)
    page.keyboard.press("Enter")
    deadline = time.monotonic() + timeout / 1000
    while bubbles.count() <= before:
        assert time.monotonic() < deadline, f"no answer to {text!r}"
        time.sleep(0.2)
    if expect_text:
        expect(page.locator(BOT, has_text=expect_text).last).to_be_visible(timeout=timeout)
    return bubbles.last.inner_text()


def test_a_live_chat_user_whose_host_dies_carries_on_from_the_other(stack: ScaledStack) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        user = browser.new_context(viewport={"width": 1000, "height": 820}).new_page()
        user.goto(f"{stack.url}/webchat/")
        user.locator("button.rw-launcher").click(timeout=30_000)
        expect(user.locator(BOT).first).to_contain_text("Selamat datang", timeout=60_000)
        chat(user, "min nomor wa djpk brp ya", "0811")
        first = socket_host(stack)

        stack.kill_host(first)
        time.sleep(3)  # the socket drops; the widget reconnects through nginx to the other host
        answer = chat(user, "jam layanan contact center sampai jam berapa", timeout=90_000)
        assert "gangguan" not in answer and "layanan" in answer.lower(), answer
        assert socket_host(stack) != first

        chat(user, "saya mau bicara dengan petugas", "nama")
        chat(user, "Budi Santoso", "instansi")
        chat(user, "BPKAD Kab. Lembata", "permasalahan")
        handed = chat(user, "dana desa tahap 2 belum masuk rekening desa", "nomor tiket")
        number = re.search(r"DJPK-\d{8}-\d{4}", handed).group(0)

        console = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        console.goto(f"{stack.url}/webhooks/console/")
        console.locator("#login-username").fill(AGENT)
        console.locator("#login-password").fill(PASSWORD)
        console.locator("#login-submit").click()
        console.locator(f"[data-testid=queue] li[data-number='{number}']").click(timeout=30_000)
        console.locator("[data-testid=claim]").click()
        expect(console.locator("[data-testid=action-status]")).to_contain_text("diambil")
        console.locator("[data-testid=reply-text]").fill(REPLY)
        console.locator("[data-testid=reply-send]").click()
        expect(user.locator(BOT, has_text=REPLY)).to_be_visible(timeout=30_000)
        label = console.locator("[data-testid=transcript] li.agent [data-testid=delivery]").last
        expect(label).to_have_attribute("data-state", "sent", timeout=15_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        user.screenshot(path=str(SCREENSHOTS / "webchat-after-failover.png"))
        browser.close()
