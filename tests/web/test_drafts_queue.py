"""The queue pages: weekly slots per account, "add to queue", a weekly recurring post, the
cancel button, and the evergreen gap; CSRF and roles on every form."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.helpers.web import csrf_of, new_draft
from tests.web.conftest import login
from veille.store import tables
from veille.store.tables_publish import PublishJob, Recurrence, TimeSlot
from veille.users import create_user


def _account(app: FastAPI) -> int:
    with app.state.db.session() as session:
        create_user(session, username="marc", password="mot-de-passe-marc", role="member")
        account = tables.Account(network="mastodon", handle="claire@piaille.fr")
        session.add(account)
        session.flush()
        return account.id


def _add_slot(client: TestClient, account: int, weekday: int, at: str) -> int:
    csrf = csrf_of(client.get("/calendar/slots").text)
    data = {"account_id": str(account), "weekday": str(weekday), "wall_clock": at, "csrf": csrf}
    return client.post("/calendar/slots", data=data, follow_redirects=False).status_code


def test_slots_then_add_to_queue_then_cancel(app: FastAPI, client: TestClient) -> None:
    account = _account(app)
    login(client)
    assert _add_slot(client, account, 1, "12:15") == 303
    page = client.get("/calendar/slots").text
    assert "mardi 12:15" in page
    assert _add_slot(client, account, 1, "27:00") == 400

    url = new_draft(client, "Nouveau nuancier disponible en boutique.", account)
    queued = client.post(
        f"{url}/queue", data={"csrf": csrf_of(client.get(url).text)}, follow_redirects=False
    )
    assert queued.status_code == 303
    with app.state.db.session() as session:
        job = session.scalars(select(PublishJob)).one()
        local = job.due_at.astimezone(app.state.settings.zone)
        assert (local.weekday(), local.strftime("%H:%M")) == (1, "12:15")
    page = client.get(url).text
    assert "programmé" in page and "Annuler la programmation" in page

    cancelled = client.post(f"{url}/cancel", data={"csrf": csrf_of(page)}, follow_redirects=False)
    assert cancelled.status_code == 303
    with app.state.db.session() as session:
        assert session.scalars(select(PublishJob.status)).all() == ["cancelled"]
    assert "Ajouter à la file" in client.get(url).text  # editable and schedulable again


def test_queue_without_slot_says_so(app: FastAPI, client: TestClient) -> None:
    account = _account(app)
    login(client)
    url = new_draft(client, "Bonjour", account)
    response = client.post(f"{url}/queue", data={"csrf": csrf_of(client.get(url).text)})
    assert response.status_code == 400 and "aucun créneau de file" in response.text


def test_recurring_post_is_shown_and_scheduled(app: FastAPI, client: TestClient) -> None:
    account = _account(app)
    login(client)
    url = new_draft(client, "Boutique ouverte ce samedi de 9h à 12h.", account)
    csrf = csrf_of(client.get(url).text)
    data = {"weekday": "5", "wall_clock": "08:00", "csrf": csrf}
    assert client.post(f"{url}/recurring", data=data, follow_redirects=False).status_code == 303
    page = client.get(url).text
    assert "Chaque semaine" in page and "samedi 08:00" in page
    with app.state.db.session() as session:
        job = session.scalars(select(PublishJob)).one()
        local = job.due_at.astimezone(app.state.settings.zone)
        assert (local.weekday(), local.strftime("%H:%M")) == (5, "08:00")
        assert session.scalars(select(Recurrence)).one().zone == "Europe/Paris"


def test_members_cannot_edit_slots_and_forms_need_the_token(
    app: FastAPI, client: TestClient
) -> None:
    account = _account(app)
    login(client, "marc", "mot-de-passe-marc")
    assert _add_slot(client, account, 0, "09:00") == 403
    assert 'action="/calendar/slots"' not in client.get("/calendar/slots").text
    client.cookies.clear()
    login(client)
    data = {"account_id": str(account), "weekday": "0", "wall_clock": "09:00"}
    assert client.post("/calendar/slots", data=data).status_code == 403
    assert _add_slot(client, account, 0, "09:00") == 303
    with app.state.db.session() as session:
        slot_id = session.scalars(select(TimeSlot.id)).one()
    assert client.post(f"/calendar/slots/{slot_id}/delete", data={}).status_code == 403
    csrf = csrf_of(client.get("/calendar/slots").text)
    deleted = client.post(
        f"/calendar/slots/{slot_id}/delete", data={"csrf": csrf}, follow_redirects=False
    )
    assert deleted.status_code == 303
    gap = client.post(
        "/calendar/evergreen", data={"gap_days": "14", "csrf": csrf}, follow_redirects=False
    )
    assert gap.status_code == 303
    assert 'value="14"' in client.get("/calendar/slots").text
