"""On the demo, every page that shows a figure shows the same number for the same period: the
home page, the reports (page, CSV, PDF), the inbox figures, the e-mail brief and its PDF."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.helpers.demo_site import DEMO_PASSWORD, DEMO_USER, DemoSite, demo_site
from tests.helpers.pdf import pdf_text
from tests.web.conftest import login
from veille.report.brief import build_brief
from veille.report.mailer import render_email
from veille.timeutil import utcnow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with demo_site(tmp_path_factory.mktemp("demo")) as built:
        yield built


@pytest.fixture
def client(site: DemoSite) -> Iterator[TestClient]:
    with TestClient(site.app) as test_client:
        assert login(test_client, DEMO_USER, DEMO_PASSWORD) == 303
        yield test_client


def _figure(html: str, key: str) -> int:
    """The value of a row of the brief's "since yesterday" table."""
    found = re.search(rf'data-figure="{re.escape(key)}">.*?<strong>(\d+)</strong>', html, re.S)
    assert found, f"no figure {key}"
    return int(found[1])


def _share(html: str) -> dict[str, str]:
    """Share of voice rows: watch name -> "68.5 %"."""
    table = html[html.index('class="share"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<td>([^<]+)</td><td class="percent">([^<]+)</td>', table)
    assert rows, "no share of voice rows"
    return {name.replace("&#39;", "'"): percent for name, percent in rows}


def _by_id(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(?:<span class="value">)?([^<]+)<', html)
    assert found, f"no #{element_id}"
    return found[1].strip()


@dataclass
class Seen:
    """The figures each page showed."""

    home: dict[str, int]
    email: dict[str, int]
    email_text: str
    brief_pdf: str
    today_total: str
    today_csv: list[str]
    home_share: dict[str, str]
    week_share: dict[str, str]
    week_pdf: str
    month_responses: tuple[str, str, str]
    inbox_responses: tuple[str, str, str]
    month_pdf: str
    inbox_backlog: int
    leads: list[str]


KEYS = ("home.mentions", "home.negative", "home.positive", "home.leads", "home.inbox")


def _look(client: TestClient, site: DemoSite) -> Seen:
    today = utcnow().astimezone(site.settings.zone).date()
    day = {"start": today.isoformat(), "end": today.isoformat()}
    week = {"start": (today - timedelta(days=6)).isoformat(), "end": today.isoformat()}
    month = {"start": (today - timedelta(days=29)).isoformat(), "end": today.isoformat()}
    home = client.get("/").text
    with site.db.session() as session:
        brief = build_brief(session, zone=site.settings.zone, now=utcnow())
    _, email, email_text = render_email(brief, base_url="http://veille.test")
    reports_month = client.get("/reports", params=month).text
    inbox = client.get("/inbox/figures", params={"days": 30}).text
    csv_rows = list(csv.reader(io.StringIO(client.get("/reports.csv", params=day).text)))
    leads = home[home.index("brief-leads") :]
    leads = leads[: leads.index("</section>")]
    return Seen(
        home={key: _figure(home, key) for key in KEYS},
        email={key: _figure(email, key) for key in KEYS},
        email_text=email_text,
        brief_pdf=pdf_text(client.get("/reports/brief.pdf").content),
        today_total=_by_id(client.get("/reports", params=day).text, "mentions"),
        today_csv=csv_rows[-1],
        home_share=_share(home),
        week_share=_share(client.get("/reports", params=week).text),
        week_pdf=pdf_text(client.get("/reports.pdf", params=week).content),
        month_responses=tuple(_by_id(reports_month, i) for i in ("answered", "median", "p90")),  # type: ignore[arg-type]
        inbox_responses=tuple(_by_id(inbox, f"fig-{i}") for i in ("answered", "median", "p90")),  # type: ignore[arg-type]
        month_pdf=pdf_text(client.get("/reports.pdf", params=month).content),
        inbox_backlog=int(_by_id(inbox, "fig-backlog")),
        leads=re.findall(r'<p class="lead"><a href="([^"]+)"', leads),
    )


def test_every_page_shows_the_same_figures(client: TestClient, site: DemoSite) -> None:
    seen = _look(client, site)
    for _ in range(2):  # a demo post dated "now" can land between two page loads: look again
        if seen.home == seen.email:
            break
        seen = _look(client, site)
    assert seen.home == seen.email
    mentions, negative, positive = (seen.home[k] for k in KEYS[:3])
    # Today's figures are 0 in the minutes after local midnight; the week's and the backlog are
    # never empty, so the comparisons below are not between empty pages.
    assert seen.home_share and seen.home["home.inbox"] > 0
    # Today: the home page, the report of today (page and CSV), the brief's PDF and plain text.
    assert seen.today_total == str(mentions)
    date_, posts, pos, _, neg = seen.today_csv
    assert date.fromisoformat(date_) == utcnow().astimezone(site.settings.zone).date()
    assert (int(posts), int(pos), int(neg)) == (mentions, positive, negative)
    for key, value in seen.home.items():
        assert re.search(rf"\b{value}\b", seen.brief_pdf), key
        assert f": {value}" in seen.email_text, key
    assert f"Mentions aujourd'hui : {mentions}" in seen.brief_pdf
    # Leads of the day: as many listed as counted, none twice.
    assert len(seen.leads) == seen.home["home.leads"] == len(set(seen.leads))
    # Share of voice over the same 7 days: home, report page, report PDF.
    assert seen.home_share == seen.week_share
    for name, percent in seen.home_share.items():
        assert re.search(rf"{re.escape(name)}\s*\d+\s*{re.escape(percent)}", seen.week_pdf), name
    # Answered and first response over 30 days: reports page, inbox figures, report PDF.
    answered, median, p90 = seen.month_responses
    assert int(answered) > 0, "the demo's business answers some posts"
    assert seen.inbox_responses == seen.month_responses
    assert f"{answered} réponses ; médiane {median} ; 90 % en moins de {p90}" in seen.month_pdf
    # To handle: the home page and the inbox's backlog.
    assert seen.home["home.inbox"] == seen.inbox_backlog


def test_the_brief_pdf_prints_accents_and_emoji_of_demo_posts(
    client: TestClient, site: DemoSite
) -> None:
    with site.db.session() as session:
        brief = build_brief(session, zone=site.settings.zone, now=utcnow())
    printed = " ".join(
        [t.text[:200] for t in brief.todo]
        + [p.text[:200] for p in brief.top_posts + brief.leads]
        + [n.post.text[:200] for n in brief.news]
    )
    emoji = [c for c in printed if unicodedata.category(c) == "So" and ord(c) > 0x1F000]
    accented = [w for w in re.findall(r"\w+", printed) if re.search("[éèàçêô]", w)]
    assert emoji and accented, "the demo's brief quotes posts with emoji and accents"
    text = pdf_text(client.get("/reports/brief.pdf").content)
    assert emoji[0] in text and accented[0] in text
