"""The draft's state is checked by the actions themselves, whoever calls them: a draft with
nothing scheduled cannot be cancelled, a scheduled one cannot be edited, queued or made
weekly until it is cancelled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from veille.publish import actions
from veille.publish.approvals import Actor
from veille.publish.drafts import DraftError, cancel_draft, create_draft, edit_variant
from veille.publish.queue import make_recurring, queue_draft
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import DraftEvent, PublishJob

MEMBER = Actor(None, "member")
AT = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def test_cancel_refuses_a_draft_with_nothing_scheduled(db: Database) -> None:
    with db.session() as session:
        account = tables.Account(network="mastodon", handle="martin@piaille.fr", kind="company")
        session.add(account)
        session.flush()
        draft = create_draft(session, text="Chantier fini", account_ids=[account.id], user_id=None)
        with pytest.raises(DraftError, match="cancel: nothing is scheduled"):
            cancel_draft(session, draft, user_id=None)
        with pytest.raises(DraftError, match="cancel: nothing is scheduled"):
            actions.cancel(session, draft=draft, actor=MEMBER)
        actions.schedule_at(session, draft=draft, actor=MEMBER, at=AT)
        draft.status = "published"  # as the scheduler leaves it once every job is done
        with pytest.raises(DraftError, match="cancel: nothing is scheduled"):
            cancel_draft(session, draft, user_id=None)
        assert draft.status == "published"
        kinds = session.scalars(select(DraftEvent.action).order_by(DraftEvent.id)).all()
        assert "cancelled" not in kinds


def test_a_scheduled_draft_must_be_cancelled_before_anything_else(db: Database) -> None:
    with db.session() as session:
        account = tables.Account(network="mastodon", handle="martin@piaille.fr", kind="company")
        session.add(account)
        session.flush()
        draft = create_draft(session, text="Chantier fini", account_ids=[account.id], user_id=None)
        actions.schedule_at(session, draft=draft, actor=MEMBER, at=AT)
        assert draft.status == "scheduled"
        with pytest.raises(DraftError, match="scheduled: cancel first"):
            edit_variant(
                session, draft_id=draft.id, account_id=account.id, text="Autre", user_id=None
            )
        with pytest.raises(DraftError, match="queue: cancel first"):
            queue_draft(session, draft, actor=MEMBER, risk="low", now=NOW)
        with pytest.raises(DraftError, match="recurring: cancel first"):
            make_recurring(
                session,
                draft,
                actor=MEMBER,
                risk="low",
                weekday=0,
                wall_clock="09:00",
                zone="Europe/Paris",
                now=NOW,
            )
        assert actions.cancel(session, draft=draft, actor=MEMBER) == 1
        assert draft.status == "draft"
        statuses = session.scalars(select(PublishJob.status)).all()
        assert statuses == ["cancelled"]
        actions.rewrite_variant(
            session, draft=draft, actor=MEMBER, account_id=account.id, text="Autre texte"
        )
