"""The durable scheduler against a Mastodon-speaking server: a crash between sending and
recording, a second worker, retries with backoff, and errors kept for the interface."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from tests.helpers.publishing import DiesAfterSending, Killed
from tests.publish.conftest import MastodonInstance, StepClock, quick_gateway
from tests.sources.servers import HttpServer, Response

from veille.crypto import SecretBox
from veille.publish.publisher import ConnectorPublisher
from veille.publish.scheduler import Scheduler, enqueue
from veille.store.db import Database
from veille.store.tables_publish import PublishJob


def _jobs(db: Database) -> list[PublishJob]:
    with db.session() as session:
        return list(session.scalars(select(PublishJob).order_by(PublishJob.id)))


def _enqueue_three(db: Database, account: int, clock: StepClock) -> list[int]:
    with db.session() as session:
        return [
            enqueue(
                session,
                account_id=account,
                network="mastodon",
                text=f"Chantier n°{n} terminé à Angers",
                due_at=clock() - timedelta(minutes=5 - n),
            ).id
            for n in range(3)
        ]


def test_restart_mid_run_posts_nothing_twice_and_misses_nothing(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, server = instance
    ids = _enqueue_three(db, mastodon_account, clock)
    real = ConnectorPublisher(db, box, gateway=quick_gateway)
    first = Scheduler(db, DiesAfterSending(real, {ids[1]}), now=clock, worker="first")
    with pytest.raises(Killed):
        first.run_due()
    # The first job is recorded; the second was sent but its result was lost with the process.
    assert [j.status for j in _jobs(db)] == ["done", "running", "pending"]

    # A restarted scheduler does not steal a job whose lease is still running...
    restarted = Scheduler(db, real, now=clock, worker="second")
    restarted.run_due()
    assert [j.status for j in _jobs(db)] == ["done", "running", "done"]
    # ...and takes it back once the lease has run out, with the same idempotency key.
    clock.advance(timedelta(minutes=6))
    summary = restarted.run_due()
    assert summary.published == [ids[1]]

    jobs = _jobs(db)
    assert [j.status for j in jobs] == ["done", "done", "done"]
    texts = [s["text"] for s in state.statuses]
    assert sorted(texts) == sorted(j.text for j in jobs)  # each post exactly once
    posts = [r for r in server.requests if r.method == "POST"]
    assert len(posts) == 4  # the lost one was really sent twice; the key made it one post
    assert jobs[1].network_post_id == state.by_key[jobs[1].idempotency_key]["id"]
    assert jobs[1].url and jobs[1].url.startswith("https://piaille.example/@martin/")
    assert jobs[1].attempts == 2


def test_two_schedulers_at_once_share_the_jobs_without_duplicates(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    import threading

    state, _ = instance
    with db.session() as session:
        for n in range(12):
            enqueue(
                session,
                account_id=mastodon_account,
                network="mastodon",
                text=f"post {n}",
                due_at=clock() - timedelta(seconds=n),
            )
    workers = [
        Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock, worker=w)
        for w in ("a", "b")
    ]
    threads = [threading.Thread(target=w.run_due) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(s["text"] for s in state.statuses) == sorted(f"post {n}" for n in range(12))
    assert all(j.status == "done" and j.attempts == 1 for j in _jobs(db))


def test_jobs_not_yet_due_wait(
    db: Database, box: SecretBox, instance: Any, mastodon_account: int, clock: StepClock
) -> None:
    with db.session() as session:
        enqueue(
            session,
            account_id=mastodon_account,
            network="mastodon",
            text="demain",
            due_at=clock() + timedelta(hours=1),
        )
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    assert scheduler.run_due().published == []
    clock.advance(timedelta(hours=1))
    assert len(scheduler.run_due().published) == 1


def test_server_errors_are_retried_with_backoff_then_shown(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, _ = instance
    state.fail_next = [Response(503, {"error": "Service indisponible"}) for _ in range(3)]
    with db.session() as session:
        job_id = enqueue(
            session, account_id=mastodon_account, network="mastodon", text="x", due_at=clock()
        ).id
    scheduler = Scheduler(
        db,
        ConnectorPublisher(db, box, gateway=quick_gateway),
        now=clock,
        max_attempts=3,
        backoff=timedelta(minutes=1),
    )
    # The connector itself tries 3 times per attempt; 3 failures = one scheduler attempt.
    assert scheduler.run_due().retrying == [job_id]
    job = _jobs(db)[0]
    assert job.status == "pending" and "503" in (job.last_error or "")
    assert job.next_attempt_at == clock() + timedelta(minutes=1)
    assert scheduler.run_due().published == []  # not before the backoff
    clock.advance(timedelta(minutes=1))
    assert scheduler.run_due().published == [job_id]
    assert len(state.statuses) == 1


def test_refused_post_fails_at_once_with_the_network_error(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, _ = instance
    state.fail_next = [Response(422, {"error": "Validation failed: Text character limit of 500"})]
    with db.session() as session:
        job_id = enqueue(
            session, account_id=mastodon_account, network="mastodon", text="x", due_at=clock()
        ).id
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    assert scheduler.run_due().failed == [job_id]
    job = _jobs(db)[0]
    assert job.status == "failed"
    assert "character limit of 500" in (job.last_error or "")
    assert "tok-123" not in (job.last_error or "")


def test_enqueue_is_idempotent_on_the_occurrence(
    db: Database, mastodon_account: int, clock: StepClock
) -> None:
    due = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)
    with db.session() as session:
        a = enqueue(session, account_id=mastodon_account, network="mastodon", text="t", due_at=due)
        b = enqueue(session, account_id=mastodon_account, network="mastodon", text="t", due_at=due)
        assert a.id == b.id
    with db.session() as session, pytest.raises(ValueError, match="due_at"):
        enqueue(
            session,
            account_id=mastodon_account,
            network="mastodon",
            text="t",
            due_at=datetime(2026, 4, 1, 9, 0),
        )
