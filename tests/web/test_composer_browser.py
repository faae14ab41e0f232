"""The composer counts per network as you type, in a real browser (Debian's chromium driven
by Playwright): the limits and counting rules come from the network registry."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, sync_playwright

from tests.helpers.browser import CHROMIUM_FLAGS, chromium, sign_in
from tests.helpers.web import company_accounts
from veille.sources.bluesky.text import bluesky_length
from veille.sources.x.text import x_length

pytestmark = pytest.mark.browser


@pytest.fixture
def accounts(app: FastAPI) -> dict[str, int]:
    return company_accounts(app.state.db, {"bluesky": "martin.bsky.social", "x": "PeinturesMartin"})


def _count(page: Page, network: str) -> str:
    return page.inner_text(f"#draft-counts li[data-network={network}]")


def test_the_counter_follows_the_text_and_the_ticked_accounts(
    live_url: str, accounts: dict[str, int]
) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            sign_in(page, live_url, "/drafts")
            # Nothing ticked: every publishing network is counted.
            page.fill("#draft-text", "Bonjour")
            assert _count(page, "mastodon") == "Mastodon : 7 / 500 caractères"
            page.check(f"input[name=account][value='{accounts['bluesky']}']")
            assert page.locator("#draft-counts li").count() == 1
            page.fill("#draft-text", "a" * 350)
            assert _count(page, "bluesky") == "Bluesky : 350 / 300 caractères (50 de trop)"
            assert "over" in (page.get_attribute("#draft-counts li", "class") or "")
            # X counts a link as 23 and an emoji as 2, as the registry's rules say.
            page.check(f"input[name=account][value='{accounts['x']}']")
            text = "Chantier fini 🎨 https://peintures-martin.fr/chantiers/42"
            page.fill("#draft-text", text)
            assert (
                _count(page, "x")
                == "X : 40 / 280 caractères"
                == f"X : {x_length(text)} / 280 caractères"
            )
            assert _count(page, "bluesky").startswith(f"Bluesky : {bluesky_length(text)} / 300")
            page.type("#draft-text", " !")
            assert _count(page, "x") == "X : 42 / 280 caractères"  # counted as typed
        finally:
            browser.close()
