"""Editing a watch: live validation, preview among stored posts, save and re-match, permissions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import login
from veille.store import tables
from veille.store.db import Database
from veille.users import create_user


def _csrf(client: TestClient) -> str:
    page = client.get("/watches/new")
    return page.text.split('name="csrf" value="')[1].split('"')[0]


def test_live_check_gives_the_tree_or_the_error_with_its_caret(client: TestClient) -> None:
    login(client)
    ok = client.get("/api/rules/check", params={"rule": "peintre (angers OR trelaze)"}).json()
    assert ok["ok"] is True and ok["tree"]
    bad = client.get("/api/rules/check", params={"rule": "peintre (angers OR trelaze"}).json()
    assert bad["ok"] is False
    assert "parenthèse" in bad["error"]["message"] and "^" in bad["error"]["caret"]


def test_invalid_rules_are_refused_with_the_line_and_reason(client: TestClient) -> None:
    login(client)
    response = client.post(
        "/watches/save",
        data={
            "csrf": _csrf(client),
            "name": "Pistes",
            "kind": "leads",
            "rules": "peintre angers\nlang:",
        },
    )
    assert response.status_code == 400
    assert "Ligne 2" in response.text and "lang:" in response.text


def test_preview_counts_stored_posts_without_saving(client: TestClient, db: Database) -> None:
    login(client)
    response = client.post(
        "/watches/save",
        data={
            "csrf": _csrf(client),
            "name": "Chantiers",
            "kind": "local",
            "rules": "renovation angers",
            "action": "preview",
        },
    )
    assert response.status_code == 200
    assert "1 publications récentes sur 4 correspondraient" in response.text
    assert "Rénovation terminée à Angers" in response.text
    with db.session() as session:
        assert session.scalar(select(tables.Watch).where(tables.Watch.name == "Chantiers")) is None


def test_saving_rematches_stored_posts(client: TestClient, db: Database) -> None:
    login(client)
    response = client.post(
        "/watches/save",
        data={"csrf": _csrf(client), "name": "Chantiers", "kind": "local", "rules": "renov*"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    listing = client.get(response.headers["location"])
    assert 'id="result-count">1 ' in listing.text
    duplicate = client.post(
        "/watches/save",
        data={"csrf": _csrf(client), "name": "Chantiers", "kind": "local", "rules": "x"},
    )
    assert duplicate.status_code == 400


def test_viewers_and_forged_forms_cannot_edit(client: TestClient, db: Database) -> None:
    login(client)
    forged = client.post(
        "/watches/save", data={"csrf": "forged", "name": "X", "kind": "brand", "rules": "a"}
    )
    assert forged.status_code == 403
    with db.session() as session:
        create_user(session, username="lea", password="lecture-seule", role="viewer")
    client.cookies.clear()
    login(client, "lea", "lecture-seule")
    refused = client.post(
        "/watches/save", data={"csrf": _csrf(client), "name": "X", "kind": "brand", "rules": "a"}
    )
    assert refused.status_code == 403
    assert "Modifier" not in client.get("/watches").text


def test_a_name_already_taken_is_refused_and_a_watch_keeps_its_own(
    client: TestClient, db: Database
) -> None:
    login(client)
    form = {"csrf": _csrf(client), "name": "Ma marque", "kind": "brand", "rules": "martin"}
    taken = client.post("/watches/save", data=form)
    assert taken.status_code == 400 and "une veille porte déjà ce nom" in taken.text
    with db.session() as session:
        watch = session.scalars(select(tables.Watch)).one()
    data = {**form, "watch_id": str(watch.id)}
    kept = client.post("/watches/save", data=data, follow_redirects=False)
    assert kept.status_code == 303
    with db.session() as session:
        rules = session.scalars(select(tables.WatchRule.query)).all()
        assert rules == ["martin"]
