"""A florist in Bordeaux sets Veille up in a real browser (Debian's chromium, Playwright):
first sign-in lands on the set-up, the business is described, the proposed watches are
previewed and saved, and the home page lists them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import post_json
from tests.helpers.browser import CHROMIUM_FLAGS, chromium, serve
from veille.config import Settings
from veille.posts import parse_post
from veille.store import repository
from veille.store.db import Database
from veille.users import create_user
from veille.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def first_run(settings: Settings, db: Database) -> Iterator[str]:
    with db.session() as session:
        create_user(session, username="claire", password="bon-mot-de-passe", role="owner")
        text = "Je cherche un fleuriste à Mérignac pour un mariage en juin"
        repository.insert_posts(session, [parse_post(post_json("1", text))])
    with serve(create_app(settings, db)) as url:
        yield url


def test_a_florist_in_bordeaux_sets_up_and_lands_on_her_watches(
    first_run: str, tmp_path: Path
) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{first_run}/")
            page.fill("input[name=username]", "claire")
            page.fill("input[name=password]", "bon-mot-de-passe")
            page.click("button[type=submit]")
            page.wait_for_url(f"{first_run}/setup/business")
            page.fill("input[name=name]", "Fleurs du Marais")
            page.fill("input[name=trade]", "fleuriste")
            page.fill("input[name=city]", "Bordeaux")
            page.fill("input[name=radius_km]", "10")
            page.fill("textarea[name=handles]", "x:fleursdumarais")
            page.fill("input[name=owner]", "Claire Dubois")
            page.fill("textarea[name=competitors]", "Au Jardin de Lys=x:jardindelys")
            page.click("main button[type=submit]")
            page.wait_for_url(f"{first_run}/setup/watches")
            leads = page.locator("section.proposed-watch", has_text="Demandes de fleuriste")
            assert "Mérignac pour un mariage" in leads.inner_text()
            page.screenshot(path=str(tmp_path / "watches.png"), full_page=True)
            page.click("button[value=save]")
            page.wait_for_url(f"{first_run}/setup/accounts")
            page.click("main button[type=submit]")
            page.wait_for_url(f"{first_run}/setup/brief")
            page.fill("input[name=to]", "claire@fleursdumarais.fr")
            page.click("main button[type=submit]")
            page.wait_for_url(f"{first_run}/?welcome=1")
            home = page.inner_text("main")
            assert "Fleurs du Marais" in home and "C'est prêt" in home
            assert "Demandes de fleuriste (Bordeaux)" in home
            assert "Concurrent : Au Jardin de Lys" in home
            page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
        finally:
            browser.close()
