"""The console's clock, new-ticket notifications and agent assist in headless Chromium, on the
real stack (trained bot, action server, console).

An agent logs in and turns notifications on; a pemda from Makassar (WITA) asks for an agent over
REST and the agent's browser constructs a Notification for the new ticket. The ticket's times read
in WIB with the user's WITA beside them; after claiming, the agent inserts the first suggested
answer, edits it and sends it, and the stored reply keeps the entry's id.
"""

from __future__ import annotations

import re
import time

import pytest

from bot.settings import Settings
from bot.tickets.service import TicketService
from harness.stack import ROOT, Stack
from tests.chromium import ARGS, CHROMIUM, SCREENSHOTS, needs_chromium
from tests.stacks import CONSOLE_AGENTS

MODEL = ROOT / "models" / "djpk.tar.gz"
AGENT = "sari"  # an agent of the shared stack
PASSWORD = CONSOLE_AGENTS[AGENT]
QUESTION = "kapan dau tahap 1 disalurkan"
ENTRY = "dau-penyaluran-tahap-1"
GREETING = "Selamat siang Bapak Andi, berikut jawaban kami."
# window.Notification wrapped before the page runs: every notification constructed is recorded.
RECORD_NOTIFICATIONS = """
window.__notifications = [];
const RealNotification = window.Notification;
class RecordedNotification extends RealNotification {
  constructor(title, options) {
    window.__notifications.push({ title, body: (options && options.body) || "" });
    super(title, options);
  }
}
window.Notification = RecordedNotification;
"""

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
    pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`"),
]


@pytest.fixture
def stack(open_stack: Stack) -> Stack:
    """The session's shared stack (tests/conftest.py): REST, console with agent sari,
    open around the clock."""
    return open_stack


def ask_for_an_agent(stack: Stack, sender: str) -> str:
    """The hand-off form over REST, as a pemda in WITA; returns the ticket number."""
    stack.say(sender, "saya mau bicara dengan petugas")
    stack.say(sender, "Andi Mappanyukki")
    stack.say(sender, "BPKAD Kota Makassar")
    replies = " ".join(m.get("text", "") for m in stack.say(sender, QUESTION))
    found = re.search(r"DJPK-\d{8}-\d{4}", replies)
    assert found, replies
    return found.group(0)


def recorded(page, timeout_s: float = 20.0) -> list[dict]:
    """The notifications constructed so far, waiting for the first (the page's CSP forbids the
    string evaluation `wait_for_function` uses)."""
    deadline = time.monotonic() + timeout_s
    while not (shown := page.evaluate("window.__notifications")) and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    return shown


def test_notification_clock_and_a_suggested_answer_edited_and_sent(stack: Stack) -> None:
    from playwright.sync_api import expect, sync_playwright

    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.add_init_script(RECORD_NOTIFICATIONS)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{stack.url}/webhooks/console/")
        page.locator("#login-username").fill(AGENT)
        page.locator("#login-password").fill(PASSWORD)
        page.locator("#login-submit").click()
        expect(page.locator("[data-testid=who]")).to_contain_text(AGENT)

        enable = page.locator("[data-testid=notify-enable]")
        expect(enable).to_be_visible()  # permission not asked yet: the agent may turn it on
        context.grant_permissions(["notifications"], origin=stack.url)
        enable.click()
        expect(page.locator("[data-testid=notify-state]")).to_have_text(
            "Notifikasi tiket baru aktif."
        )
        expect(enable).to_be_hidden()
        page.wait_for_timeout(3500)  # one poll of the (empty) queue: nothing is new before
        assert page.evaluate("window.__notifications") == []

        number = ask_for_an_agent(stack, "wa-makassar-1")
        shown = recorded(page)
        assert [n["title"] for n in shown] == [f"Tiket baru {number}"]
        assert QUESTION in shown[0]["body"] and "Andi Mappanyukki" in shown[0]["body"]

        page.locator(f"[data-testid=queue] li[data-number='{number}']").click()
        expect(page.locator("[data-testid=ticket-title]")).to_contain_text(number)
        transcript = page.locator("[data-testid=transcript]")
        expect(transcript).to_contain_text(QUESTION)
        who = transcript.locator(".who").first.inner_text()
        clock = re.search(r"(\d\d)\.(\d\d) WIB · (\d\d)\.(\d\d) WITA", who)
        assert clock, who  # the agents' WIB, the user's WITA beside it
        assert (int(clock[1]) + 1) % 24 == int(clock[3]) and clock[2] == clock[4]

        suggestions = page.locator("[data-testid=suggestions]")
        expect(suggestions).to_contain_text("petugas yang menangani")  # not claimed yet
        page.locator("[data-testid=claim]").click()
        expect(page.locator("[data-testid=action-status]")).to_contain_text("diambil")
        insert = suggestions.locator("[data-testid=suggestion-insert]")
        expect(insert.first).to_be_visible(timeout=10_000)
        assert 1 <= insert.count() <= 3
        assert insert.first.get_attribute("data-id") == ENTRY
        insert.first.click()
        box = page.locator("[data-testid=reply-text]")
        answer = box.input_value()
        assert "PMK" in answer  # the entry's answer with its legal basis
        edited = f"{GREETING}\n\n{answer}"
        box.fill(edited)
        expect(page.locator("[data-testid=suggest-used]")).to_contain_text("dapat disunting")
        page.locator("[data-testid=reply-send]").click()
        # a REST user without DJPK_REST_CALLBACK_URL cannot be reached: the reply is stored and
        # its delivery shown as failed (the delivery tests cover the states)
        expect(page.locator("[data-testid=action-status]")).to_contain_text("Balasan gagal (REST)")
        expect(transcript).to_contain_text(GREETING)
        expect(transcript).to_contain_text(f"dari FAQ {ENTRY}")
        expect(page.locator("[data-testid=suggest-used]")).to_have_text("")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "console-assist.png"), full_page=True)
        browser.close()
    assert not problems, problems

    tickets = TicketService.from_settings(Settings(db_url=stack.env["DJPK_DB_URL"]))
    ticket = tickets.by_number(number)
    reply = tickets.messages(ticket.id)[-1]
    assert (reply.sender.value, reply.text, reply.faq_id) == ("agent", edited, ENTRY)


def test_a_canned_answer_found_by_search_keeps_its_faq_id(stack: Stack) -> None:
    """GET /api/canned from the search box: "Pakai" inserts the answer like a suggestion, and
    the reply sent keeps the entry's id (ticket_messages.faq_id) for the report."""
    from playwright.sync_api import expect, sync_playwright

    number = ask_for_an_agent(stack, "wa-makassar-2")
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{stack.url}/webhooks/console/")
        page.locator("#login-username").fill(AGENT)
        page.locator("#login-password").fill(PASSWORD)
        page.locator("#login-submit").click()
        page.locator(f"[data-testid=queue] li[data-number='{number}']").click()
        expect(page.locator("[data-testid=ticket-title]")).to_contain_text(number)
        page.locator("[data-testid=claim]").click()
        expect(page.locator("[data-testid=action-status]")).to_contain_text("diambil")
        page.locator("#canned-q").fill("syarat penyaluran dbh")
        page.locator("#canned-form button[type=submit]").click()
        use = page.locator("[data-testid=canned-use]").first
        expect(use).to_be_visible(timeout=10_000)
        entry = use.get_attribute("data-id")
        assert entry and entry != ENTRY
        use.click()
        box = page.locator("[data-testid=reply-text]")
        answer = box.input_value()
        assert answer
        expect(page.locator("[data-testid=suggest-used]")).to_contain_text("dapat disunting")
        page.locator("[data-testid=reply-send]").click()
        transcript = page.locator("[data-testid=transcript]")
        expect(transcript).to_contain_text(f"dari FAQ {entry}")
        browser.close()
    assert not problems, problems
    tickets = TicketService.from_settings(Settings(db_url=stack.env["DJPK_DB_URL"]))
    reply = tickets.messages(tickets.by_number(number).id)[-1]
    assert (reply.sender.value, reply.text, reply.faq_id) == ("agent", answer, entry)
