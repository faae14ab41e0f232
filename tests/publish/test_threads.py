"""A thread goes out in order, each post replying to the one before, against a Mastodon-speaking
server: a crash between sending and recording a post holds the rest back until it is recorded,
and a post refused for good stops the thread there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.helpers.publishing import DiesAfterSending, Killed
from tests.publish.conftest import MastodonInstance, StepClock, quick_gateway
from tests.sources.servers import HttpServer

from veille.crypto import SecretBox
from veille.publish.approvals import Actor
from veille.publish.drafts import create_draft, schedule_draft
from veille.publish.publisher import ConnectorPublisher
from veille.publish.queue import make_recurring
from veille.publish.scheduler import THREAD_BROKEN, Scheduler
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import PublishJob

PARTS = ["Notre chantier rue Saint-Laud 1/3", "Enduit à la chaux posé 2/3", "Merci aux voisins 3/3"]


def _draft(session: Session, account: int) -> tables.Draft:
    return create_draft(
        session, text=PARTS[0], thread=PARTS[1:], account_ids=[account], user_id=None
    )


def _thread(db: Database, account: int, clock: StepClock) -> int:
    """The thread's draft, scheduled a minute ago."""
    with db.session() as session:
        draft = _draft(session, account)
        schedule_draft(session, draft, at=clock() - timedelta(minutes=1), user_id=None)
        return draft.id


def _jobs(db: Database) -> list[PublishJob]:
    with db.session() as session:
        return list(session.scalars(select(PublishJob).order_by(PublishJob.id)))


def test_a_thread_is_published_in_order_each_post_replying_to_the_one_before(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, _ = instance
    draft_id = _thread(db, mastodon_account, clock)
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    assert len(scheduler.run_due().published) == 3
    assert [s["text"] for s in state.statuses] == PARTS
    assert state.statuses[0]["in_reply_to_id"] is None
    for before, after in zip(state.statuses, state.statuses[1:], strict=False):
        assert after["in_reply_to_id"] == before["id"]
    with db.session() as session:
        assert session.get(tables.Draft, draft_id).status == "published"  # type: ignore[union-attr]


def test_a_crash_after_sending_holds_the_rest_until_that_post_is_recorded(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, _ = instance
    _thread(db, mastodon_account, clock)
    first = _jobs(db)[0]
    real = ConnectorPublisher(db, box, gateway=quick_gateway)
    with pytest.raises(Killed):
        Scheduler(db, DiesAfterSending(real, {first.id}), now=clock, worker="a").run_due()
    # The first post is online but unrecorded: the second must not go out replying to nothing.
    restarted = Scheduler(db, real, now=clock, worker="b")
    assert restarted.run_due().published == []
    assert [j.status for j in _jobs(db)] == ["running", "pending", "pending"]
    clock.advance(timedelta(minutes=6))  # the lease runs out: the first is sent again, same key
    assert len(restarted.run_due().published) == 3
    assert [s["text"] for s in state.statuses] == PARTS  # each post once
    assert state.statuses[1]["in_reply_to_id"] == state.statuses[0]["id"]
    assert state.statuses[2]["in_reply_to_id"] == state.statuses[1]["id"]


def test_a_post_refused_for_good_stops_the_thread_there(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, _ = instance
    state.refuse_containing = "chaux"  # the second post is refused, as Mastodon does with 422
    draft_id = _thread(db, mastodon_account, clock)
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    summary = scheduler.run_due()
    assert len(summary.published) == 1 and len(summary.failed) == 1
    jobs = _jobs(db)
    assert [j.status for j in jobs] == ["done", "failed", "failed"]
    assert jobs[2].last_error == THREAD_BROKEN
    assert [s["text"] for s in state.statuses] == PARTS[:1]  # the third never went out
    clock.advance(timedelta(hours=2))
    assert scheduler.run_due().published == []
    with db.session() as session:
        assert session.get(tables.Draft, draft_id).status == "failed"  # type: ignore[union-attr]


def test_a_weekly_thread_comes_back_whole(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, _ = instance
    with db.session() as session:
        draft = _draft(session, mastodon_account)
        at, jobs = make_recurring(
            session,
            draft,
            actor=Actor(None, "owner"),
            risk="low",
            weekday=clock().weekday(),
            wall_clock="10:00",  # Paris: an hour after the clock's 08:00 UTC
            now=clock(),
        )
    assert len(jobs) == 3
    clock.advance(at - clock())
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    assert len(scheduler.run_due().published) == 3
    pending = [j for j in _jobs(db) if j.status == "pending"]
    assert [j.text for j in pending] == PARTS  # next week's thread, all three posts
    assert pending[0].due_at == at + timedelta(days=7)
    assert pending[1].after_job_id == pending[0].id and pending[2].after_job_id == pending[1].id
    assert len(state.statuses) == 3
