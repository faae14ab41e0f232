"""One scheduler serves every workspace: a weekly post due in each of two workspaces goes out
from each one's own account (on its own server), and each draft, its history and its next
occurrence stay in the workspace it belongs to."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from tests.publish.conftest import MastodonInstance, StepClock, quick_gateway
from tests.sources.servers import HttpServer, http_server

from veille.accounts import connect_account
from veille.crypto import SecretBox
from veille.publish.approvals import Actor
from veille.publish.drafts import create_draft
from veille.publish.publisher import ConnectorPublisher
from veille.publish.queue import make_recurring
from veille.publish.scheduler import Scheduler
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import DraftEvent, PublishJob
from veille.workspaces import create


@pytest.fixture
def other_instance() -> Iterator[tuple[MastodonInstance, HttpServer]]:
    state = MastodonInstance()
    with http_server(state) as server:
        yield state, server


def _weekly_post(
    db: Database, box: SecretBox, workspace: int, server: HttpServer, text: str, clock: StepClock
) -> int:
    """An account of ``workspace`` on ``server`` (the same handle in both workspaces) and a
    weekly draft from it, due now."""
    with db.session(workspace_id=workspace) as session:
        account = connect_account(
            session,
            box,
            network="mastodon",
            handle="martin@piaille.example",
            label="Martin",
            kind="company",
            credentials={"instance_url": server.url, "access_token": "tok-123"},
        )
        session.flush()
        draft = create_draft(session, text=text, account_ids=[account.id], user_id=None)
        make_recurring(
            session,
            draft,
            actor=Actor(None, "owner"),
            risk="low",
            weekday=clock().weekday(),
            wall_clock="10:00",  # Paris: an hour after the clock's 08:00 UTC
            now=clock(),
        )
        return draft.id


def test_due_posts_of_every_workspace_go_out_each_from_its_own_account(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    other_instance: tuple[MastodonInstance, HttpServer],
    clock: StepClock,
) -> None:
    with db.session(workspace_id=None) as session:
        other = create(session, slug="fleurs").id
    first_draft = _weekly_post(db, box, 1, instance[1], "Chantier fini rue Lionnaise", clock)
    other_draft = _weekly_post(db, box, other, other_instance[1], "Bouquets du samedi", clock)
    with db.session(workspace_id=None) as session:
        due = session.scalar(select(func.min(PublishJob.due_at)))
    assert due is not None
    clock.advance(due - clock())

    # The database is bound to the default workspace, as `veille publish` opens it.
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    assert len(scheduler.run_due().published) == 2

    assert [s["text"] for s in instance[0].statuses] == ["Chantier fini rue Lionnaise"]
    assert [s["text"] for s in other_instance[0].statuses] == ["Bouquets du samedi"]
    for workspace, draft_id in ((1, first_draft), (other, other_draft)):
        with db.session(workspace_id=workspace) as session:
            draft = session.get(tables.Draft, draft_id)
            assert draft is not None and draft.status == "scheduled"  # next week's is queued
            events = session.scalars(
                select(DraftEvent.action).where(DraftEvent.draft_id == draft_id)
            ).all()
            assert "published" in events
            jobs = session.scalars(select(PublishJob).order_by(PublishJob.id)).all()
            assert [j.status for j in jobs] == ["done", "pending"]
            assert {j.draft_id for j in jobs} == {draft_id}
            assert jobs[1].due_at == due + timedelta(days=7)
    with db.session(workspace_id=None) as session:
        stray = session.scalar(
            select(func.count())
            .select_from(DraftEvent)
            .join(tables.Draft, tables.Draft.id == DraftEvent.draft_id)
            .where(DraftEvent.workspace_id != tables.Draft.workspace_id)
        )
        assert stray == 0
        crossed = session.scalar(
            select(func.count())
            .select_from(PublishJob)
            .join(tables.Account, tables.Account.id == PublishJob.account_id)
            .where(PublishJob.workspace_id != tables.Account.workspace_id)
        )
        assert crossed == 0
