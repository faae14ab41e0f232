"""The navigation reaches every page: from the home page, following links, every page route
of the app is opened; each to-do of the home opens the place where it is done."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import post_json
from tests.helpers.crawl import crawl, read, routes_of, template_of
from tests.helpers.web import new_draft, sign_in_as
from veille.posts import parse_post
from veille.store import repository, tables
from veille.store.db import Database
from veille.timeutil import utcnow

# Not pages a person navigates to: files, the JSON of live checks, the network's return
# address, the language switch, and the pages opened signed out or from an e-mail.
NOT_NAVIGATED = {
    "/reports.csv",
    "/reports.pdf",
    "/reports/brief.pdf",
    "/drafts/{draft_id}/media/{index}",
    "/api/communes",
    "/api/rules/check",
    "/accounts/connect/{network}/callback",
    "/lang/{code}",
    "/login",
    "/password/forgot",
    "/password/reset/{token}",
    "/invite/{token}",
}


def test_following_links_from_the_home_page_reaches_every_page(
    app: FastAPI, client: TestClient, db: Database, ids: dict[str, int]
) -> None:
    sign_in_as(client, "claire")
    new_draft(client, "Bonjour à tous", ids["account"])
    with db.session() as session:
        now = utcnow()
        span = {"start": now.isoformat(), "end": now.isoformat(), "watch": "Ma marque"}
        span |= {"total": 12, "expected": 2.0, "peak_count": 6, "terms": [], "history": []}
        session.add(tables.Alert(kind="spike", started_at=now, summary="Pic", data=span))
    pages = crawl(client, "/")
    templates = routes_of(app, "GET")
    reached = {template_of(p.split("?")[0], templates) for p in pages}
    assert set(templates) - NOT_NAVIGATED - reached == set()
    # Every page's title is a few words for a browser tab, never a page's markup.
    titles = {p: " ".join(r.title.split()) for p, r in pages.items() if r.title}
    assert [(p, t) for p, t in titles.items() if len(t) > 80] == []


def test_every_area_is_one_click_from_the_main_navigation(client: TestClient) -> None:
    sign_in_as(client, "claire")
    nav = read("/", client.get("/").text).nav_links
    near = set(nav)
    for link in nav:
        near |= set(read(link, client.get(link).text).links)
    wanted = {"/team", "/inbox/settings", "/settings", "/alerts", "/calendar", "/calendar/slots"}
    assert wanted | {"/inbox/figures", "/reports", "/setup/business"} <= near


def _lead(db: Database, text: str) -> int:
    """A lead matched today by the brand watch, that the pipeline did not put in the inbox."""
    when = (utcnow() - timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    with db.session() as session:
        watch = session.scalars(select(tables.Watch)).first()
        assert watch is not None
        data = post_json("lead-1", text, network="mastodon", username="julie", created_at=when)
        (post_id,) = repository.insert_posts(session, [parse_post(data)]).values()
        repository.insert_matches(session, [{"post_id": post_id, "watch_id": watch.id}])
        label = {"label": "lead", "score": 0.9, "model": "test"}
        intents = {"kind": "intents", "data": {"scores": {"lead": 0.9}, "present": ["lead"]}}
        repository.insert_enrichments(session, [{"post_id": post_id, **label, **intents}])
        return post_id


def test_the_lead_to_do_opens_the_lead_with_a_suggested_reply(
    client: TestClient, db: Database, ids: dict[str, int]
) -> None:
    post_id = _lead(db, "Quelqu'un connaît un bon peintre à Angers ?")
    csrf = sign_in_as(client, "mila")
    home = client.get("/").text
    todo = home.split('class="card brief-todo"')[1].split("</section>")[0]
    href = re.search(r'<strong>Saisir cette piste</strong>[^<]*<a href="([^"]+)"', todo)
    assert href is not None, todo
    assert href.group(1) == f"/posts/{post_id}#answer"
    page = client.get(href.group(1).split("#")[0]).text
    assert f'action="/posts/{post_id}/answer"' in page and 'id="answer"' in page
    opened = client.post(f"/posts/{post_id}/answer", data={"csrf": csrf}, follow_redirects=False)
    assert opened.status_code == 303
    item = opened.headers["location"]
    assert item.startswith("/inbox/") and item.endswith("#reply")
    answer_box = client.get(item.split("#")[0]).text
    assert "merci de penser à nous" in answer_box  # the suggested reply for a lead
    # Opened twice, the same item: answering does not duplicate it.
    again = client.post(f"/posts/{post_id}/answer", data={"csrf": csrf}, follow_redirects=False)
    assert again.headers["location"] == item
    # Now in the inbox, the to-do opens its reply box directly.
    assert f'href="{item}"' in client.get("/").text


def test_the_inbox_is_paged_with_its_view_kept_and_priorities_in_words(
    client: TestClient, db: Database, ids: dict[str, int]
) -> None:
    with db.session() as session:
        posts = [
            parse_post(post_json(f"q{n}", f"Question {n} ?", username=f"u{n}")) for n in range(60)
        ]
        found = repository.insert_posts(session, posts)
        rows = [{"post_id": pid, "priority": 1.0, "reason": ""} for pid in found.values()]
        repository.insert_inbox_items(session, rows)
    sign_in_as(client, "claire")
    first = client.get("/inbox?view=open").text
    assert first.count('class="inbox-item') == 25
    assert 'href="/inbox?view=open&amp;page=3"' in first and "page=4" not in first
    third = client.get("/inbox?view=open&page=3").text
    assert third.count('class="inbox-item') == 63 - 50  # 60 questions and the seeded three
    assert 'name="next" value="/inbox?view=open&amp;page=3"' in third  # actions come back here
    assert client.get("/inbox?view=open&page=99").text.count('class="inbox-item') == 13
    assert re.search(r'class="score"|\(\+\d+\)', first) is None  # no bare number
    assert re.search("Priorité (urgente|haute)</strong> :", first)
    assert "Priorité normale</strong> : attend depuis" in third
