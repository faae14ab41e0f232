"""Reports in the web app: charts for a period, CSV columns, a valid PDF naming the business."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.helpers.brief_data import seed_business
from tests.helpers.pdf import pdf_text
from tests.web.conftest import login
from veille.report.charts import nice_scale
from veille.store.db import Database

PERIOD = {"start": "2026-03-10", "end": "2026-03-17"}


def _seed(db: Database) -> None:
    with db.session() as session:
        seed_business(session)


def test_report_page_draws_its_charts(client: TestClient, db: Database) -> None:
    _seed(db)
    login(client)
    page = client.get("/reports", params=PERIOD)
    assert page.status_code == 200
    assert page.text.count("<svg") >= 3 and "Part de voix" in page.text
    assert "@ubad" in page.text or "@uq0" in page.text  # top authors
    assert "/reports.csv?start=2026-03-10&amp;end=2026-03-17" in page.text


def test_bad_period_is_explained(client: TestClient) -> None:
    login(client)
    page = client.get("/reports", params={"start": "2026-03-17", "end": "2026-03-01"})
    assert page.status_code == 400 and "Période invalide" in page.text
    assert client.get("/reports.csv", params={"start": "hier"}).status_code == 400


def test_csv_export_has_one_row_per_day(client: TestClient, db: Database) -> None:
    _seed(db)
    login(client)
    response = client.get("/reports.csv", params=PERIOD)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["date", "posts", "positive", "neutral", "negative"]
    assert rows[1][0] == "2026-03-10" and rows[-1][0] == "2026-03-17" and len(rows) == 9
    by_day = {r[0]: r for r in rows[1:]}
    assert by_day["2026-03-16"][4] == "1"  # the negative post of the day before
    assert int(by_day["2026-03-17"][1]) >= 10


def test_pdf_exports_are_valid_and_name_the_business(client: TestClient, db: Database) -> None:
    _seed(db)
    login(client)
    for path, params in (("/reports.pdf", PERIOD), ("/reports/brief.pdf", {})):
        response = client.get(path, params=params)
        assert response.headers["content-type"] == "application/pdf"
        body = response.content
        assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
        assert "Peintures Martin" in pdf_text(body)


def test_pdf_charts_show_their_values_on_an_axis(client: TestClient, db: Database) -> None:
    _seed(db)
    login(client)
    rows = list(csv.reader(io.StringIO(client.get("/reports.csv", params=PERIOD).text)))[1:]
    _, _, ticks = nice_scale(0.0, float(max(int(r[1]) for r in rows)))
    lines = pdf_text(client.get("/reports.pdf", params=PERIOD).content).splitlines()
    axis = [f"{tick:g}" for tick in ticks]  # drawn bottom to top, one under the other
    assert len(axis) >= 3
    assert any(lines[i : i + len(axis)] == axis for i in range(len(lines))), axis
