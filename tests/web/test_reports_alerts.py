"""The alerts pages: the list, and one alert showing its cause, with hostile text inert."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.helpers.alerts_data import NOW, ZONE, seed_crisis
from tests.web.conftest import login
from veille.report.alerts_run import run_alerts
from veille.store.db import Database


def test_alert_page_shows_its_cause_and_links_to_its_posts(
    client: TestClient, db: Database
) -> None:
    with db.session() as session:
        watch_id = seed_crisis(session)
        (alert_id,) = run_alerts(session, now=NOW, zone=ZONE, send=None).opened
    login(client)
    listing = client.get("/alerts")
    assert f'href="/alerts/{alert_id}"' in listing.text and "en cours" in listing.text
    page = client.get(f"/alerts/{alert_id}")
    assert page.status_code == 200
    assert "Ma marque" in page.text and "coulures" in page.text and "facade" in page.text
    assert "habitude" in page.text  # the usual range next to the expected count
    assert f"/posts?since=2026-03-17&amp;until=2026-03-17&amp;watch={watch_id}" in page.text
    # The hostile post is among the top posts, shown as text.
    assert "&lt;script&gt;" in page.text and "<script>alert" not in page.text


def test_unknown_alert_is_404_and_login_is_required(client: TestClient) -> None:
    assert client.get("/alerts", follow_redirects=False).status_code == 303
    login(client)
    assert client.get("/alerts/999").status_code == 404
