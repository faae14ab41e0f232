"""A consultant who works for two businesses switches between them from the header, in a real
browser (Debian's chromium, Playwright): each one's watches, never the other's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import sync_playwright

from tests.helpers.browser import CHROMIUM_FLAGS, chromium, serve
from veille.config import Settings
from veille.store import repository, tables
from veille.store.db import Database
from veille.users import create_user, join
from veille.web.app import create_app
from veille.workspaces import create

pytestmark = pytest.mark.browser


@pytest.fixture
def two_businesses(settings: Settings, db: Database) -> Iterator[str]:
    with db.session(workspace_id=None) as session:
        fleurs = create(session, slug="fleurs", name="Fleurs du Marais").id
    with db.session(workspace_id=1) as session:
        session.get_one(tables.Workspace, 1).name = "Peintures Martin"
        repository.upsert_watch(
            session, name="Peintures Martin", kind="brand", description="", rules=["martin"]
        )
        consultant = create_user(session, username="claude", password="bon-mot-de-passe")
        join(session, user_id=consultant.id, role="manager", workspace_id=fleurs)
    with db.session(workspace_id=fleurs) as session:
        repository.upsert_watch(
            session, name="Fleurs du Marais", kind="brand", description="", rules=["fleurs"]
        )
    with serve(create_app(settings, db)) as url:
        yield url


def test_the_header_switches_between_a_users_workspaces(two_businesses: str) -> None:
    url = two_businesses
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(f"{url}/login")
            page.fill("input[name=username]", "claude")
            page.fill("input[name=password]", "bon-mot-de-passe")
            page.click("main button[type=submit]")
            page.wait_for_load_state()
            page.goto(f"{url}/watches")
            watches = page.inner_text("main")
            assert "Peintures Martin" in watches and "Fleurs du Marais" not in watches
            switcher = page.locator("form.workspace-switch")
            switcher.locator("select").select_option(label="Fleurs du Marais")
            switcher.locator("button").click()
            page.wait_for_url(f"{url}/")
            page.goto(f"{url}/watches")
            watches = page.inner_text("main")
            assert "Fleurs du Marais" in watches and "Peintures Martin" not in watches
            chosen = switcher.locator("select option:checked").inner_text()
            assert chosen == "Fleurs du Marais"
        finally:
            browser.close()
