"""Réglages: managers only; the SMTP password and webhook secrets are stored encrypted and
never shown again; a test message and a test delivery reach real local servers; a webhook to
a local address is refused unless the instance allows it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.helpers.web import csrf_of
from tests.report.conftest import Mailbox, Received, hook_server, smtp_server
from tests.web.conftest import login
from veille.channels import load_smtp
from veille.config import Settings
from veille.crypto import SecretBox
from veille.store import repository
from veille.store.db import Database
from veille.users import create_user
from veille.web.app import create_app

__all__ = ["hook_server", "smtp_server"]  # fixtures shared with the report tests
PASSWORD = "smtp-Pa55word-secret"
HOOK_SECRET = "hook-secret-0123456789"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """This instance's test servers listen on 127.0.0.1, so it allows local addresses."""
    return Settings(data_dir=tmp_path / "data", allow_private_urls=True, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def manager(settings: Settings, db: Database) -> Iterator[TestClient]:
    with db.session() as session:
        create_user(session, username="marc", password="bon-mot-de-passe", role="manager")
        create_user(session, username="mila", password="bon-mot-de-passe", role="member")
        repository.put_setting(session, "setup", {"done": ["business", "watches"]})
    with TestClient(create_app(settings, db)) as client:
        assert login(client, "marc") == 303
        yield client


def _post(client: TestClient, path: str, data: dict[str, str]) -> tuple[int, str]:
    csrf = csrf_of(client.get("/settings").text)
    response = client.post(path, data={**data, "csrf": csrf}, follow_redirects=True)
    return response.status_code, response.text


def test_smtp_password_is_encrypted_never_shown_and_a_test_message_goes_out(
    manager: TestClient,
    db: Database,
    settings: Settings,
    smtp_server: tuple[int, Mailbox],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    port, box = smtp_server
    form = {
        "host": "127.0.0.1",
        "port": str(port),
        "username": box.username,
        "password": box.password,
        "sender": "veille@fleurs.fr",
        "to": "claire@fleurs.fr",
    }
    status, page = _post(manager, "/settings/email", form)
    assert status == 200 and box.password not in page and "127.0.0.1" in page
    with db.session() as session:
        stored = repository.get_setting(session, "smtp") or {}
        assert stored["password"].startswith("enc:") and box.password not in str(stored)
    # Saving again without the password keeps it.
    status, page = _post(manager, "/settings/email", {**form, "password": ""})
    status, page = _post(manager, "/settings/email/test", {})
    assert status == 200 and "Message d&#39;essai envoyé" in page
    (_, recipients, message) = box.messages[0]
    assert recipients == ["claire@fleurs.fr"] and b"essai" in message
    assert box.password not in caplog.text


def test_a_password_stored_in_clear_is_still_read_then_encrypted_on_save(
    manager: TestClient, db: Database, settings: Settings
) -> None:
    clear = {
        "host": "smtp.fleurs.fr",
        "port": 587,
        "username": "veille",
        "password": PASSWORD,
        "sender": "veille@fleurs.fr",
        "to": ["claire@fleurs.fr"],
    }
    secrets = SecretBox(settings.resolved_secret_key())
    with db.session() as session:
        repository.put_setting(session, "smtp", clear)
        found = load_smtp(session, secrets)
        assert found is not None and found.password == PASSWORD
    page = manager.get("/settings").text
    assert PASSWORD not in page and "smtp.fleurs.fr" in page
    form = {"host": "smtp.fleurs.fr", "port": "587", "username": "veille", "password": ""}
    _post(manager, "/settings/email", {**form, "sender": "veille@fleurs.fr", "to": "c@fleurs.fr"})
    with db.session() as session:
        stored = repository.get_setting(session, "smtp") or {}
        assert PASSWORD not in str(stored)
        found = load_smtp(session, secrets)
        assert found is not None and found.password == PASSWORD


def test_webhooks_are_checked_encrypted_and_tested(
    manager: TestClient, db: Database, hook_server: tuple[str, list[Received]]
) -> None:
    url, received = hook_server
    status, page = _post(manager, "/settings/webhooks", {"url_0": "ftp://x/", "secret_0": "s"})
    assert status == 400 and "seules les adresses" in page
    status, page = _post(
        manager, "/settings/webhooks", {"url_0": f"{url}/hook", "secret_0": HOOK_SECRET}
    )
    assert status == 200 and HOOK_SECRET not in page
    with db.session() as session:
        assert HOOK_SECRET not in str(repository.get_setting(session, "webhooks"))
    status, page = _post(manager, "/settings/webhooks/test", {})
    assert status == 200 and len(received) == 1
    assert received[0].json()["event"] == "test"


def test_a_failed_test_delivery_says_so_in_french_with_the_technical_detail_apart(
    manager: TestClient,
) -> None:
    form = {"url_0": "http://127.0.0.1:9/hook", "secret_0": HOOK_SECRET}  # nobody listens
    assert _post(manager, "/settings/webhooks", form)[0] == 200
    status, page = _post(manager, "/settings/webhooks/test", {})
    assert status == 400
    assert "webhook : la livraison d&#39;essai a échoué (détail technique : " in page


def test_a_local_webhook_is_refused_when_the_instance_does_not_allow_it(
    tmp_path: Path, db: Database
) -> None:
    strict = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    with db.session() as session:
        create_user(session, username="marc", password="bon-mot-de-passe", role="manager")
    with TestClient(create_app(strict, db)) as client:
        login(client, "marc")
        form = {"url_0": "http://169.254.169.254/latest", "secret_0": HOOK_SECRET}
        status, page = _post(client, "/settings/webhooks", form)
    assert status == 400 and "adresse privée ou locale" in page


def test_brief_and_hours_are_saved(manager: TestClient, db: Database) -> None:
    status, _ = _post(manager, "/settings/brief", {"hour": "6", "to": "claire@fleurs.fr"})
    assert status == 200
    form = {"day_0": "on", "day_5": "on", "start": "08:30", "end": "12:00", "zone": "Europe/Paris"}
    assert _post(manager, "/settings/hours", form)[0] == 200
    status, page = _post(manager, "/settings/hours", {**form, "zone": "Mars/Olympus"})
    assert status == 400 and "Mars/Olympus" in page
    with db.session() as session:
        assert (repository.get_setting(session, "brief") or {})["hour"] == 6
        assert (repository.get_setting(session, "business_hours") or {})["days"] == [0, 5]


def test_members_do_not_see_the_settings(manager: TestClient) -> None:
    csrf = csrf_of(manager.get("/settings").text)
    manager.cookies.clear()
    assert login(manager, "mila") == 303
    assert manager.get("/settings").status_code == 403
    response = manager.post("/settings/brief", data={"hour": "5", "csrf": csrf})
    assert response.status_code == 403
