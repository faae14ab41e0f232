"""One colour per sentiment: the stylesheet, the home and report charts and the PDFs all draw
negative in the same red, positive in the same green, neutral in the same grey."""

from __future__ import annotations

import io
import re
from pathlib import Path

from fastapi.testclient import TestClient
from fpdf.drawing_primitives import DeviceRGB
from pypdf import PdfReader

from tests.helpers.brief_data import NOW, ZONE, seed_business
from tests.web.conftest import login
from veille.report.brief import build_brief
from veille.report.colours import SENTIMENT, rgb
from veille.store.db import Database
from veille.web.pages_home import reputation_chart

STYLE = Path(__file__).resolve().parents[2] / "src" / "veille" / "web" / "static" / "style.css"
NAMES = {"positive": "positif", "neutral": "neutre", "negative": "négatif"}


def _legend(svg_page: str) -> dict[str, str]:
    """Sentiment name -> the colour of its square in each chart's legend (every chart agrees)."""
    found: dict[str, set[str]] = {}
    for colour, name in re.findall(
        r'fill="(#[0-9a-fA-F]{6})"/><text [^>]*>([^<]+)</text>', svg_page
    ):
        found.setdefault(name, set()).add(colour.lower())
    assert all(len(colours) == 1 for colours in found.values()), found
    return {name: colours.pop() for name, colours in found.items()}


def test_the_stylesheet_uses_the_sentiment_colours() -> None:
    css = STYLE.read_text(encoding="utf-8")
    for var, name in (("--neg", "negative"), ("--pos", "positive"), ("--neu", "neutral")):
        assert re.search(rf"{var}:\s*{SENTIMENT[name]}\b", css, re.I), var


def test_charts_and_pdfs_draw_each_sentiment_in_its_colour(
    client: TestClient, db: Database
) -> None:
    with db.session() as session:
        seed_business(session)
        brief = build_brief(session, zone=ZONE, now=NOW)
    login(client)
    home = str(reputation_chart(brief, "fr"))  # the home page's chart, on the seeded day
    for page in (home, client.get("/reports?start=2026-03-10&end=2026-03-17").text):
        legend = _legend(page)
        for name, label in NAMES.items():
            assert legend[label] == SENTIMENT[name], name
    for path in ("/reports.pdf?start=2026-03-10&end=2026-03-17", "/reports/brief.pdf"):
        reader = PdfReader(io.BytesIO(client.get(path).content))
        drawn = "".join(page.get_contents().get_data().decode("latin-1") for page in reader.pages)  # type: ignore[union-attr]
        for name in ("negative", "positive"):
            fill = DeviceRGB(*(c / 255 for c in rgb(SENTIMENT[name]))).serialize().lower()
            assert fill in drawn, (path, name)
