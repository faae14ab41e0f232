"""X has no idempotency key: after a crash between X accepting a post and Veille recording
it, the retry looks the post up on the account's timeline instead of posting it again."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from tests.helpers.publishing import DiesAfterSending, Killed
from tests.helpers.x_api import XApi
from tests.publish.conftest import StepClock, quick_gateway
from tests.sources.servers import HttpServer, http_server

from veille.accounts import connect_account
from veille.crypto import SecretBox
from veille.publish.publisher import ConnectorPublisher, JobRequest
from veille.publish.scheduler import Scheduler, enqueue
from veille.sources.base import PublishedPost
from veille.store.db import Database
from veille.store.tables_publish import PublishJob


@pytest.fixture
def x_api() -> Any:
    state = XApi()
    with http_server(state) as server:
        yield state, server


@pytest.fixture
def x_account(db: Database, box: SecretBox) -> int:
    with db.session() as session:
        return connect_account(
            session,
            box,
            network="x",
            handle="PeinturesMartin",
            label="Peintures Martin",
            kind="company",
            credentials={"client_id": "cid", "access_token": "x-user-token"},
        ).id


class DiesBeforeSending:
    def __init__(self, inner: ConnectorPublisher) -> None:
        self.inner, self.armed = inner, True

    def publish(self, request: JobRequest) -> PublishedPost:
        if self.armed:
            self.armed = False
            raise Killed()
        return self.inner.publish(request)


def _setup(db: Database, box: SecretBox, server: HttpServer, account: int, clock: StepClock) -> Any:
    with db.session() as session:
        job_id = enqueue(
            session,
            account_id=account,
            network="x",
            text="Chantier terminé à Angers, merci à l'équipe !",
            due_at=clock() - timedelta(minutes=1),
        ).id
    publisher = ConnectorPublisher(db, box, endpoints={"x": server.url}, gateway=quick_gateway)
    return job_id, publisher


def _job(db: Database, job_id: int) -> PublishJob:
    with db.session() as session:
        job = session.scalar(select(PublishJob).where(PublishJob.id == job_id))
        assert job is not None
        return job


def test_restart_after_x_accepted_the_post_records_it_without_posting_twice(
    db: Database, box: SecretBox, x_api: Any, x_account: int, clock: StepClock
) -> None:
    state, server = x_api
    job_id, real = _setup(db, box, server, x_account, clock)
    with pytest.raises(Killed):
        Scheduler(db, DiesAfterSending(real, {job_id}), now=clock, worker="first").run_due()
    assert len(state.tweets) == 1 and _job(db, job_id).status == "running"

    clock.advance(timedelta(minutes=6))  # the lease runs out; a restarted process takes it
    assert Scheduler(db, real, now=clock, worker="second").run_due().published == [job_id]

    posts = [r for r in server.requests if r.method == "POST" and r.path == "/2/tweets"]
    assert len(posts) == 1  # looked up, not sent again
    job = _job(db, job_id)
    assert job.status == "done" and job.network_post_id == state.tweets[0]["id"]
    assert job.url == f"https://x.com/i/web/status/{state.tweets[0]['id']}"
    lookups = [r for r in server.requests if r.path == "/2/users/4242/tweets"]
    assert lookups and lookups[0].arg("start_time")


def test_restart_before_anything_was_sent_posts_once(
    db: Database, box: SecretBox, x_api: Any, x_account: int, clock: StepClock
) -> None:
    state, server = x_api
    job_id, real = _setup(db, box, server, x_account, clock)
    dying = DiesBeforeSending(real)
    with pytest.raises(Killed):
        Scheduler(db, dying, now=clock, worker="first").run_due()
    assert state.tweets == []
    clock.advance(timedelta(minutes=6))
    assert Scheduler(db, real, now=clock, worker="second").run_due().published == [job_id]
    assert len(state.tweets) == 1 and _job(db, job_id).network_post_id == state.tweets[0]["id"]


def test_first_attempt_posts_without_looking_up(
    db: Database, box: SecretBox, x_api: Any, x_account: int, clock: StepClock
) -> None:
    state, server = x_api
    job_id, real = _setup(db, box, server, x_account, clock)
    assert Scheduler(db, real, now=clock).run_due().published == [job_id]
    assert len(state.tweets) == 1
    assert not [r for r in server.requests if r.path.endswith("/tweets") and r.method == "GET"]
