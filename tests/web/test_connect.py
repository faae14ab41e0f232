"""Accounts connected in the browser, against local servers speaking each network's OAuth:
X (OAuth 2.0 with PKCE: the server checks the verifier against the challenge), Mastodon (app
registered on the instance, then the authorization code), Bluesky (app password checked by
logging in), a news feed (checked to be a feed)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.helpers.web import csrf_of
from tests.sources.servers import HttpServer, Request, Response, http_server
from tests.web.conftest import login
from veille.accounts import account_credentials
from veille.config import Settings
from veille.crypto import SecretBox
from veille.sources.connect import Endpoints
from veille.sources.db_stores import stored_token
from veille.store import tables
from veille.store.db import Database
from veille.users import create_user
from veille.web.app import create_app

ACCESS = "x-access-token-0001"
REFRESH = "x-refresh-token-0001"
MASTODON_TOKEN = "masto-token-abc"
RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Sud Ouest</title><link>https://www.sudouest.fr/</link>
<item><title>Bordeaux : le marche aux fleurs rouvre</title><link>https://www.sudouest.fr/a</link>
<guid>a-1</guid><pubDate>Fri, 20 Nov 2026 08:00:00 +0100</pubDate></item></channel></rss>"""


def _form(req: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(req.body.decode()).items()}


