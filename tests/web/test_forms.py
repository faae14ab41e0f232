"""Every form forgives: posted empty or invalid, it comes back filled in as typed with its
errors beside the fields, inside the normal layout; never a bare page, never a 500."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update

from tests.helpers.crawl import Form, crawl, read, routes_of, template_of
from tests.helpers.interface_words import (
    ALLOWED,
    catalog_words,
    foreign_words,
    interface_text,
    vocabulary,
)
from tests.helpers.web import csrf_at, new_draft, sign_in_as
from tests.web.conftest import login
from veille.accounts import connect_account
from veille.config import Settings
from veille.crypto import SecretBox
from veille.inbox import assistant, routing, team
from veille.store import tables
from veille.store.db import Database
from veille.workspaces import add_member, create

# Forms a signed-in person does not see: they are opened signed out, from an e-mail or a link.
SIGNED_OUT = {"/login", "/password/forgot", "/password/reset/{token}", "/invite/{token}"}
TYPED = {"text", "textarea", "email", "url", "number", "search", "tel", "time", "date"}
TYPED |= {"datetime-local"}
REFUSED = {400, 409, 422, 429}
ENGLISH = vocabulary("en", catalog_words())


def _data(form: Form, case: str) -> tuple[dict[str, list[str]], list[str]]:
    """The form's hidden values with its visible fields ``empty`` or ``invalid``; the marks
    typed in the text fields (a text no number, time, address or id can be)."""
    data: dict[str, list[str]] = {}
    typed = []
    for index, item in enumerate(form.fields):
        if item.kind == "hidden":
            value = item.value
        elif item.kind in {"checkbox", "radio", "submit", "file", "button"}:
            continue
        elif case == "empty" or item.kind == "password":
            value = ""
        elif item.kind == "select":
            value = "choix-inconnu"
        else:
            value = f"«saisie {index} é»"
            typed.append(value)
        data.setdefault(item.name, []).append(value)
    return data, typed


def _check(form: Form, case: str, response: Response, signed_in: bool) -> list[str]:
    """What is wrong with the answer to one post (empty when nothing is)."""
    where = f"{case} {form.action} (from {form.page}) → {response.status_code}"
    problems = []
    if response.status_code >= 500:
        problems.append(f"{where}: server error")
    if response.status_code in (301, 302, 303, 307):
        return problems
    page = response.text
    if '<header class="top">' not in page or (signed_in and "<nav>" not in page):
        problems.append(f"{where}: a bare page, without the layout and its navigation")
    if response.status_code in REFUSED:
        if 'role="alert"' not in page:
            problems.append(f"{where}: no error shown")
        typed = _data(form, case)[1]
        lost = [mark for mark in typed if mark not in page]
        if lost:
            problems.append(f"{where}: lost what was typed {lost}")
    if response.status_code >= 400:  # every refusal in the reader's language (French here)
        english = foreign_words(interface_text(page)[0], "fr", vocabulary=ENGLISH, allowed=ALLOWED)
        if english:
            problems.append(f"{where}: English on a French page {sorted(english)}")
    return problems


def _post_everything(
    client: TestClient, forms: list[Form], signed_in: bool
) -> tuple[list[str], set[str]]:
    """What went wrong, and the forms that came back refused (with their values, checked)."""
    problems = []
    refused = set()
    for form in forms:
        for case in ("empty", "invalid"):
            # A fresh copy of the form: a refused post renews a signed-out form's token.
            fresh = read(form.page, client.get(form.page).text).forms
            form = next((f for f in fresh if f.action == form.action), form)
            data, _ = _data(form, case)
            response = client.post(
                form.action,
                data=data,
                headers={"referer": f"http://testserver{form.page}"},
                follow_redirects=False,
            )
            problems += _check(form, case, response, signed_in)
            if response.status_code in REFUSED:
                refused.add(form.action)
    return problems, refused


def _every_state(client: TestClient, db: Database, settings: Settings, ids: dict[str, int]) -> None:
    """Enough of everything for every form to show: a queue slot, drafts and replies waiting
    for approval, a reply that failed."""
    csrf = sign_in_as(client, "claire")
    account = ids["account"]
    for path, form in (
        ("/calendar/slots", {"account_id": account, "weekday": 0, "wall_clock": "09:30"}),
        ("/calendar/approvals", {"account_id": account, "required_role": "owner"}),
    ):
        assert client.post(path, data={**form, "csrf": csrf}).status_code == 200
    with db.session() as session:
        routing.set_needs_approval(session, account_id=account, needs_approval=True)
        broken = connect_account(
            session,
            SecretBox(settings.resolved_secret_key()),
            network="mastodon",
            handle="martin_bis",
            label="Ancien compte",
            kind="company",
            credentials={"instance_url": "http://127.0.0.1:9", "access_token": "perime"},
        )
        broken_id = broken.id
        # A language model nothing answers at: a draft's second-opinion form shows.
        assistant.save(
            session,
            SecretBox(settings.resolved_secret_key()),
            base_url="http://127.0.0.1:9/v1",
            model="petit-modele",
            api_key="",
            role="owner",
            allow_private=True,
        )
    csrf = sign_in_as(client, "mila")
    draft = new_draft(client, "Bonjour à tous", account)
    assert client.post(f"{draft}/queue", data={"csrf": csrf}).status_code == 200
    for item, via in (("complaint", broken_id), ("complaint", account)):
        reply = {"csrf": csrf, "account_id": via, "text": "Bonjour, on s'en occupe."}
        # The second account is out of reach: its reply fails and waits for a retry.
        assert client.post(f"/inbox/{ids[item]}/reply", data=reply).status_code in (200, 400)
    sign_in_as(client, "claire")
    new_draft(client, "Un brouillon à relire", account)
    with db.session(workspace_id=None) as session:  # a second business: the switcher shows
        create(session, slug="atelier-bis", name="Atelier bis")
        add_member(session, slug="atelier-bis", username="claire", role="manager")


def test_every_form_forgives_empty_and_invalid_values(
    app: FastAPI, client: TestClient, db: Database, settings: Settings, ids: dict[str, int]
) -> None:
    _every_state(client, db, settings, ids)
    pages = crawl(client)
    forms = [f for r in pages.values() for f in r.forms if f.method == "post"]
    forms = [f for f in forms if f.action != "/logout"]
    posted = routes_of(app, "POST")
    seen = {template_of(f.action.split("?")[0], posted) for f in forms}
    missing = set(posted) - seen - SIGNED_OUT - {"/logout"}
    assert missing == set(), "POST routes no page's form reaches"
    problems, refused = _post_everything(client, forms, signed_in=True)
    assert problems == [], "\n".join(problems)
    assert len(refused) >= 20  # most forms refuse empty values: the check is not idle


def test_signed_out_forms_forgive_too(client: TestClient, db: Database) -> None:
    with db.session() as session:
        invitation = team.invite(session, role="member", created_by=None)
    pages = ("/login", "/password/forgot", "/password/reset/jeton", f"/invite/{invitation}")
    forms = [f for p in pages for f in read(p, client.get(p).text).forms if f.method == "post"]
    assert {f.action for f in forms} >= {"/login", "/password/forgot"}
    problems, refused = _post_everything(client, forms, signed_in=False)
    assert problems == [], "\n".join(problems)
    assert {"/login", "/password/forgot"} <= refused


def test_a_form_posted_without_referer_comes_back_from_the_page_above(
    client: TestClient, ids: dict[str, int]
) -> None:
    """The calendar's slot form, refused by FastAPI (no number), comes back as typed."""
    assert login(client) == 303
    csrf = csrf_at(client, "/calendar/slots")
    response = client.post(
        "/calendar/slots",
        data={"csrf": csrf, "account_id": "abc", "weekday": "2", "wall_clock": "9h30"},
    )
    assert response.status_code == 400
    assert 'value="9h30"' in response.text
    assert "Un nombre entier est attendu." in response.text
    assert "<nav>" in response.text


