"""Invitation links and password reset by e-mail through a real local SMTP server."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import Message

from fastapi.testclient import TestClient
from sqlalchemy import update

from tests.report.conftest import Mailbox, smtp_server  # noqa: F401
from tests.web.conftest import login
from veille.store import repository, tables
from veille.store.db import Database
from veille.users import create_user


def _field(page: str, name: str = "csrf") -> str:
    return page.split(f'name="{name}" value="')[1].split('"')[0]


def _body(raw: bytes) -> str:
    message: Message = email.message_from_bytes(raw)
    parts = [p for p in message.walk() if p.get_content_type() == "text/plain"]
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def test_invitation_link_creates_the_member_once(client: TestClient, db: Database) -> None:
    with db.session() as session:
        create_user(session, username="victor", password="bon-mot-de-passe", role="viewer")
    login(client, "victor")
    csrf = _field(client.get("/team").text)
    assert (
        client.post("/team/invitations", data={"csrf": csrf, "role": "member"}).status_code == 403
    )
    client.cookies.clear()
    login(client)
    csrf = _field(client.get("/team").text)
    assert client.post("/team/invitations", data={"role": "member"}).status_code == 403
    page = client.post("/team/invitations", data={"csrf": csrf, "role": "member"}).text
    link = re.search(r'id="invite-link" readonly value="([^"]+)"', page)
    assert link is not None
    # Built from the configured public address, never from the request's Host header.
    path = link.group(1).split("http://127.0.0.1:8000", 1)[1]
    client.cookies.clear()
    form = client.get(path)
    assert form.status_code == 200 and "Rôle : membre" in form.text
    data = {"username": "mila", "password": "un-long-mot-de-passe"}
    assert client.post(path, data=data).status_code == 403  # no CSRF token
    short = client.post(path, data={**data, "password": "court", "csrf": _field(form.text)})
    assert short.status_code == 400 and "au moins 10 caractères" in short.text
    joined = client.post(path, data={**data, "csrf": _field(short.text)}, follow_redirects=False)
    assert joined.status_code == 303
    assert login(client, "mila", "un-long-mot-de-passe") == 303
    client.cookies.clear()
    assert client.get(path).status_code == 404  # spent


def test_password_reset_by_email(
    client: TestClient,
    db: Database,
    smtp_server: tuple[int, Mailbox],  # noqa: F811
) -> None:
    port, box = smtp_server
    with db.session() as session:
        session.execute(update(tables.User).values(email="claire@peintures-martin.example"))
        repository.put_setting(
            session,
            "smtp",
            {
                "host": "127.0.0.1",
                "port": port,
                "username": box.username,
                "password": box.password,
                "use_tls": False,
                "sender": "veille@peintures-martin.example",
            },
        )
    form = client.get("/password/forgot").text
    assert client.post("/password/forgot", data={"email": "x@y.z"}).status_code == 403
    unknown = client.post(
        "/password/forgot", data={"email": "nobody@example.org", "csrf": _field(form)}
    )
    assert unknown.status_code == 200 and box.messages == []
    sent = client.post(
        "/password/forgot",
        data={"email": "claire@peintures-martin.example", "csrf": _field(unknown.text)},
    )
    assert sent.text.count('role="status"') == 1 == len(box.messages)
    sender, recipients, raw = box.messages[0]
    assert sender == "veille@peintures-martin.example"
    assert recipients == ["claire@peintures-martin.example"]
    body = _body(raw)
    link = re.search(r"http://127.0.0.1:8000(/password/reset/\S+)", body)
    assert link is not None
    assert body.startswith("Bonjour claire,") and "valable une heure" in body
    path = link.group(1)
    reset_form = client.get(path).text
    response = client.post(
        path,
        data={"password": "nouveau-mot-de-passe", "csrf": _field(reset_form)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert login(client, "claire", "bon-mot-de-passe") == 401
    assert login(client, "claire", "nouveau-mot-de-passe") == 303
    fresh = _field(client.get(path).text)
    again = client.post(path, data={"password": "encore-un-autre-mdp", "csrf": fresh})
    assert again.status_code == 400 and "déjà utilisé" in again.text


def test_the_reset_email_speaks_the_persons_language(
    client: TestClient,
    db: Database,
    smtp_server: tuple[int, Mailbox],  # noqa: F811
) -> None:
    port, box = smtp_server
    with db.session() as session:
        session.execute(update(tables.User).values(email="claire@example.org", language="en"))
        smtp = {"host": "127.0.0.1", "port": port, "username": box.username}
        smtp |= {"password": box.password, "use_tls": False, "sender": "v@example.org"}
        repository.put_setting(session, "smtp", smtp)
    form = client.get("/password/forgot").text
    client.post("/password/forgot", data={"email": "claire@example.org", "csrf": _field(form)})
    message = email.message_from_bytes(box.messages[0][2], policy=email.policy.default)
    assert message["Subject"] == "Veille: reset your password"
    body = _body(box.messages[0][2])
    assert body.startswith("Hello claire,") and "valid for one hour" in body
    assert "Bonjour" not in body