class Networks:
    """One local server answering as X, a Mastodon instance, a Bluesky PDS and a news site."""

    def __init__(self) -> None:
        self.challenges: list[str] = []  # X code challenges seen on the authorize page

    def __call__(self, req: Request) -> Response:
        if req.path == "/2/oauth2/token":
            form = _form(req)
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if form.get("code") != "x-code" or challenge not in self.challenges:
                return Response(400, {"error": "invalid_request"})
            body = {"token_type": "bearer", "expires_in": 7200, "access_token": ACCESS}
            return Response(body={**body, "scope": "tweet.write", "refresh_token": REFRESH})
        if req.path == "/api/v1/apps":
            form = _form(req)
            app = {"id": "7", "name": form["client_name"], "redirect_uri": form["redirect_uris"]}
            return Response(body={**app, "client_id": "m-client", "client_secret": "m-secret"})
        if req.path == "/oauth/token":
            form = _form(req)
            if (form.get("code"), form.get("client_secret")) != ("m-code", "m-secret"):
                return Response(400, {"error": "invalid_grant"})
            return Response(body={"access_token": MASTODON_TOKEN, "token_type": "Bearer"})
        if req.path == "/api/v1/accounts/verify_credentials":
            if req.headers.get("authorization") != f"Bearer {MASTODON_TOKEN}":
                return Response(401, {"error": "The access token is invalid"})
            return Response(
                body={"id": "1", "username": "fleursdumarais", "acct": "fleursdumarais"}
            )
        if req.path == "/xrpc/com.atproto.server.createSession":
            if (req.json() or {}).get("password") != "abcd-efgh-ijkl-mnop":
                message = "Invalid identifier or password"
                return Response(401, {"error": "AuthenticationRequired", "message": message})
            session = {"accessJwt": "a.b.c", "refreshJwt": "d.e.f", "did": "did:plc:fleurs"}
            return Response(body={**session, "handle": "fleurs.bsky.social"})
        if req.path == "/rss.xml":
            return Response(body=RSS, headers={"Content-Type": "application/rss+xml"})
        if req.path == "/page.html":
            return Response(body=b"<html><body>Pas un fil</body></html>")
        return Response(404, {"error": "not found"})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The networks here are one server on 127.0.0.1: this instance allows local addresses."""
    return Settings(data_dir=tmp_path / "data", allow_private_urls=True, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def networks() -> Iterator[tuple[HttpServer, Networks]]:
    app = Networks()
    with http_server(app) as server:
        yield server, app


@pytest.fixture
def browser(
    settings: Settings, db: Database, networks: tuple[HttpServer, Networks]
) -> Iterator[TestClient]:
    server, _ = networks
    with db.session() as session:
        create_user(session, username="marc", password="bon-mot-de-passe", role="manager")
        create_user(session, username="mila", password="bon-mot-de-passe", role="member")
    app = create_app(settings, db)
    app.state.connect_endpoints = Endpoints(
        x_api=server.url, x_authorize=f"{server.url}/i/oauth2/authorize", bluesky_pds=server.url
    )
    with TestClient(app) as client:
        assert login(client, "marc") == 303
        yield client


def _submit(client: TestClient, path: str, data: dict[str, str]) -> Any:
    csrf = csrf_of(client.get("/accounts").text)
    return client.post(path, data={**data, "csrf": csrf}, follow_redirects=False)


def _leave_url(page: str) -> str:
    return page.split('id="authorize" href="')[1].split('"')[0].replace("&amp;", "&")


def _account(
    db: Database, settings: Settings, network: str
) -> tuple[tables.Account, dict[str, str]]:
    with db.session() as session:
        account = session.query(tables.Account).filter_by(network=network).one()
        session.expunge(account)
    return account, account_credentials(SecretBox(settings.resolved_secret_key()), account)


def test_x_by_oauth2_with_pkce(
    browser: TestClient, db: Database, settings: Settings, networks: tuple[HttpServer, Networks]
) -> None:
    _, app = networks
    page = _submit(
        browser, "/accounts/connect/x", {"handle": "@fleursdumarais", "client_id": "cid"}
    )
    assert page.status_code == 200
    url = _leave_url(page.text)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{networks[0].url}/i/oauth2/authorize?")
    assert query["code_challenge_method"] == "S256" and query["client_id"] == "cid"
    assert query["redirect_uri"] == "http://127.0.0.1:8000/accounts/connect/x/callback"
    app.challenges.append(query["code_challenge"])  # the user says yes on X

    forged = browser.get("/accounts/connect/x/callback?state=forged&code=x-code")
    assert forged.status_code == 400 and "connexion : cette connexion" in forged.text
    done = browser.get(
        f"/accounts/connect/x/callback?state={query['state']}&code=x-code", follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/accounts"
    account, credentials = _account(db, settings, "x")
    assert (account.handle, account.state) == ("fleursdumarais", "connected")
    token = stored_token(credentials, "x:fleursdumarais")
    assert (
        token is not None and token["access_token"] == ACCESS and token["refresh_token"] == REFRESH
    )
    assert ACCESS not in (account.credentials_encrypted or "")
    listing = browser.get("/accounts").text
    assert "fleursdumarais" in listing and ACCESS not in listing and REFRESH not in listing
    again = browser.get(f"/accounts/connect/x/callback?state={query['state']}&code=x-code")
    assert again.status_code == 400  # a state is used once


def test_x_refused_on_x_or_by_someone_else(browser: TestClient, db: Database) -> None:
    page = _submit(browser, "/accounts/connect/x", {"handle": "fleurs", "client_id": "cid"})
    state = parse_qs(urlsplit(_leave_url(page.text)).query)["state"][0]
    refused = browser.get(f"/accounts/connect/x/callback?state={state}&error=access_denied")
    assert refused.status_code == 400 and "access_denied" in refused.text
    page = _submit(browser, "/accounts/connect/x", {"handle": "fleurs", "client_id": "cid"})
    state = parse_qs(urlsplit(_leave_url(page.text)).query)["state"][0]
    browser.cookies.clear()
    login(browser, "mila")
    assert browser.get(f"/accounts/connect/x/callback?state={state}&code=x-code").status_code == 403
    with db.session() as session:
        assert session.query(tables.Account).count() == 0


def test_mastodon_registers_the_app_then_takes_the_code(
    browser: TestClient, db: Database, settings: Settings, networks: tuple[HttpServer, Networks]
) -> None:
    server, _ = networks
    page = _submit(browser, "/accounts/connect/mastodon", {"instance_url": server.url})
    url = _leave_url(page.text)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{server.url}/oauth/authorize?") and query["client_id"] == "m-client"
    assert query["scope"] == "read write"
    done = browser.get(
        f"/accounts/connect/mastodon/callback?state={query['state']}&code=m-code",
        follow_redirects=False,
    )
    assert done.status_code == 303
    account, credentials = _account(db, settings, "mastodon")
    assert account.handle == "fleursdumarais@127.0.0.1"
    assert credentials == {"instance_url": server.url, "access_token": MASTODON_TOKEN}
    with db.session() as session:  # the app's secret went with the flow
        keys = [k for (k,) in session.query(tables.Setting.key)]
        assert not any(k.startswith("connect:") for k in keys)


def test_bluesky_app_password_is_checked_before_saving(
    browser: TestClient, db: Database, settings: Settings
) -> None:
    form = {"handle": "fleurs.bsky.social", "app_password": "wrong-pass"}
    refused = _submit(browser, "/accounts/connect/bluesky", form)
    assert refused.status_code == 400 and "Invalid identifier or password" in refused.text
    assert "wrong-pass" not in refused.text
    done = _submit(
        browser, "/accounts/connect/bluesky", {**form, "app_password": "abcd-efgh-ijkl-mnop"}
    )
    assert done.status_code == 303
    account, credentials = _account(db, settings, "bluesky")
    assert account.state == "connected" and credentials == {"app_password": "abcd-efgh-ijkl-mnop"}


def test_a_feed_is_checked_to_be_a_feed(
    browser: TestClient, db: Database, settings: Settings, networks: tuple[HttpServer, Networks]
) -> None:
    server, _ = networks
    page = _submit(browser, "/accounts/connect/news", {"feed_url": f"{server.url}/page.html"})
    assert page.status_code == 400 and "pas un flux RSS ou Atom" in page.text
    missing = _submit(browser, "/accounts/connect/news", {"feed_url": f"{server.url}/nope"})
    assert missing.status_code == 400 and "HTTP 404" in missing.text
    done = _submit(browser, "/accounts/connect/news", {"feed_url": f"{server.url}/rss.xml"})
    assert done.status_code == 303
    _, credentials = _account(db, settings, "news")
    assert credentials == {"feed_url": f"{server.url}/rss.xml"}


def test_a_feed_on_a_private_address_is_refused_by_default(tmp_path: Path, db: Database) -> None:
    strict = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    with db.session() as session:
        create_user(session, username="marc", password="bon-mot-de-passe", role="manager")
    with TestClient(create_app(strict, db)) as client:
        login(client, "marc")
        page = _submit(client, "/accounts/connect/news", {"feed_url": "http://192.168.1.1/rss"})
    assert page.status_code == 400 and "adresse privée ou locale" in page.text
