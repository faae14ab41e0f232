"""A web app over a temporary database holding one user and a few posts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.factories import post_json
from tests.helpers.browser import serve
from tests.inbox.seed import MastodonInstance, mastodon_instance, seed_inbox
from veille.config import Settings
from veille.posts import parse_post
from veille.store import counts, repository
from veille.store.db import Database
from veille.users import create_user
from veille.web.app import create_app

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> Peintures Martin'


@pytest.fixture
def app(settings: Settings, db: Database) -> FastAPI:
    with db.session() as session:
        create_user(session, username="claire", password="bon-mot-de-passe", role="owner")
        watch = repository.upsert_watch(
            session, name="Ma marque", kind="brand", description="", rules=['"peintures martin"']
        )
        ids = repository.insert_posts(
            session,
            [
                parse_post(post_json("1", "Merci Peintures Martin, la façade est superbe !")),
                parse_post(post_json("2", HOSTILE, username="troll")),
                parse_post(post_json("3", "Rénovation terminée à Angers 🎨", username="paul49")),
                parse_post(
                    post_json(
                        "4",
                        "@claire_angers ils sont top, je confirme",
                        username="paul49",
                        is_reply=True,
                        in_reply_to="claire_angers",
                        in_reply_to_id="1",
                        conversation_id="1",
                    )
                ),
            ],
        )
        repository.insert_matches(
            session,
            [{"post_id": pid, "watch_id": watch.id, "rule_id": None} for pid in ids.values()],
        )
        counts.rebuild(session)  # what the pipeline keeps up to date
    return create_app(settings, db)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def login(client: TestClient, username: str = "claire", password: str = "bon-mot-de-passe") -> int:
    page = client.get("/login")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf": csrf, "next": "/"},
        follow_redirects=False,
    )
    return response.status_code


@pytest.fixture
def instance() -> Iterator[MastodonInstance]:
    """A Mastodon-speaking server the seeded inbox's account answers through."""
    with mastodon_instance() as running:
        yield running


@pytest.fixture
def ids(
    client: TestClient, db: Database, settings: Settings, instance: MastodonInstance
) -> dict[str, int]:
    """The inbox seeded with its team and items (tests/inbox/seed.py); item ids by name."""
    return seed_inbox(db, settings, instance_url=instance.url)


@pytest.fixture
def live_url(app: FastAPI) -> Iterator[str]:
    """The app served on 127.0.0.1, for the browser tests."""
    with serve(app) as url:
        yield url
