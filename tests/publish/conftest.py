"""A fake-free publishing setup: a Mastodon-speaking server on 127.0.0.1 that honours the
Idempotency-Key header as Mastodon does, and an account whose credentials point at it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tests.sources.servers import HttpServer, Request, Response, http_server

from veille.accounts import connect_account
from veille.crypto import SecretBox
from veille.sources.base import HttpGateway
from veille.store.db import Database

SECRET = "test-secret-key-0123456789"


@dataclass
class MastodonInstance:
    """Statuses created, keyed by Idempotency-Key: a repeated key returns the first status."""

    statuses: list[dict[str, Any]] = field(default_factory=list)
    by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_next: list[Response] = field(default_factory=list)
    refuse_containing: str = "\x00"  # statuses with this text get a 422, as Mastodon does
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Request) -> Response:
        if request.method != "POST" or request.path != "/api/v1/statuses":
            return Response(404, {"error": "Record not found"})
        if request.headers.get("authorization") != "Bearer tok-123":
            return Response(401, {"error": "The access token is invalid"})
        with self.lock:
            if self.fail_next:
                return self.fail_next.pop(0)
            if self.refuse_containing in request.json()["status"]:
                return Response(422, {"error": "Validation failed: Text is not allowed"})
            key = request.headers.get("idempotency-key", "")
            if key and key in self.by_key:
                return Response(200, self.by_key[key])
            number = str(110_000_000_000_000_000 + len(self.statuses) + 1)
            status = {
                "id": number,
                "url": f"https://piaille.example/@martin/{number}",
                "content": f"<p>{request.json()['status']}</p>",
                "text": request.json()["status"],
                "in_reply_to_id": request.json().get("in_reply_to_id"),
            }
            self.statuses.append(status)
            if key:
                self.by_key[key] = status
            return Response(200, status)


@pytest.fixture
def box() -> SecretBox:
    return SecretBox(SECRET)


@pytest.fixture
def instance() -> Iterator[tuple[MastodonInstance, HttpServer]]:
    state = MastodonInstance()
    with http_server(state) as server:
        yield state, server


@pytest.fixture
def mastodon_account(db: Database, box: SecretBox, instance: tuple[Any, HttpServer]) -> int:
    with db.session() as session:
        account = connect_account(
            session,
            box,
            network="mastodon",
            handle="martin@piaille.example",
            label="Peintures Martin",
            kind="company",
            credentials={"instance_url": instance[1].url, "access_token": "tok-123"},
        )
        return account.id


def quick_gateway(network: str) -> HttpGateway:
    """No in-line retries: the scheduler's own backoff is under test."""
    return HttpGateway(network, max_attempts=1)


class StepClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta


@pytest.fixture
def clock() -> StepClock:
    return StepClock(datetime(2026, 3, 20, 8, 0, tzinfo=UTC))
