"""The HTML report in headless Chromium: renders offline, no console errors, screenshot kept."""

from __future__ import annotations

import pytest

from tests.chromium import ARGS, CHROMIUM, SCREENSHOTS, needs_chromium

SCREENSHOT = SCREENSHOTS / "report.png"

pytestmark = [
    pytest.mark.browser,
    needs_chromium,
]


def test_report_renders_in_chromium(seed_report) -> None:
    from playwright.sync_api import expect, sync_playwright

    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", lambda r: r.url.startswith("file:") or requests.append(r.url))
            page.goto((seed_report.folder / "report.html").as_uri())
            expect(page).to_have_title("Laporan Layanan Informasi DJPK Februari 2023")
            expect(page.locator("#tiket")).to_contain_text("77,39%")
            expect(page.locator("#jam-layanan")).to_contain_text("114 (61,96%)")
            expect(page.locator("#kepuasan")).to_contain_text("5,0")
            images = page.locator("img")
            assert images.count() == 5
            widths = page.evaluate("[...document.images].map(i => i.complete && i.naturalWidth)")
            assert all(width and width > 300 for width in widths)
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert problems == []
    assert [url for url in requests if not url.startswith("data:")] == []
    assert SCREENSHOT.stat().st_size > 50_000
