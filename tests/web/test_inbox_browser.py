"""End to end in Debian's chromium: triage with the keyboard, answer, and the reply reaches the
Mastodon-speaking server exactly once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers.browser import CHROMIUM_FLAGS, chromium
from tests.inbox.seed import PASSWORD, MastodonInstance, seed_inbox
from veille.config import Settings
from veille.store.db import Database

pytestmark = pytest.mark.browser


def test_triage_and_answer_an_item_end_to_end(
    live_url: str,
    db: Database,
    settings: Settings,
    instance: MastodonInstance,
) -> None:
    ids = seed_inbox(db, settings, instance_url=instance.url)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{live_url}/inbox")
            page.fill("input[name=username]", "mila")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_url}/inbox")
            first = page.locator(".inbox-item").first
            assert first.get_attribute("data-id") == str(ids["complaint"])
            assert "réclamation" in first.locator(".why").inner_text()
            # j/k move the focus; "a" assigns the current item to me.
            page.keyboard.press("j")
            assert "current" in (page.locator(".inbox-item").nth(1).get_attribute("class") or "")
            page.keyboard.press("k")
            page.keyboard.press("a")
            page.wait_for_load_state()
            page.wait_for_selector(f'.inbox-item[data-id="{ids["complaint"]}"] >> text=→ mila')
            # "r" opens the reply form of the current item, prefilled with a suggestion.
            page.keyboard.press("r")
            page.wait_for_url(re.compile(rf".*/inbox/{ids['complaint']}"))
            box = page.locator("#reply textarea")
            assert box.input_value().startswith("Bonjour Sophie")
            box.fill("Bonjour Sophie, nous vous appelons aujourd'hui pour votre devis.")
            page.click("#send-reply")
            page.wait_for_selector(".reply-status")
            assert page.inner_text(".reply-status") == "envoyée"
            posted = instance.posted()
            assert len(posted) == 1 and posted[0]["in_reply_to_id"] == "109999"
            assert posted[0]["id"] in page.inner_text(".network-id")
            assert page.inner_text("#item-status") == "traité"
            # Reloading (a browser retry) posts nothing more.
            page.reload()
            assert len(instance.posted()) == 1
        finally:
            browser.close()
