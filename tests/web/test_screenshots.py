"""Every page of the demo, signed in as its owner, photographed at 1366 px and at 390 px (a
phone) into screenshots/ (ignored by git), so a person can look at the whole interface in one
minute; and no page scrolls sideways on a phone."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import select

from tests.helpers.browser import CHROMIUM_FLAGS, chromium, serve
from tests.helpers.demo_site import DEMO_PASSWORD, DEMO_USER, DemoSite, demo_site
from tests.helpers.routes import api_routes
from veille.demo.instance import DemoInstance
from veille.inbox import team
from veille.publish.actions import compose
from veille.publish.approvals import Actor
from veille.store import tables

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
# GET routes that are not pages a person looks at, and why.
NOT_PAGES = {
    "/lang/{code}": "switches the language and goes back",
    "/api/rules/check": "JSON for the watch editor",
    "/api/communes": "JSON for the set-up form",
    "/accounts/connect/{network}/callback": "a network's OAuth redirect",
    "/drafts/{draft_id}/media/{index}": "an image file",
    "/reports.csv": "a download",
    "/reports.pdf": "a download",
    "/reports/brief.pdf": "a download",
}
SIGNED_OUT = ("/login", "/password/", "/invite/")  # pages for someone not signed in


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    instance = DemoInstance(0).start()
    try:
        with demo_site(tmp_path_factory.mktemp("demo"), instance_url=instance.url) as built:
            yield built
    finally:
        instance.close()


def _examples(site: DemoSite) -> dict[str, str]:
    """A value for each path parameter: the demo's first post, watch, item, alert, a draft and an
    invitation made for the occasion."""
    with site.db.session() as session:
        owner = session.scalars(select(tables.User).where(tables.User.username == DEMO_USER)).one()
        account = session.scalars(select(tables.Account.id)).first()
        assert account is not None, "the demo's account is connected"
        draft = compose(
            session,
            actor=Actor(owner.id, owner.role),
            # Longer than one post: the draft is a thread, each post replying to the one before.
            text=" ".join(
                f"Chantier terminé rue Bressigny, étape {n} : enduit à la chaux, "
                "menuiseries repeintes, une façade comme neuve 🎨."
                for n in range(1, 9)
            ),
            account_ids=[account],
            uploads=[],
            data_dir=site.settings.data_dir,
            media_quota_bytes=10_000_000,
            fit="thread",
        )
        assert draft.thread, "the example draft is a thread"
        item = session.scalars(select(tables.InboxItem).order_by(tables.InboxItem.id)).first()
        alert = session.scalars(select(tables.Alert).order_by(tables.Alert.score.desc())).first()
        watch = session.scalars(select(tables.Watch).order_by(tables.Watch.id)).first()
        assert item and alert and watch
        return {
            "post_id": str(item.post_id),
            "watch_id": str(watch.id),
            "draft_id": str(draft.id),
            "item_id": str(item.id),
            "alert_id": str(alert.id),
            "token": team.invite(session, role="member", created_by=owner.id),
        }


def _pages(site: DemoSite) -> dict[str, str]:
    """Every GET route of the app that is a page: its file name -> its path, parameters filled.
    The name comes from the route ("posts-post_id.png"), so each run replaces the last one's."""
    routes = {r.path for r in api_routes(site.app.routes) if "GET" in r.methods} - set(NOT_PAGES)
    values = _examples(site)
    return {
        re.sub(r"[^a-z0-9_]+", "-", route.lower()).strip("-") or "home": re.sub(
            r"\{(\w+)\}", lambda m: values[m[1]], route
        )
        for route in sorted(routes)
    }


def _shoot(page: Page, base: str, path: str, file: Path) -> int:
    """Open the page, photograph it whole; how many pixels it is wider than the window."""
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status < 400, (path, response and response.status)
    page.screenshot(path=str(file), full_page=True)
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", DEMO_USER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_every_page_at_desktop_and_phone_width(site: DemoSite) -> None:
    pages = _pages(site)
    assert len(pages) >= 25
    overflow: dict[str, int] = {}
    with serve(site.app) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            for label, (width, height) in WIDTHS.items():
                folder = SHOTS / label
                shutil.rmtree(folder, ignore_errors=True)  # only this run's pictures
                folder.mkdir(parents=True)
                page = browser.new_page(viewport={"width": width, "height": height})
                signed_out = {n: p for n, p in pages.items() if p.startswith(SIGNED_OUT)}
                signed_in = {n: p for n, p in pages.items() if n not in signed_out}
                for group in (signed_out, signed_in):
                    if group is signed_in:
                        _sign_in(page, base)
                    for name, path in group.items():
                        file = folder / f"{name}.png"
                        overflow[f"{label} {path}"] = _shoot(page, base, path, file)
                page.close()
        finally:
            browser.close()
    assert {where: px for where, px in overflow.items() if px > 0} == {}
