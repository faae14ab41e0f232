"""Accounts: credentials entered once, encrypted at rest, never shown or logged; state shown."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import login
from veille.accounts import account_credentials, record_account_state
from veille.config import Settings
from veille.crypto import SecretBox
from veille.store import tables
from veille.store.db import Database
from veille.users import create_user

SECRET = "app-pass-abcd-efgh-ijkl"


def _csrf(client: TestClient) -> str:
    page = client.get("/accounts")
    return page.text.split('name="csrf" value="')[1].split('"')[0]


def test_credentials_are_encrypted_and_never_shown(
    client: TestClient, db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    login(client)
    response = client.post(
        "/accounts",
        data={
            "csrf": _csrf(client),
            "network": "bluesky",
            "handle": "@peinturesmartin.bsky.social",
            "label": "Entreprise",
            "kind": "company",
            "bluesky_app_password": SECRET,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get("/accounts")
    assert "peinturesmartin.bsky.social" in page.text and "identifiants chiffrés" in page.text
    assert SECRET not in page.text
    assert SECRET not in caplog.text
    with db.session() as session:
        account = session.scalar(select(tables.Account))
        assert account is not None and account.credentials_encrypted
        assert SECRET not in account.credentials_encrypted
        box = SecretBox(settings.resolved_secret_key())
        assert account_credentials(box, account) == {"app_password": SECRET}
        with pytest.raises(ValueError, match="secret key"):
            account_credentials(SecretBox("another-secret-key-entirely"), account)


def test_state_rate_limit_and_last_error_are_shown(client: TestClient, db: Database) -> None:
    login(client)
    client.post(
        "/accounts",
        data={
            "csrf": _csrf(client),
            "network": "mastodon",
            "handle": "martin",
            "kind": "personal",
            "mastodon_instance_url": "https://mastodon.example",
            "mastodon_access_token": "tok-123456",
        },
    )
    with db.session() as session:
        account = session.scalar(select(tables.Account))
        assert account is not None
        record_account_state(
            session,
            account.id,
            state="rate_limited",
            rate_limited_until=datetime(2026, 11, 24, 14, 30, tzinfo=UTC),
            last_error="429 Too Many Requests",
        )
    page = client.get("/accounts")
    assert "limité par le réseau" in page.text and "24/11 15:30" in page.text  # Europe/Paris
    assert "429 Too Many Requests" in page.text and "tok-123456" not in page.text


def test_bad_forms_and_permissions(client: TestClient, db: Database) -> None:
    login(client)
    empty = client.post(
        "/accounts",
        data={"csrf": _csrf(client), "network": "x", "handle": "martin", "kind": "company"},
    )
    assert empty.status_code == 400 and "accès : indiquez au moins un" in empty.text
    forged = client.post(
        "/accounts",
        data={
            "csrf": "nope",
            "network": "x",
            "handle": "m",
            "kind": "company",
            "x_bearer_token": "t",
        },
    )
    assert forged.status_code == 403
    with db.session() as session:
        create_user(session, username="tom", password="membre-equipe", role="member")
    client.cookies.clear()
    login(client, "tom", "membre-equipe")
    refused = client.post(
        "/accounts",
        data={
            "csrf": _csrf(client),
            "network": "x",
            "handle": "m",
            "kind": "company",
            "x_bearer_token": "t",
        },
    )
    assert refused.status_code == 403
    assert "Connecter un compte" not in client.get("/accounts").text