def test_a_refusal_naming_a_field_is_shown_beside_it(
    client: TestClient, ids: dict[str, int]
) -> None:
    """The route's own refusal ("time: …") moves from the top of the page to its field."""
    csrf = sign_in_as(client, "claire")
    form = {"csrf": csrf, "account_id": ids["account"], "weekday": "2", "wall_clock": "9h30"}
    page = client.post("/calendar/slots", data=form).text
    beside = page.split('name="wall_clock"')[1].split("</label>")[0]
    assert 'aria-invalid="true"' in beside and "pas une heure comme 09:30" in beside
    assert 'value="9h30"' in beside
    assert page.count("pas une heure comme 09:30") == 1  # not repeated at the top
    form = {"csrf": csrf, "text": "   ", "account": str(ids["account"])}
    page = client.post("/drafts", data=form).text
    beside = page.split('name="text"')[1].split("</label>")[0]
    assert "le brouillon est vide" in beside
    assert f'value="{ids["account"]}" data-network="mastodon" checked="checked"' in page


def test_errors_speak_the_users_language_and_keep_the_navigation(
    client: TestClient, db: Database, ids: dict[str, int]
) -> None:
    with db.session() as session:  # her own choice, kept with her account (no cookie)
        session.execute(update(tables.User).values(language="en"))
    csrf = sign_in_as(client, "claire")
    page = client.post("/calendar/slots", data={"csrf": csrf, "account_id": "", "weekday": "x"})
    assert page.status_code == 400
    assert "A whole number is expected." in page.text and "Un nombre" not in page.text
    # A bad value in an address (no form to go back to): the message inside the layout.
    page = client.get("/inbox/figures?days=beaucoup")
    assert page.status_code == 400 and "<nav>" in page.text
    assert "This address holds an invalid value: days : A whole number is expected." in page.text
    assert "Requête invalide" not in page.text
