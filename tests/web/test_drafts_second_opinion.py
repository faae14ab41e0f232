"""The draft page's second opinion: offered only when a language model is set, asked over
real HTTP, shown beside the guard's flags with the model's words escaped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import sync_playwright

from tests.helpers.browser import CHROMIUM_FLAGS, chromium, sign_in
from tests.helpers.web import company_accounts, csrf_of, new_draft
from tests.sources.servers import Request, Response, http_server
from tests.web.conftest import login
from veille.config import Settings
from veille.crypto import SecretBox
from veille.inbox import assistant

KEY = "sk-draft-opinion-key"
TEXT = "Ravis d'avoir refait la façade de M. Giraud, qui ne paie jamais ses factures à temps !"
BUTTON = "Demander un second avis au modèle de langue"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The model here is a server on 127.0.0.1: this instance allows local addresses."""
    return Settings(data_dir=tmp_path / "data", allow_private_urls=True, _env_file=None)  # type: ignore[call-arg]


def model(seen: list[dict[str, Any]]) -> Any:
    def app(req: Request) -> Response:
        if req.headers.get("authorization") != f"Bearer {KEY}":
            return Response(401, {"error": {"message": "bad key"}})
        seen.append(req.json())
        risk = {
            "category": "confidential",
            "quote": "qui ne paie jamais ses factures à temps",
            "reason": "<script>alert(1)</script> Un client nommé et ses impayés.",
        }
        content = json.dumps({"risks": [risk]}, ensure_ascii=False)
        return Response(body={"choices": [{"message": {"role": "assistant", "content": content}}]})

    return app


def test_without_a_model_there_is_no_button_and_asking_says_where_to_set_one(
    app: FastAPI, client: TestClient
) -> None:
    account = company_accounts(app.state.db, {"x": "PeinturesMartin"})["x"]
    login(client)
    url = new_draft(client, TEXT, account)
    page = client.get(url).text
    assert BUTTON not in page
    response = client.post(f"{url}/second-opinion", data={"csrf": csrf_of(page)})
    assert response.status_code == 400
    assert "aucun modèle de langue n&#39;est réglé" in response.text
    assert "Réponses et routage" in response.text


def test_the_model_reads_each_text_and_its_words_are_shown_escaped(
    app: FastAPI, client: TestClient
) -> None:
    accounts = company_accounts(app.state.db, {"x": "PeinturesMartin", "bluesky": "pm.bsky"})
    login(client)
    seen: list[dict[str, Any]] = []
    with http_server(model(seen)) as server:
        csrf = csrf_of(client.get("/inbox/settings").text)
        form = {"base_url": server.url, "model": "petit-modele", "api_key": KEY, "csrf": csrf}
        assert client.post("/inbox/settings/assistant", data=form).status_code == 200
        url = new_draft(client, TEXT, *accounts.values())
        page = client.get(url).text
        assert BUTTON in page and seen == []  # never asked on its own
        assert client.post(f"{url}/second-opinion", data={}).status_code == 403  # CSRF
        response = client.post(f"{url}/second-opinion", data={"csrf": csrf_of(page)})
    assert response.status_code == 200
    assert len(seen) == 1  # two accounts, one text: asked once
    assert TEXT in seen[0]["messages"][1]["content"]
    html = response.text
    section = html.split("Second avis du modèle de langue</h3>")[1]
    flag = section.split("</li>")[0]
    assert "<strong>confidentiel</strong> (moyen)" in flag and "Un client nommé" in flag
    assert "qui ne paie jamais ses factures à temps" in section
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert KEY not in html


@pytest.mark.browser
def test_in_a_browser_the_button_brings_the_opinion_beside_the_guards_flags(
    app: FastAPI, live_url: str
) -> None:
    account = company_accounts(app.state.db, {"x": "PeinturesMartin"})["x"]
    seen: list[dict[str, Any]] = []
    with http_server(model(seen)) as server, sync_playwright() as pw:
        settings: Settings = app.state.settings
        with app.state.db.session() as session:
            assistant.save(
                session,
                SecretBox(settings.resolved_secret_key()),
                base_url=server.url,
                model="petit-modele",
                api_key=KEY,
                role="owner",
                allow_private=True,
            )
        browser = pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            sign_in(page, live_url, "/drafts")
            page.fill("#draft-text", TEXT)
            page.check(f"input[name=account][value='{account}']")
            page.click("form.composer button[type=submit]:not([name])")
            page.wait_for_url(f"{live_url}/drafts/*")
            page.click(f"text={BUTTON}")
            page.wait_for_selector("text=Second avis du modèle de langue")
            opinion = page.inner_text(".second-opinion")
            assert "confidentiel" in opinion and "Un client nommé et ses impayés." in opinion
            assert "<script>" in opinion  # shown as text, never run
            assert len(seen) == 1
        finally:
            browser.close()


def test_a_stored_key_the_secret_cannot_read_is_named_as_such(
    app: FastAPI, client: TestClient
) -> None:
    account = company_accounts(app.state.db, {"x": "PeinturesMartin"})["x"]
    with app.state.db.session() as session:  # a key stored under another secret key
        assistant.save(
            session,
            SecretBox("another-secret-key-0123456789"),
            base_url="http://127.0.0.1:9/v1",
            model="petit-modele",
            api_key=KEY,
            role="owner",
            allow_private=True,
        )
    login(client)
    url = new_draft(client, TEXT, account)
    page = client.get(url).text
    assert BUTTON in page
    response = client.post(f"{url}/second-opinion", data={"csrf": csrf_of(page)})
    assert response.status_code == 400
    assert "ne peut pas être lue avec la clé secrète" in response.text and KEY not in response.text
