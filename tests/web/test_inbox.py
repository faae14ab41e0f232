"""The team inbox through HTTP: triage order and explanation, states, notes, replies sent once
through a Mastodon-speaking server, approvals, permissions, CSRF and inert hostile text."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.helpers.web import sign_in_as
from tests.inbox.seed import MastodonInstance
from veille.accounts import connect_account
from veille.config import Settings
from veille.crypto import SecretBox
from veille.inbox import routing
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_inbox import InboxReply


def test_items_come_most_urgent_first_with_one_line_reason(
    client: TestClient, ids: dict[str, int]
) -> None:
    sign_in_as(client, "mila")
    page = client.get("/inbox").text
    order = [int(x) for x in re.findall(r'class="inbox-item[^"]*" data-id="(\d+)"', page)]
    assert order[0] == ids["complaint"]
    assert set(order) == {ids["complaint"], ids["question"], ids["hostile"]}
    said = r"Priorité (urgente|haute)</strong> : [^<]*réclamation · nous est adressé · négatif"
    assert re.search(said, page)
    assert "(+" not in page


def test_hostile_post_text_is_rendered_inert(client: TestClient, ids: dict[str, int]) -> None:
    sign_in_as(client, "mila")
    for path in ("/inbox", f"/inbox/{ids['hostile']}"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert" in page


def test_assign_status_note_snooze_and_bulk(
    client: TestClient, ids: dict[str, int], db: Database
) -> None:
    csrf = sign_in_as(client, "mila")
    item = ids["question"]
    assert (
        client.post(f"/inbox/{item}/assign", data={"csrf": csrf, "assignee": "me"}).status_code
        == 200
    )
    page = client.get(f"/inbox/{item}").text
    assert "→ mila" in page and ">assigné<" in page
    client.post(f"/inbox/{item}/notes", data={"csrf": csrf, "text": "Je rappelle <b>demain</b>"})
    page = client.get(f"/inbox/{item}").text
    assert "Je rappelle &lt;b&gt;demain&lt;/b&gt;" in page
    assert client.get("/inbox?view=mine").text.count('class="inbox-item') == 1
    client.post(f"/inbox/{item}/snooze", data={"csrf": csrf, "hours": "4"})
    assert f'data-id="{item}"' not in client.get("/inbox").text
    assert f'data-id="{item}"' in client.get("/inbox?view=snoozed").text
    client.post(f"/inbox/{item}/snooze", data={"csrf": csrf, "hours": "0"})
    assert f'data-id="{item}"' in client.get("/inbox").text
    response = client.post(
        "/inbox/bulk",
        data={"csrf": csrf, "action": "done", "ids": [str(ids["question"]), str(ids["hostile"])]},
    )
    assert response.status_code == 200
    assert client.get("/inbox").text.count('class="inbox-item') == 1
    closed = client.get("/inbox?view=closed").text
    assert f'data-id="{ids["hostile"]}"' in closed
    with db.session() as session:
        row = session.get(tables.InboxItem, item)
        assert row is not None and row.status == "done" and row.closed_by_id == ids["mila"]
    figures = client.get("/inbox/figures").text
    assert re.search(r"<td>mila</td><td>2</td>", figures)
    history = client.get(f"/inbox/{item}").text.split('class="history')[1]
    assert "statut changé → traité" in history and "→ done" not in history  # words, not keys
    assert "→ mila" in history  # the assignee's name, not their id


def test_a_failed_reply_shows_the_network_error_as_a_technical_detail(
    client: TestClient, ids: dict[str, int], db: Database, settings: Settings
) -> None:
    with db.session() as session:
        unreachable = connect_account(
            session,
            SecretBox(settings.resolved_secret_key()),
            network="mastodon",
            handle="martin_bis",
            label="Ancien compte",
            kind="company",
            credentials={"instance_url": "http://127.0.0.1:9", "access_token": "perime"},
        ).id
    csrf = sign_in_as(client, "mila")
    item = ids["complaint"]
    reply = {"csrf": csrf, "account_id": unreachable, "text": "Bonjour, on s'en occupe."}
    client.post(f"/inbox/{item}/reply", data=reply)
    page = client.get(f"/inbox/{item}").text
    assert ">échec de l&#39;envoi<" in page
    detail = page.split("Détail technique :")[1].split("</p>")[0]
    assert detail.startswith(' <span translate="no">mastodon: ')  # kept for support, as is


def test_reply_goes_out_once_from_the_account_with_the_suggestion(
    client: TestClient, ids: dict[str, int], instance: MastodonInstance, db: Database
) -> None:
    csrf = sign_in_as(client, "mila")
    item = ids["complaint"]
    page = client.get(f"/inbox/{item}").text
    assert "Bonjour Sophie, nous sommes désolés" in page  # suggestion filled from the profile
    assert "Peintures Martin" in page
    text = "Bonjour Sophie, désolés pour l'attente : nous vous écrivons en privé aujourd'hui."
    response = client.post(
        f"/inbox/{item}/reply", data={"csrf": csrf, "account_id": ids["account"], "text": text}
    )
    assert response.status_code == 200
    assert len(instance.posted()) == 1
    status = instance.posted()[0]
    assert status["in_reply_to_id"] == "109999" and text in status["content"]
    page = client.get(f"/inbox/{item}").text
    assert status["id"] in page and ">envoyée<" in page
    with db.session() as session:
        reply = session.scalars(select(InboxReply)).one()
        assert reply.network_post_id == status["id"] and reply.status == "sent"
        row = session.get(tables.InboxItem, item)
        assert row is not None and row.status == "done" and row.first_response_at is not None
        reply_id = reply.id
    # Retrying a sent reply posts nothing more.
    client.post(f"/inbox/replies/{reply_id}/retry", data={"csrf": csrf})
    assert len(instance.posted()) == 1


def test_reply_waits_for_a_manager_where_the_account_requires_it(
    client: TestClient, ids: dict[str, int], instance: MastodonInstance, db: Database
) -> None:
    with db.session() as session:
        routing.set_needs_approval(session, account_id=ids["account"], needs_approval=True)
    csrf = sign_in_as(client, "mila")
    item = ids["complaint"]
    client.post(
        f"/inbox/{item}/reply",
        data={"csrf": csrf, "account_id": ids["account"], "text": "Bonjour, on s'en occupe."},
    )
    assert instance.posted() == []
    with db.session() as session:
        reply_id = session.scalars(select(InboxReply.id)).one()
    # A member cannot approve.
    assert client.post(f"/inbox/replies/{reply_id}/approve", data={"csrf": csrf}).status_code == 403
    assert instance.posted() == []
    csrf = sign_in_as(client, "marc")
    assert client.post(f"/inbox/replies/{reply_id}/approve", data={"csrf": csrf}).status_code == 200
    assert len(instance.posted()) == 1
    # Approving twice is refused and sends nothing more.
    assert client.post(f"/inbox/replies/{reply_id}/approve", data={"csrf": csrf}).status_code == 400
    assert len(instance.posted()) == 1


def test_high_risk_reply_shows_the_guard_flags_and_needs_confirmation(
    client: TestClient, ids: dict[str, int], instance: MastodonInstance
) -> None:
    csrf = sign_in_as(client, "claire")
    response = client.post(
        f"/inbox/{ids['complaint']}/reply",
        data={"csrf": csrf, "account_id": ids["account"], "text": "   "},
    )
    assert response.status_code == 409
    assert 'class="guard-blocked"' in response.text and "high" in response.text
    assert instance.posted() == []


def _post_routes(ids: dict[str, int]) -> list[tuple[str, dict[str, str]]]:
    item = str(ids["question"])
    return [
        (f"/inbox/{item}/status", {"status": "done"}),
        (f"/inbox/{item}/assign", {"assignee": "me"}),
        (f"/inbox/{item}/snooze", {"hours": "1"}),
        (f"/inbox/{item}/notes", {"text": "note"}),
        (f"/inbox/{item}/reply", {"account_id": str(ids["account"]), "text": "Bonjour"}),
        ("/inbox/bulk", {"action": "done", "ids": item}),
        ("/inbox/replies/1/approve", {}),
        ("/inbox/replies/1/reject", {}),
        ("/inbox/replies/1/retry", {}),
        ("/inbox/settings/saved-replies", {"name": "n", "body": "Bonjour {prenom}"}),
        ("/inbox/settings/routing", {}),
    ]


def test_every_form_refuses_a_missing_csrf_token(client: TestClient, ids: dict[str, int]) -> None:
    sign_in_as(client, "claire")
    for path, data in _post_routes(ids):
        assert client.post(path, data=data).status_code == 403, path
        assert client.post(path, data={**data, "csrf": "wrong"}).status_code == 403, path


def test_roles_on_every_route(
    client: TestClient, ids: dict[str, int], instance: MastodonInstance
) -> None:
    csrf = sign_in_as(client, "victor")  # viewer: reads everything, changes nothing
    for path in ("/inbox", f"/inbox/{ids['question']}", "/inbox/figures", "/inbox/settings"):
        assert client.get(path).status_code == 200, path
    assert 'action="/inbox/' not in client.get(f"/inbox/{ids['question']}").text.split("nav")[-1]
    for path, data in _post_routes(ids):
        assert client.post(path, data={**data, "csrf": csrf}).status_code == 403, path
    assert instance.posted() == []
    csrf = sign_in_as(client, "mila")  # member: triage and reply, not approve nor settings
    for path in ("/inbox/replies/1/approve", "/inbox/replies/1/reject"):
        assert client.post(path, data={"csrf": csrf}).status_code == 403
    for path, data in _post_routes(ids)[-2:]:
        assert client.post(path, data={**data, "csrf": csrf}).status_code == 403, path
    client.cookies.clear()
    for path in ("/inbox", "/inbox/figures"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and "/login" in response.headers["location"]


def test_saved_reply_with_unknown_variable_is_refused_by_name(
    client: TestClient, ids: dict[str, int]
) -> None:
    csrf = sign_in_as(client, "marc")
    response = client.post(
        "/inbox/settings/saved-replies",
        data={"csrf": csrf, "name": "Devis", "body": "Bonjour {prénom}, voici {lien_devis}"},
    )
    assert response.status_code == 400 and "{prénom}" in response.text
    client.post(
        "/inbox/settings/saved-replies",
        data={
            "csrf": csrf,
            "name": "Devis",
            "body": "Bonjour {prenom} : {lien_devis}",
            "intent": "complaint",
        },
    )
    page = client.get(f"/inbox/{ids['complaint']}").text
    # The saved reply for the intent becomes the suggestion, its variables filled.
    suggestion = page.split('name="text"')[1].split("</textarea>")[0]
    assert "Bonjour Sophie : https://peintures-martin.example/devis" in suggestion


def test_routing_and_approval_settings_are_saved_from_one_form(
    client: TestClient, db: Database, ids: dict[str, int]
) -> None:
    csrf = sign_in_as(client, "marc")
    account = ids["account"]
    form = {"csrf": csrf, "route_lead": str(account), f"approval_{account}": "on"}
    response = client.post("/inbox/settings/routing", data=form, follow_redirects=False)
    assert response.status_code == 303
    with db.session() as session:
        assert routing.rules(session) == {"lead": account}
        assert routing.needs_approval(session, account)
    page = client.get("/inbox/settings").text
    assert f'name="approval_{account}" checked' in page
    client.post("/inbox/settings/routing", data={"csrf": csrf})  # every box cleared
    with db.session() as session:
        assert routing.rules(session) == {} and not routing.needs_approval(session, account)
    bad = client.post("/inbox/settings/routing", data={"csrf": csrf, "route_lead": "999"})
    assert bad.status_code == 400 and "compte : le compte 999" in bad.text
    bad = client.post("/inbox/settings/routing", data={"csrf": csrf, "route_lead": "x"})
    assert bad.status_code == 400 and "invalid literal" not in bad.text
    assert "compte : choisissez un compte de la liste pour « piste »" in bad.text


def test_a_todo_on_the_home_page_opens_its_reply_box(
    client: TestClient,
    ids: dict[str, int],
) -> None:
    sign_in_as(client, "claire")
    home = client.get("/").text
    links = re.findall(r'href="(/inbox/\d+#reply)"', home)
    assert links, "the home page's to-do links to inbox items"
    page = client.get(links[0].split("#")[0]).text
    assert 'id="reply"' in page and "<textarea" in page
