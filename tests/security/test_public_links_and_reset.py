"""Findings 1 and 4: e-mailed links use the configured public address, never the Host header;
asking for a password reset answers alike whatever the address and the state of e-mail."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from email import message_from_bytes

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import update

from tests.report.conftest import Mailbox, _SMTPHandler, serve_smtp
from veille.config import Settings
from veille.store import repository, tables
from veille.store.db import Database
from veille.web.app import create_app

from .conftest import free_port, serve

PUBLIC = "https://veille.peintures-martin.example"
CLAIRE = "claire@peintures-martin.example"


class _SlowSMTPHandler(_SMTPHandler):
    """A mail server that takes a second to greet, as a distant one may."""

    def handle(self) -> None:
        time.sleep(1.0)
        super().handle()


@pytest.fixture
def slow_smtp() -> Iterator[tuple[int, Mailbox]]:
    yield from serve_smtp(_SlowSMTPHandler)


def _configure_mail(db: Database, port: int, box: Mailbox) -> None:
    with db.session() as session:
        session.execute(
            update(tables.User).where(tables.User.username == "claire").values(email=CLAIRE)
        )
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


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _without_tokens(html: str) -> str:
    return re.sub(r'value="[A-Za-z0-9_\-]{20,}"', 'value=""', html)


def _ask_reset(client: httpx.Client | TestClient, email: str, **headers: str) -> httpx.Response:
    form = client.get("/password/forgot")
    return client.post(
        "/password/forgot", data={"email": email, "csrf": _csrf(form.text)}, headers=headers
    )


def _public(settings: Settings) -> Settings:
    return settings.model_copy(update={"base_url": PUBLIC})


@pytest.mark.parametrize(
    "bad", ["javascript:alert(1)", "evil.example", "https://", "https://v.example/?next=x"]
)
def test_a_wrong_public_address_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="base_url"):
        Settings(base_url=bad, _env_file=None)  # type: ignore[call-arg]


def test_reset_link_ignores_a_forged_host(
    settings: Settings, users: Database, slow_smtp: tuple[int, Mailbox]
) -> None:
    port, box = slow_smtp
    _configure_mail(users, port, box)
    with TestClient(create_app(_public(settings), users)) as client:
        assert _ask_reset(client, CLAIRE, host="evil.example").status_code == 200
    (_, _, raw) = box.messages[0]
    body = message_from_bytes(raw).get_payload(0).get_payload(decode=True).decode()  # type: ignore[union-attr]
    links = re.findall(r"https?://[^\s\"<]+", body)
    assert links and all(link.startswith(f"{PUBLIC}/password/reset/") for link in links)
    assert "evil.example" not in raw.decode()


def test_invitation_link_ignores_a_forged_host(settings: Settings, users: Database) -> None:
    with TestClient(create_app(_public(settings), users)) as client:
        form = client.get("/login")
        client.post(
            "/login",
            data={"username": "claire", "password": "bon-mot-de-passe", "csrf": _csrf(form.text)},
        )
        csrf = _csrf(client.get("/team").text)
        page = client.post(
            "/team/invitations",
            data={"csrf": csrf, "role": "member"},
            headers={"host": "evil.example"},
        ).text
    link = re.search(r'id="invite-link" readonly value="([^"]+)"', page)
    assert link is not None and link.group(1).startswith(f"{PUBLIC}/invite/")


def test_forgot_password_answers_alike_and_before_any_mail(
    settings: Settings, users: Database, slow_smtp: tuple[int, Mailbox]
) -> None:
    port, box = slow_smtp
    _configure_mail(users, port, box)
    for url in serve(_public(settings)):
        with httpx.Client(base_url=url, timeout=60) as client:
            unknown = _ask_reset(client, "personne@example.org")
            known = _ask_reset(client, CLAIRE)
            # The answer left before the (slow) mail server was even greeted.
            assert box.messages == []
            deadline = time.monotonic() + 20
            while not box.messages and time.monotonic() < deadline:
                time.sleep(0.05)
            assert len(box.messages) == 1
            # Mail down: same answer again.
            _configure_mail(users, free_port(), box)
            down = _ask_reset(client, CLAIRE)
    assert unknown.status_code == known.status_code == down.status_code == 200
    assert (
        _without_tokens(unknown.text) == _without_tokens(known.text) == _without_tokens(down.text)
    )
