"""A reservation worked from the console in headless Chromium, end to end on the real stack.

A user asks for a video conference in the web chat and gets a ticket; an agent claims it in the
console, tries to confirm it as a visit (refused: no request letter, and the user hears nothing),
records that the letter came by e-mail (the panel shows who and when), confirms it as a video
conference with a meeting link, then reschedules it with a reason; the
user's chat receives both decisions, with the date in Indonesian.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.dates import format_date
from bot.hours import ServiceHours
from harness.stack import ROOT, Stack
from tests.chromium import ARGS, CHROMIUM, SCREENSHOTS, needs_chromium
from tests.stacks import CONSOLE_AGENTS

MODEL = ROOT / "models" / "djpk.tar.gz"
WIDGET = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
BOT = ".rw-response .rw-message-text"
AGENT = "sari"  # an agent of the shared stack
PASSWORD = CONSOLE_AGENTS[AGENT]
LINK = "https://teams.microsoft.com/l/meetup-join/djpk-uji-1"

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`"),
    pytest.mark.skipif(not WIDGET.exists(), reason="no rasa-webchat: run `npm ci --prefix web`"),
]


@pytest.fixture
def kb(open_kb: Path) -> Path:
    return open_kb


@pytest.fixture
def stack(open_stack: Stack) -> Stack:
    """The session's shared stack (tests/conftest.py): socket.io, console with agent
    sari, open around the clock."""
    return open_stack


def working_days(kb: Path, count: int) -> list[date]:
    """The next `count` weekdays from ten days ahead that are not holidays."""
    hours, day, found = ServiceHours.load(kb), date.today() + timedelta(days=10), []
    while len(found) < count:
        if hours.is_working_day(day) and day.weekday() < 5:
            found.append(day)
        day += timedelta(days=1)
    return found


def chat(page, text: str, expect_text: str) -> str:
    """Send one message in the widget and wait for a bot bubble containing `expect_text`."""
    from playwright.sync_api import expect

    page.locator("textarea.rw-new-message").fill(text)
    page.keyboard.press("Enter")
    bubble = page.locator(BOT, has_text=expect_text).last
    expect(bubble).to_be_visible(timeout=45_000)
    return bubble.inner_text()


def test_confirm_then_reschedule_from_the_console(stack: Stack, kb: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    asked, agreed, moved = working_days(kb, 3)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        user = browser.new_context(viewport={"width": 1000, "height": 820}).new_page()
        user.goto(f"{stack.url}/webchat/")
        user.locator("button.rw-launcher").click(timeout=30_000)
        expect(user.locator(BOT).first).to_contain_text("Selamat datang", timeout=45_000)
        chat(user, "mau mengajukan video conference dengan djpk", "instansi")
        chat(user, "BPKAD Kab. Wajo", "jenis konsultasi")
        chat(user, "video conference", "Topik")
        chat(user, "penyaluran DAU", "Tanggal")
        chat(user, asked.isoformat(), "Berapa orang")
        chat(user, "3", "jabatan")
        confirmation = chat(user, "Kepala BPKAD dan dua staf", "nomor tiket")
        number = re.search(r"DJPK-\d{8}-\d{4}", confirmation).group(0)
        bubbles = user.locator(BOT).count()

        console = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        console.on("console", lambda m: m.type == "error" and problems.append(m.text))
        console.on("pageerror", lambda error: problems.append(str(error)))
        console.goto(f"{stack.url}/webhooks/console/")
        console.locator("#login-username").fill(AGENT)
        console.locator("#login-password").fill(PASSWORD)
        console.locator("#login-submit").click()
        row = console.locator(f"[data-testid=queue] li[data-number='{number}']")
        expect(row).to_be_visible(timeout=15_000)
        row.click()
        box = console.locator("[data-testid=reservation]")
        expect(box).to_be_visible()
        expect(console.locator("[data-testid=resv-date]")).to_have_value(asked.isoformat())
        status = console.locator("[data-testid=action-status]")
        console.locator("[data-testid=claim]").click()
        expect(status).to_contain_text("diambil")

        # A visit without the request letter: refused with the reason, nothing sent.
        console.locator("[data-testid=resv-date]").fill(agreed.isoformat())
        console.locator("[data-testid=resv-time]").fill("10.00")
        console.locator("[data-testid=resv-mode]").select_option("tatap_muka")
        console.locator("[data-testid=resv-room]").fill("Ruang Rapat Lt. 9")
        console.locator("[data-testid=resv-confirm]").click()
        expect(status).to_contain_text("surat permohonan")
        expect(console.locator("[data-testid=reservation-state]")).to_contain_text("Belum")
        user.wait_for_timeout(1000)
        assert user.locator(BOT).count() == bubbles, "a refused confirmation sends nothing"

        # The letter came by e-mail: recorded with who and when, still nothing sent to the user.
        console.locator("[data-testid=letter-via]").select_option("email")
        console.locator("[data-testid=letter-note]").fill("ke callcenter.djpk")
        console.locator("[data-testid=letter-record]").click()
        expect(status).to_contain_text("Surat permohonan dicatat diterima lewat e-mail")
        expect(console.locator("[data-testid=reservation-state]")).to_contain_text(
            f"surat diterima lewat e-mail, dicatat oleh {AGENT}"
        )
        expect(console.locator("[data-testid=reservation-state]")).to_contain_text("WIB")
        user.wait_for_timeout(1000)
        assert user.locator(BOT).count() == bubbles, "recording the letter sends nothing"

        console.locator("[data-testid=resv-mode]").select_option("video_conference")
        console.locator("[data-testid=resv-link]").fill(LINK)
        console.locator("[data-testid=resv-confirm]").click()
        expect(status).to_contain_text("Reservasi dikonfirmasi; sent via socketio")
        first = f"{format_date(agreed)} pukul 10.00 WIB"
        bubble = user.locator(BOT, has_text="telah kami konfirmasi").last
        expect(bubble).to_be_visible(timeout=20_000)
        expect(bubble).to_contain_text(first)
        expect(bubble).to_contain_text("teams.microsoft.com")
        assert user.locator(BOT).count() == bubbles + 1

        console.locator("[data-testid=resv-date]").fill(moved.isoformat())
        console.locator("[data-testid=resv-time]").fill("13.30")
        console.locator("[data-testid=resv-reason]").fill("narasumber sedang dinas luar")
        console.locator("[data-testid=resv-reschedule]").click()
        expect(status).to_contain_text("dijadwalkan ulang; sent via socketio")
        second = user.locator(BOT, has_text="jadwalkan ulang").last
        expect(second).to_be_visible(timeout=20_000)
        expect(second).to_contain_text(f"{format_date(moved)} pukul 13.30 WIB")
        expect(second).to_contain_text("narasumber sedang dinas luar")
        state = console.locator("[data-testid=reservation-state]")
        expect(state).to_contain_text(f"Dijadwalkan ulang: {moved.isoformat()} 13:30 WIB")
        transcript = console.locator("[data-testid=transcript]")
        expect(transcript).to_contain_text("telah kami konfirmasi")
        expect(transcript).to_contain_text("jadwalkan ulang")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        console.screenshot(path=str(SCREENSHOTS / "console-reservation.png"), full_page=True)
        browser.close()
    # 401: the page asks for its session before the login; 422: the refused confirmation.
    unexpected = [p for p in problems if "status of 401" not in p and "status of 422" not in p]
    assert not unexpected, problems
