"""Finding 9: ids over 2^63 and days like 9999-12-31 answer 404 or 400 with a message, never 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.helpers.web import login
from veille.config import Settings
from veille.store.db import Database
from veille.timeutil import DayError, parse_day
from veille.web.app import create_app

HUGE = str(2**64 + 7)
NOT_FOUND = [
    f"/posts/{HUGE}",
    f"/posts/-{HUGE}",
    f"/inbox/{HUGE}",
    f"/drafts/{HUGE}",
    f"/drafts/{HUGE}/images/{HUGE}",
    f"/alerts/{HUGE}",
    f"/watches/{HUGE}",
    "/posts/douze",
]
REFUSED = [
    "/reports?start=9999-12-31&end=9999-12-31",
    "/reports?start=0001-01-01&end=0001-01-02",
    "/reports.csv?start=9999-12-30&end=9999-12-31",
    "/reports.pdf?start=9999-12-30&end=9999-12-31",
    "/calendar?day=9999-12-31",
    "/calendar?day=9999-12-31&view=month",
    "/calendar?day=0001-01-01",
]
ANSWERED = [  # filters that cannot match anything still show their page
    f"/posts?watch={HUGE}",
    "/posts?since=9999-12-31&until=9999-12-31",
    "/posts?since=0001-01-01",
    f"/posts?page={HUGE}",
    f"/inbox?page={HUGE}",
    f"/inbox/figures?days={HUGE}",
]


@pytest.fixture
def client(settings: Settings, db: Database) -> TestClient:
    from veille.users import create_user

    with db.session() as session:
        create_user(session, username="claire", password="bon-mot-de-passe", role="owner")
    test_client = TestClient(create_app(settings, db), raise_server_exceptions=False)
    assert login(test_client) == 303
    return test_client


@pytest.mark.parametrize("url", NOT_FOUND)
def test_an_id_no_row_can_have_is_not_found(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404, (url, response.text[:300])
    assert "Page introuvable" in response.text and 'href="/"' in response.text


@pytest.mark.parametrize("url", REFUSED)
def test_a_day_out_of_range_is_refused_by_name(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400, (url, response.text[:300])
    assert "9999-12-31" in response.text or "0001-01-0" in response.text


@pytest.mark.parametrize("url", ANSWERED)
def test_filters_out_of_range_never_fail(client: TestClient, url: str) -> None:
    assert client.get(url).status_code in (200, 400), url


def test_forms_with_huge_ids_never_fail(client: TestClient) -> None:
    csrf = client.get("/inbox").text.split('name="csrf" value="')[1].split('"')[0]
    for url in (f"/inbox/{HUGE}/assign", f"/inbox/{HUGE}/status", f"/drafts/{HUGE}/cancel"):
        response = client.post(url, data={"csrf": csrf, "user_id": HUGE, "status": "done"})
        assert response.status_code in (400, 404), (url, response.status_code)


def test_parse_day_names_the_field() -> None:
    with pytest.raises(DayError, match="start: 9999-12-31 is outside"):
        parse_day("9999-12-31", field="start")
    with pytest.raises(DayError, match="day: 'hier' is not a date"):
        parse_day("hier", field="day")


@pytest.mark.parametrize("since", ["0001-01-01", "9999-12-31"])
def test_export_refuses_a_day_out_of_range(
    since: str, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from veille.cli import app

    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["export", "--since", since, "--format", "csv"])
    assert result.exit_code == 2 and f"{since} est hors de" in result.stderr
