"""Finding 7: `javascript:` and `data:` URLs from posts are never rendered as links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from tests.factories import post_json
from veille.config import Settings
from veille.links import external_url
from veille.posts import parse_post
from veille.report.brief import build_brief
from veille.report.mailer import render_email
from veille.store import repository
from veille.store.db import Database
from veille.users import create_user
from veille.web.app import create_app

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
HOSTILE_URLS = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https://",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_absolute_http_links_pass(url: str) -> None:
    assert external_url(url) == ""


def test_http_links_pass_as_they_are() -> None:
    assert (
        external_url("https://www.ouest-france.fr/a?b=1#c") == "https://www.ouest-france.fr/a?b=1#c"
    )
    assert external_url("http://example.org/") == "http://example.org/"
    assert external_url(None) == ""


def _news(session: object, key: str, url: str) -> int:
    data = post_json(
        key,
        f"Salon de la rénovation à Angers, peintres attendus {key}",
        network="news",
        created_at=(NOW - timedelta(hours=2)).isoformat(),
        urls=[url],
    )
    (post_id,) = repository.insert_posts(session, [parse_post(data)]).values()  # type: ignore[arg-type]
    return post_id


def test_post_pages_and_brief_email_never_link_a_script(settings: Settings, db: Database) -> None:
    with db.session() as session:
        create_user(session, username="claire", password="bon-mot-de-passe", role="owner")
        ids = [_news(session, f"n{i}", url) for i, url in enumerate(HOSTILE_URLS)]
        good = _news(session, "ok", "https://www.ouest-france.fr/angers/salon")
    with TestClient(create_app(settings, db)) as client:
        page = client.get("/login")
        csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
        client.post(
            "/login",
            data={"username": "claire", "password": "bon-mot-de-passe", "csrf": csrf, "next": "/"},
        )
        for post_id in ids:
            html = client.get(f"/posts/{post_id}").text
            assert "Salon de la rénovation" in html
            assert 'href="javascript' not in html.lower() and 'href="data:' not in html.lower()
            assert "evil.example" not in html
        assert (
            'href="https://www.ouest-france.fr/angers/salon"' in client.get(f"/posts/{good}").text
        )
    with db.session() as session:
        brief = build_brief(session, zone=ZoneInfo("Europe/Paris"), now=NOW)
    _, html, _ = render_email(brief, base_url="https://veille.example.fr")
    assert "Salon de la rénovation" in html
    lowered = html.lower()
    assert "javascript:" not in lowered and "data:text" not in lowered and "vbscript" not in lowered
    assert 'href="https://www.ouest-france.fr/angers/salon"' in html
