"""The publish pages: the composer shows the guard and the X cost; approvals by role; CSRF;
CSV import errors by line; the calendar shows what is scheduled."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.helpers.web import csrf_of, new_draft
from tests.web.conftest import login
from veille.publish.approvals import Actor, set_account_rule
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import PublishJob
from veille.users import create_user


def _setup(app: FastAPI) -> tuple[int, int]:
    db: Database = app.state.db
    with db.session() as session:
        create_user(session, username="marc", password="mot-de-passe-marc", role="member")
        create_user(session, username="lea", password="mot-de-passe-lea", role="manager")
        company = tables.Account(network="x", handle="PeinturesMartin", kind="company")
        masto = tables.Account(network="mastodon", handle="claire@piaille.fr", kind="personal")
        session.add_all([company, masto])
        session.flush()
        set_account_rule(
            session, actor=Actor(None, "owner"), account_id=company.id, required_role="manager"
        )
        return company.id, masto.id


def test_composer_shows_flags_and_x_cost_before_scheduling(
    app: FastAPI, client: TestClient
) -> None:
    company, masto = _setup(app)
    login(client)
    url = new_draft(
        client, "Votez Bardella ! Devis sur https://peintures-martin.fr", company, masto
    )
    page = client.get(url).text
    assert "politique" in page and "Bardella" in page
    assert "$0.200" in page  # the link makes the X post cost more
    assert "programmé" not in page.split("<h1>")[1].split("</h1>")[0]
    with app.state.db.session() as session:
        assert session.scalars(select(PublishJob)).all() == []


def test_member_waits_for_a_manager_who_approves(app: FastAPI, client: TestClient) -> None:
    company, _ = _setup(app)
    assert login(client, "marc", "mot-de-passe-marc") == 303
    url = new_draft(client, "Nos horaires d'été : 8h-18h du lundi au vendredi.", company)
    csrf = csrf_of(client.get(url).text)
    response = client.post(
        f"{url}/schedule",
        data={"scheduled_at": "2026-03-30T09:30", "csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(url).text
    assert "à valider" in page and 'value="approve"' not in page
    forged = client.post(f"{url}/approve", data={"csrf": csrf}, follow_redirects=False)
    assert forged.status_code == 403

    client.cookies.clear()
    assert login(client, "lea", "mot-de-passe-lea") == 303
    page = client.get(url).text
    assert 'value="approve"' in page
    no_token = client.post(f"{url}/approve", data={}, follow_redirects=False)
    assert no_token.status_code == 403
    reviewed = page.split('name="reviewed" value="')[1].split('"')[0]
    approved = client.post(
        f"{url}/approve", data={"csrf": csrf_of(page), "reviewed": reviewed}, follow_redirects=False
    )
    assert approved.status_code == 303
    with app.state.db.session() as session:
        jobs = session.scalars(select(PublishJob)).all()
        assert [(j.network, j.due_at.isoformat()) for j in jobs] == [
            ("x", "2026-03-30T07:30:00+00:00")  # 09:30 in Paris, summer time since the 29th
        ]
    week = client.get("/calendar?view=week&day=2026-03-30").text
    assert "09:30" in week and "Nos horaires" in week
    month = client.get("/calendar?view=month&day=2026-03-01").text
    assert "Nos horaires" in month


def test_forms_without_the_csrf_token_are_refused(app: FastAPI, client: TestClient) -> None:
    company, _ = _setup(app)
    login(client)
    response = client.post(
        "/drafts", data={"text": "Bonjour", "account": str(company)}, follow_redirects=False
    )
    assert response.status_code == 403
    response = client.post(
        "/drafts/import",
        files={"file": ("d.csv", b"text,accounts\nBonjour,PeinturesMartin\n", "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_csv_import_reports_bad_lines_and_imports_nothing(app: FastAPI, client: TestClient) -> None:
    _setup(app)
    login(client)
    csrf = csrf_of(client.get("/drafts").text)
    content = (
        "text;accounts;scheduled_at\n"
        "Bonne semaine à tous;claire@piaille.fr;2026-04-06 09:00\n"
        ";claire@piaille.fr;\n"
        "Promo peinture;inconnu;2026-04-07 09:00\n"
        "Chantier fini;claire@piaille.fr;le 8 avril\n"
        f"{'Une longue phrase sur le chantier. ' * 20};claire@piaille.fr;\n"
    ).encode()
    response = client.post(
        "/drafts/import",
        data={"csrf": csrf},
        files={"file": ("drafts.csv", content, "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "line 3: text: empty" in response.text
    assert "line 4: accounts: unknown account &#39;inconnu&#39;" in response.text
    assert "line 5: scheduled_at" in response.text
    assert "line 6: text: too long for @claire@piaille.fr (699/500); shorten it" in response.text
    with app.state.db.session() as session:
        assert session.scalars(select(tables.Draft)).all() == []
    good = b"text;accounts;scheduled_at\nBonne semaine;claire@piaille.fr;2026-10-26 09:00\n"
    response = client.post(
        "/drafts/import",
        data={"csrf": csrf},
        files={"file": ("drafts.csv", good, "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with app.state.db.session() as session:
        job = session.scalars(select(PublishJob)).one()
        assert job.due_at.isoformat() == "2026-10-26T08:00:00+00:00"  # winter time again


def test_viewer_cannot_write(app: FastAPI, client: TestClient) -> None:
    _, masto = _setup(app)
    with app.state.db.session() as session:
        create_user(session, username="vic", password="mot-de-passe-vic", role="viewer")
    login(client, "vic", "mot-de-passe-vic")
    page = client.get("/drafts")
    assert page.status_code == 200 and 'action="/drafts"' not in page.text
    csrf = (
        page.text.split('name="csrf" value="')[1].split('"')[0]
        if 'name="csrf"' in page.text
        else ""
    )
    response = client.post(
        "/drafts", data={"text": "x", "account": str(masto), "csrf": csrf}, follow_redirects=False
    )
    assert response.status_code == 403


def test_the_history_speaks_french(app: FastAPI, client: TestClient) -> None:
    company, _ = _setup(app)
    assert login(client, "marc", "mot-de-passe-marc") == 303
    url = new_draft(client, "Nos horaires d'été : 8h-18h du lundi au vendredi.", company)
    csrf = csrf_of(client.get(url).text)
    client.post(f"{url}/schedule", data={"scheduled_at": "2026-03-30T09:30", "csrf": csrf})
    history = client.get(url).text.split('class="history"')[1].split("</ul>")[0]
    assert "créé" in history and "validation demandée" in history
    assert "created" not in history and "approval_requested" not in history
