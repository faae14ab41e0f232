"""The web app as a user meets it: login, home, list with search and filters, a post's page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import login
from veille.store import counts, queries, repository, tables
from veille.store.db import Database
from veille.web import pages_posts


def test_pages_require_login(client: TestClient) -> None:
    for path in ("/", "/posts", "/posts/1"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_wrong_password_is_refused(client: TestClient) -> None:
    assert login(client, password="faux") == 401
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_without_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": "claire", "password": "bon-mot-de-passe"},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_login_attempts_are_throttled(client: TestClient) -> None:
    for _ in range(5):
        assert login(client, password="faux") == 401
    # Even the right password waits once the limit is reached.
    assert login(client) == 429


def test_session_cookie_is_httponly_and_samesite(client: TestClient) -> None:
    page = client.get("/login")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": "claire", "password": "bon-mot-de-passe", "csrf": csrf},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "veille_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_logout_needs_the_csrf_token(client: TestClient) -> None:
    assert login(client) == 303
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_open_redirect_after_login_is_refused(client: TestClient) -> None:
    page = client.get("/login")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={
            "username": "claire",
            "password": "bon-mot-de-passe",
            "csrf": csrf,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_home_shows_figures(client: TestClient) -> None:
    login(client)
    page = client.get("/")
    assert page.status_code == 200
    assert "Mentions aujourd&#39;hui" in page.text or "Mentions aujourd'hui" in page.text
    assert "Ma marque" in page.text
    assert "Content-Security-Policy" in page.headers


def test_search_folds_accents_in_the_list(client: TestClient) -> None:
    login(client)
    page = client.get("/posts", params={"q": "renovation angers"})
    assert "Rénovation terminée à Angers" in page.text
    assert "Merci Peintures Martin" not in page.text
    assert 'id="result-count">1 ' in page.text


def test_bad_search_is_explained_not_an_error(client: TestClient) -> None:
    login(client)
    page = client.get("/posts", params={"q": '"peintre'})
    assert page.status_code == 200
    assert "Recherche invalide : un guillemet n&#39;est pas fermé" in page.text
    client.cookies.set("veille_lang", "en")
    page = client.get("/posts", params={"q": '"peintre'})
    assert "Invalid search: a quote is not closed; close it or remove it" in page.text
    assert "guillemet" not in page.text


def test_hostile_post_text_is_rendered_inert(client: TestClient) -> None:
    login(client)
    page = client.get("/posts")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert "<img src=x" not in page.text


def test_post_page_shows_its_thread(client: TestClient) -> None:
    login(client)
    listing = client.get("/posts", params={"q": "confirme"})
    post_path = listing.text.split('href="/posts/')[1].split('"')[0]
    page = client.get(f"/posts/{post_path}")
    assert "Conversation (2)" in page.text
    assert "la façade est superbe" in page.text
    assert client.get("/posts/99999").status_code == 404


def test_english_interface(client: TestClient) -> None:
    login(client)
    client.get("/lang/en?next=/posts")
    page = client.get("/posts")
    assert "Include posts outside watches" in page.text


def test_empty_filters_from_the_form_are_fine(client: TestClient) -> None:
    login(client)
    page = client.get("/posts?q=angers&watch=&sentiment=&network=&since=&until=&page=")
    assert page.status_code == 200
    assert "Rénovation terminée" in page.text


def test_intent_filter_uses_every_present_intent(client: TestClient, db: Database) -> None:
    with db.session() as session:
        ids = {p.network_post_id: p.id for p in session.scalars(select(tables.Post))}
        repository.insert_enrichments(
            session,
            [
                {
                    "post_id": ids["1"],
                    "kind": "intents",
                    "label": "praise",
                    "score": 0.9,
                    "data": {"present": ["praise", "lead"], "scores": {"lead": 0.6}},
                },
                {
                    "post_id": ids["3"],
                    "kind": "intents",
                    "label": "other",
                    "score": None,
                    "data": {"present": [], "scores": {"lead": 0.1}},
                },
            ],
        )
        counts.rebuild(session)  # what the pipeline keeps up to date
    login(client)
    page = client.get("/posts", params={"intent": "lead"})
    assert 'id="result-count">1 ' in page.text and "la façade est superbe" in page.text
    assert "piste" in page.text  # the badge


def test_a_list_past_the_count_cap_says_more_than_and_pages_to_the_cap(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every post of a million is not counted to print the number: past the cap the list says
    "more than" and how to narrow it (the cap made small here: the app has four posts)."""
    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    monkeypatch.setattr(pages_posts, "PAGE_SIZE", 1)
    login(client)
    page = client.get("/posts").text
    assert "Plus de 2 résultats : affinez la liste" in page
    assert "1 / 2" in page  # pages stop at the cap
    assert client.get("/posts", params={"page": "2"}).text.count('class="text"') == 1
    assert 'class="text"' not in client.get("/posts", params={"page": "3"}).text
    narrowed = client.get("/posts", params={"q": "renovation"}).text  # counted exactly
    assert 'id="result-count">1 ' in narrowed and "Plus de" not in narrowed
