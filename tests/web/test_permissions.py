"""Who may change what: every state-changing route declares one permission (checked with the
CSRF token by one dependency), and a forged or missing token or a too-low role is refused."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.testclient import TestClient

from tests.helpers.routes import api_routes
from tests.web.conftest import login
from veille.permissions import GRANTS, PUBLIC, ROLES, Permission, at_least, can
from veille.store import tables
from veille.store.db import Database
from veille.users import create_user
from veille.web.deps import PermissionCheck

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
PASSWORD = "mot-de-passe-equipe"


def _checks(dependant: Dependant) -> list[PermissionCheck]:
    found = [d.call for d in dependant.dependencies if isinstance(d.call, PermissionCheck)]
    for sub in dependant.dependencies:
        found += _checks(sub)
    return found


def test_every_state_changing_route_declares_one_permission(app: FastAPI) -> None:
    routes = [r for r in api_routes(app.routes) if r.methods & STATE_CHANGING]
    assert len(routes) > 30  # the walk sees the routers, not an empty list
    missing = [f"{sorted(r.methods)} {r.path}" for r in routes if not _checks(r.dependant)]
    assert missing == []
    several = [r.path for r in routes if len(_checks(r.dependant)) != 1]
    assert several == []


def test_roles_hold_what_the_docs_say() -> None:
    assert ROLES == ("owner", "manager", "member", "viewer")
    assert GRANTS["viewer"] == {Permission.SIGN_OUT}
    member_writes = {Permission.EDIT_WATCHES, Permission.WRITE_DRAFTS, Permission.TRIAGE}
    assert GRANTS["member"] == GRANTS["viewer"] | member_writes
    assert not can("member", Permission.APPROVE_REPLIES) and can("manager", Permission.INVITE)
    assert GRANTS["owner"] - GRANTS["manager"] == {
        Permission.SET_APPROVAL_POLICY,
        Permission.SET_ASSISTANT_ENDPOINT,
    }
    assert set(Permission) == GRANTS["owner"] | PUBLIC
    assert can(None, Permission.SIGN_IN) and not can(None, Permission.SIGN_OUT)
    assert not can("admin", Permission.EDIT_WATCHES)  # an unknown role holds nothing
    assert at_least("owner", "manager") and not at_least("member", "manager")


@pytest.fixture
def team(app: FastAPI) -> dict[str, int]:
    db: Database = app.state.db
    with db.session() as session:
        for role in ("manager", "member", "viewer"):
            create_user(session, username=role, password=PASSWORD, role=role)
        account = tables.Account(network="mastodon", handle="martin@piaille.fr", kind="company")
        session.add(account)
        session.flush()
        draft = tables.Draft(text="Bonjour", account_id=account.id, status="draft", media=[])
        session.add(draft)
        session.flush()
        return {"account": account.id, "draft": draft.id}


def _as(client: TestClient, username: str) -> str:
    client.cookies.clear()
    password = "bon-mot-de-passe" if username == "claire" else PASSWORD
    assert login(client, username, password) == 303
    page = client.get("/team").text
    return page.split('name="csrf" value="')[1].split('"')[0]


def _forms(ids: dict[str, int]) -> list[tuple[str, dict[str, Any], str]]:
    """A sample of routes, each with a valid form and the lowest role it refuses."""
    return [
        ("/watches/save", {"name": "Veille", "kind": "brand", "rules": "peinture"}, "viewer"),
        ("/drafts", {"text": "Bonjour", "account": str(ids["account"])}, "viewer"),
        (f"/drafts/{ids['draft']}/comment", {"text": "Relu"}, "viewer"),
        (f"/drafts/{ids['draft']}/approve", {"decision": "approve"}, "member"),
        ("/calendar/evergreen", {"gap_days": "30"}, "member"),
        ("/accounts", {"network": "x", "handle": "m", "kind": "company"}, "member"),
        ("/inbox/settings/routing", {}, "member"),
        ("/team/invitations", {"role": "member"}, "member"),
    ]


def test_forged_or_missing_csrf_tokens_are_refused(
    client: TestClient, team: dict[str, int]
) -> None:
    _as(client, "claire")  # the owner: only the token is wrong
    for path, form, _ in _forms(team):
        for token in ({}, {"csrf": "forged"}):
            response = client.post(path, data={**form, **token}, follow_redirects=False)
            assert response.status_code == 403, (path, token)
            assert "Action refusée." in response.text, path
    response = client.post("/logout", data={"csrf": "forged"})
    assert response.status_code == 403 and "CSRF" in response.text
    assert client.get("/", follow_redirects=False).status_code == 200  # still signed in


def test_a_role_too_low_is_refused_even_with_the_right_token(
    client: TestClient, team: dict[str, int]
) -> None:
    for path, form, refused in _forms(team):
        csrf = _as(client, refused)
        response = client.post(path, data={**form, "csrf": csrf}, follow_redirects=False)
        assert response.status_code == 403, (path, refused)


def test_signed_out_forms_go_to_the_login_page(client: TestClient, team: dict[str, int]) -> None:
    response = client.post("/drafts", data={"text": "x", "csrf": "x"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_stale_login_form_is_shown_again_with_its_next_page(client: TestClient) -> None:
    client.get("/login")
    response = client.post(
        "/login",
        data={"username": "claire", "password": "bon-mot-de-passe", "next": "/drafts"},
    )
    assert response.status_code == 403
    assert 'value="/drafts"' in response.text and 'name="csrf"' in response.text
