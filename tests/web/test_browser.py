"""End to end in a real browser: Debian's chromium driven by Playwright against a live server."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers.browser import CHROMIUM_FLAGS, chromium

pytestmark = pytest.mark.browser


def test_log_in_search_and_see_results(live_url: str, tmp_path: Path) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{live_url}/posts")
            assert "/login" in page.url  # sent to the login page first
            page.fill("input[name=username]", "claire")
            page.fill("input[name=password]", "bon-mot-de-passe")
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_url}/posts")
            page.fill("input[name=q]", "renovation ANGERS")
            page.press("input[name=q]", "Enter")
            page.wait_for_url("**/posts?q=*")
            assert page.inner_text("#result-count").startswith("1 ")
            assert "Rénovation terminée à Angers" in page.inner_text(".results")
            # Hostile text stays text: no script ran, no element was injected.
            page.goto(f"{live_url}/posts?q=martin")
            assert page.locator(".results img").count() == 0
            assert "<script>" in page.inner_text(".results")
            page.screenshot(path=str(tmp_path / "search.png"))
        finally:
            browser.close()
