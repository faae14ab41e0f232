"""Test helpers: a Mastodon-speaking server for replies, and an inbox with items to triage."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from tests.factories import post_json
from tests.sources.servers import HttpServer, Request, Response, http_server
from veille.accounts import connect_account
from veille.business import BusinessProfile
from veille.config import Settings
from veille.crypto import SecretBox
from veille.posts import parse_post
from veille.store import counts, repository, tables
from veille.store.db import Database
from veille.users import create_user

PASSWORD = "bon-mot-de-passe"
TOKEN = "mastodon-token-123456"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> Peintures Martin'
COMPLAINT = "Toujours pas de nouvelles de mon devis, c'est inadmissible @peinturesmartin"


@dataclass
class MastodonInstance:
    """POST /api/v1/statuses as Mastodon does it: one status per Idempotency-Key."""

    server: HttpServer | None = None
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> status
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(110_000_000_000_000_001))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def posted(self) -> list[dict[str, Any]]:
        return list(self.statuses.values())

    def __call__(self, request: Request) -> Response:
        if request.method != "POST" or request.path != "/api/v1/statuses":
            return Response(404, {"error": "Record not found"})
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return Response(401, {"error": "The access token is invalid"})
        body = request.json()
        key = request.headers.get("idempotency-key", "")
        with self._lock:
            if key not in self.statuses:
                status_id = str(next(self._ids))
                self.statuses[key] = {
                    "id": status_id,
                    "url": f"{self.url}/@peinturesmartin/{status_id}",
                    "content": f"<p>{body['status']}</p>",
                    "in_reply_to_id": body.get("in_reply_to_id"),
                    "visibility": body.get("visibility", "public"),
                }
            return Response(200, self.statuses[key])


@contextmanager
def mastodon_instance() -> Iterator[MastodonInstance]:
    instance = MastodonInstance()
    with http_server(instance) as server:
        instance.server = server
        yield instance


def seed_inbox(db: Database, settings: Settings, *, instance_url: str) -> dict[str, int]:
    """Team members of every role, a Mastodon account, and three items (complaint, question,
    hostile HTML) on top of the web fixture's posts. Returns ids by name."""
    box = SecretBox(settings.resolved_secret_key())
    with db.session() as session:
        for name, role in (("marc", "manager"), ("mila", "member"), ("victor", "viewer")):
            create_user(session, username=name, password=PASSWORD, role=role)
        repository.save_profile(
            session,
            BusinessProfile(
                name="Peintures Martin",
                handles=["peinturesmartin"],
                website="https://peintures-martin.example/devis",
            ),
        )
        account = connect_account(
            session,
            box,
            network="mastodon",
            handle="peinturesmartin",
            label="Entreprise",
            kind="company",
            credentials={"instance_url": instance_url, "access_token": TOKEN},
        )
        # The web fixture's posts 2 (hostile HTML) and 3 are reused when present.
        repository.insert_posts(
            session,
            [
                parse_post(
                    post_json(
                        "109999",
                        COMPLAINT,
                        network="mastodon",
                        username="sophie",
                        mentions=["peinturesmartin"],
                    )
                ),
                parse_post(post_json("2", HOSTILE, username="troll")),
                parse_post(post_json("3", "Rénovation terminée à Angers 🎨", username="paul49")),
            ],
        )
        posts = {p.network_post_id: p.id for p in session.scalars(select(tables.Post))}
        complaint, question, hostile = posts["109999"], posts["3"], posts["2"]
        repository.insert_enrichments(
            session,
            [
                _intents(complaint, "complaint", 0.9),
                _sentiment(complaint, "negative", 0.9),
                _intents(question, "question", 0.8),
                _intents(hostile, "question", 0.6),
            ],
        )
        repository.insert_inbox_items(
            session,
            [
                {"post_id": complaint, "priority": 40.0, "reason": "réclamation"},
                {"post_id": question, "priority": 20.0, "reason": "question"},
                {"post_id": hostile, "priority": 12.0, "reason": "question"},
            ],
        )
        counts.rebuild(session)  # what the pipeline keeps up to date
        items = {i.post_id: i.id for i in session.scalars(select(tables.InboxItem))}
        users = {u.username: u.id for u in session.scalars(select(tables.User))}
        return {
            "complaint": items[complaint],
            "question": items[question],
            "hostile": items[hostile],
            "account": account.id,
            **users,
        }


def _intents(post_id: int, label: str, score: float) -> dict[str, Any]:
    return {
        "post_id": post_id,
        "kind": "intents",
        "label": label,
        "score": score,
        "data": {"scores": {label: score}, "present": [label]},
        "model": "test",
    }


def _sentiment(post_id: int, label: str, score: float) -> dict[str, Any]:
    return {
        "post_id": post_id,
        "kind": "sentiment",
        "label": label,
        "score": score,
        "data": {},
        "model": "test",
    }
