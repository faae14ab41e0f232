"""`veille alerts run` over the store: one crisis, one alert row, updated as it grows, notified."""

from __future__ import annotations

import json
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from sqlalchemy import select

from tests.helpers.alerts_data import NOW, ZONE, add_post, seed_crisis
from tests.report.conftest import Mailbox, Received
from veille.channels import seal
from veille.config import Settings
from veille.crypto import SecretBox
from veille.notify import verify_signature
from veille.report.alerts_run import run_alerts
from veille.store import repository, tables
from veille.store.db import Database


def local(settings: Settings, **more: object) -> Settings:
    """The settings of an instance whose test servers listen on 127.0.0.1."""
    return settings.model_copy(update={"allow_private_urls": True, **more})


def test_a_spike_opens_one_alert_with_its_cause_and_growth_updates_it(db: Database) -> None:
    with db.session() as session:
        watch_id = seed_crisis(session)
        first = run_alerts(session, now=NOW, zone=ZONE, send=None)
    assert len(first.opened) == 1 and not first.updated
    with db.session() as session:
        (alert,) = session.scalars(select(tables.Alert)).all()
        assert alert.watch_id == watch_id and alert.status == "open" and alert.kind == "spike"
        assert {"facade", "coulures"} <= set(alert.data["terms"])
        assert alert.data["total"] >= 12
        assert len(alert.data["post_ids"]) == 5
        # It says what was seen against what was expected, and the usual range.
        data = alert.data
        assert data["expected_low"] <= data["expected"] <= data["expected_high"] < data["total"]
        assert f"habituellement {data['expected_low']} à {data['expected_high']}" in alert.summary
        # The crisis grows: twelve more posts in the next hour.
        for i in range(12):
            add_post(
                session, watch_id, f"g{i}", NOW + timedelta(minutes=3 * i + 1), f"Coulures {i}"
            )
        later = run_alerts(session, now=NOW + timedelta(hours=1), zone=ZONE, send=None)
    assert later.updated == first.opened and not later.opened
    with db.session() as session:
        (alert,) = session.scalars(select(tables.Alert)).all()
        assert alert.data["total"] >= 30
        assert [step["action"] for step in alert.data["history"]] == ["open", "update"]
        # Once quiet for six hours, the same alert closes; nothing new opens.
        done = run_alerts(session, now=NOW + timedelta(hours=9), zone=ZONE, send=None)
    assert done.closed == first.opened and not done.opened
    with db.session() as session:
        assert session.scalar(select(tables.Alert.status)) == "closed"


def test_quiet_history_raises_no_alert(db: Database) -> None:
    with db.session() as session:
        seed_crisis(session)
        report = run_alerts(session, now=NOW - timedelta(hours=4), zone=ZONE, send=None)
        assert report.opened == [] and session.scalar(select(tables.Alert.id)) is None


def test_alert_goes_to_email_and_signed_webhook(
    db: Database,
    settings: Settings,
    smtp_server: tuple[int, Mailbox],
    hook_server: tuple[str, list[Received]],
) -> None:
    port, box = smtp_server
    url, received = hook_server
    with db.session() as session:
        seed_crisis(session)
        repository.put_setting(
            session,
            "smtp",
            {
                "host": "127.0.0.1",
                "port": port,
                "username": box.username,
                "password": box.password,
                "use_tls": False,
                "sender": "veille@peintures-martin.fr",
                "to": ["claire@peintures-martin.fr"],
            },
        )
        repository.put_setting(
            session, "webhooks", {"hooks": [{"url": f"{url}/hook", "secret": "k3y"}]}
        )
        repository.put_setting(session, "brief", {"base_url": "https://veille.example.org/"})
        report = run_alerts(session, now=NOW, zone=ZONE, send=local(settings))
    assert report.notified == 1 and report.errors == []
    (_sender, recipients, message) = box.messages[0]
    assert recipients == ["claire@peintures-martin.fr"]
    assert b"Ma marque" in message and b"https://veille.example.org/alerts/" in message
    (hook,) = received
    assert verify_signature(
        hook.body,
        secret="k3y",
        timestamp=hook.headers["x-veille-timestamp"],
        signature=hook.headers["x-veille-signature"],
    )
    body = json.loads(hook.body)
    assert body["event"] == "alert.opened" and "coulures" in body["cause"]["terms"]
    assert body["link"].startswith("https://veille.example.org/alerts/")


