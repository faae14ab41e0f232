"""The approval rules are set from the publishing settings page: a manager makes an account's
posts need a manager, the owner makes high-risk posts need one; the drafts then wait."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import login
from veille.publish.approvals import high_risk_needs_manager
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import ApprovalRule
from veille.users import create_user

PAGE = "/calendar/slots"


def _team(app: FastAPI) -> int:
    db: Database = app.state.db
    with db.session() as session:
        for name, role in (("lea", "manager"), ("marc", "member"), ("vic", "viewer")):
            create_user(session, username=name, password=f"mot-de-passe-{name}", role=role)
        account = tables.Account(network="mastodon", handle="martin@piaille.fr", kind="company")
        session.add(account)
        session.flush()
        return account.id


def _as(client: TestClient, name: str) -> str:
    client.cookies.clear()
    password = "bon-mot-de-passe" if name == "claire" else f"mot-de-passe-{name}"
    assert login(client, name, password) == 303
    return client.get(PAGE).text.split('name="csrf" value="')[1].split('"')[0]


def _rule(app: FastAPI, account: int) -> str | None:
    with app.state.db.session() as session:
        rule = session.get(ApprovalRule, account)
        return None if rule is None else rule.required_role


def test_a_manager_sets_an_account_rule_and_a_member_then_waits(
    app: FastAPI, client: TestClient
) -> None:
    account = _team(app)
    csrf = _as(client, "lea")
    form = {"csrf": csrf, "account_id": str(account), "required_role": "manager"}
    response = client.post("/calendar/approvals", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].endswith("#approvals")
    assert _rule(app, account) == "manager"
    page = client.get(PAGE).text
    assert '<option value="manager" selected>validé par un responsable</option>' in page
    bad = client.post("/calendar/approvals", data={**form, "required_role": "member"})
    assert bad.status_code == 400 and "rôle : choisissez responsable ou propriétaire" in bad.text
    unknown = client.post("/calendar/approvals", data={**form, "account_id": "999"})
    assert unknown.status_code == 400 and "compte : le compte 999" in unknown.text

    csrf = _as(client, "marc")  # a member cannot change rules, and now waits for approval
    assert "validé par un responsable" in client.get(PAGE).text
    refused = client.post("/calendar/approvals", data={**form, "csrf": csrf, "required_role": ""})
    assert refused.status_code == 403 and _rule(app, account) == "manager"
    draft = client.post(
        "/drafts",
        data={"text": "Chantier terminé rue Saint-Laud.", "account": str(account), "csrf": csrf},
        follow_redirects=False,
    )
    schedule = draft.headers["location"] + "/schedule"
    data = {"scheduled_at": "2030-05-06T09:00", "csrf": csrf}
    assert client.post(schedule, data=data, follow_redirects=False).status_code == 303
    with app.state.db.session() as session:
        assert session.query(tables.Draft).one().status == "pending_approval"

    csrf = _as(client, "lea")  # removing the rule
    client.post("/calendar/approvals", data={**form, "csrf": csrf, "required_role": ""})
    assert _rule(app, account) is None


def test_only_the_owner_sets_high_risk_needs_a_manager(app: FastAPI, client: TestClient) -> None:
    _team(app)
    for name in ("lea", "marc", "vic"):
        csrf = _as(client, name)
        assert 'action="/calendar/approvals/policy"' not in client.get(PAGE).text
        data = {"csrf": csrf, "high_risk_needs_manager": "on"}
        assert client.post("/calendar/approvals/policy", data=data).status_code == 403
    csrf = _as(client, "claire")
    data = {"csrf": csrf, "high_risk_needs_manager": "on"}
    response = client.post("/calendar/approvals/policy", data=data, follow_redirects=False)
    assert response.status_code == 303
    with app.state.db.session() as session:
        assert high_risk_needs_manager(session)
    assert 'name="high_risk_needs_manager" value="on" checked' in client.get(PAGE).text
    client.post("/calendar/approvals/policy", data={"csrf": csrf})  # unticked: off again
    with app.state.db.session() as session:
        assert not high_risk_needs_manager(session)
    _as(client, "vic")
    assert "doit être validé par un responsable : non" in client.get(PAGE).text