def test_unreachable_channel_is_reported_not_raised(db: Database, settings: Settings) -> None:
    with db.session() as session:
        seed_crisis(session)
        repository.put_setting(
            session, "webhooks", {"hooks": [{"url": "http://127.0.0.1:9/x", "secret": "k"}]}
        )
        report = run_alerts(session, now=NOW, zone=ZONE, send=local(settings))
        assert len(report.opened) == 1
    assert report.errors == [
        "impossible de joindre le webhook http://127.0.0.1:9 : connexion refusée"
    ]


def test_secrets_are_read_encrypted_and_links_use_the_public_address(
    db: Database,
    settings: Settings,
    smtp_server: tuple[int, Mailbox],
    hook_server: tuple[str, list[Received]],
) -> None:
    port, box = smtp_server
    url, received = hook_server
    secrets = SecretBox(settings.resolved_secret_key())
    with db.session() as session:
        seed_crisis(session)
        repository.put_setting(
            session,
            "smtp",
            {
                "host": "127.0.0.1",
                "port": port,
                "username": box.username,
                "password": seal(secrets, box.password),
                "use_tls": False,
                "sender": "veille@peintures-martin.fr",
                "to": ["claire@peintures-martin.fr"],
            },
        )
        hooks = {"hooks": [{"url": f"{url}/hook", "secret": seal(secrets, "k3y")}]}
        repository.put_setting(session, "webhooks", hooks)
        repository.put_setting(session, "brief", {"base_url": "https://old.example.org"})
        public = local(settings, base_url="https://veille.fleurs.fr")
        report = run_alerts(session, now=NOW, zone=ZONE, send=public)
    assert report.errors == []
    message = box.messages[0][2]
    assert b"https://veille.fleurs.fr/alerts/" in message and b"old.example" not in message
    (hook,) = received
    assert verify_signature(
        hook.body,
        secret="k3y",
        timestamp=hook.headers["x-veille-timestamp"],
        signature=hook.headers["x-veille-signature"],
    )


def test_a_webhook_to_a_local_address_is_refused_unless_allowed(
    db: Database, settings: Settings, hook_server: tuple[str, list[Received]]
) -> None:
    url, received = hook_server
    with db.session() as session:
        seed_crisis(session)
        hooks = {"hooks": [{"url": f"{url}/hook", "secret": "k3y"}]}
        repository.put_setting(session, "webhooks", hooks)
        report = run_alerts(session, now=NOW, zone=ZONE, send=settings)
    assert received == [] and len(report.errors) == 1
    assert "adresse privée ou locale" in report.errors[0]


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("fr", "Alerte — Ma marque : ", "Mots : "),
        ("en", "Alert — Ma marque: ", "Words: "),
    ],
)
def test_the_alert_email_speaks_the_instances_language(
    db: Database,
    settings: Settings,
    smtp_server: tuple[int, Mailbox],
    language: str,
    subject: str,
    words: str,
) -> None:
    """The e-mail says what the alerts page says, in VEILLE_LANGUAGE, numbers included."""
    port, box = smtp_server
    with db.session() as session:
        seed_crisis(session)
        smtp = {"host": "127.0.0.1", "port": port, "username": box.username}
        smtp |= {"password": box.password, "use_tls": False, "sender": "v@martin.fr"}
        repository.put_setting(session, "smtp", smtp | {"to": ["claire@martin.fr"]})
        run_alerts(session, now=NOW, zone=ZONE, send=local(settings, language=language))
    with db.session() as session:
        data = session.scalars(select(tables.Alert)).one().data
    message = message_from_bytes(box.messages[0][2], policy=default)
    expected = f"{data['expected']:.1f}".replace(".", "," if language == "fr" else ".")
    other = {"fr": ("posts", "expected", "Words"), "en": ("publications", "attendues", "Mots")}
    assert str(message["Subject"]).startswith(subject + f"{data['total']} ")
    assert f"({expected} " in str(message["Subject"])
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert words in text
    assert not any(word in text + str(message["Subject"]) for word in other[language])
