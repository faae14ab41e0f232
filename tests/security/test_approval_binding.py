"""Finding 6: an approval is bound to the text the reviewer read; an edit withdraws the request."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from veille.publish.approvals import (
    Actor,
    ApprovalError,
    approve,
    request_publication,
    reviewed_texts,
    set_account_rule,
)
from veille.publish.drafts import create_draft, edit_variant
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import DraftEvent, DraftVariant, PublishJob

OWNER, MANAGER, MEMBER = Actor(None, "owner"), Actor(None, "manager"), Actor(None, "member")
AT = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
ASKED = "Nos horaires d'été : 8h-18h du lundi au vendredi."
SNUCK_IN = "Nos concurrents sont des escrocs, venez chez nous !"


def _waiting_draft(db: Database) -> tuple[int, int]:
    with db.session() as session:
        company = tables.Account(network="mastodon", handle="martin@piaille.fr", kind="company")
        session.add(company)
        session.flush()
        set_account_rule(session, actor=OWNER, account_id=company.id, required_role="manager")
        draft = create_draft(session, text=ASKED, account_ids=[company.id], user_id=None)
        request_publication(session, draft, actor=MEMBER, at=AT, risk="low")
        assert draft.status == "pending_approval"
        return draft.id, company.id


def test_an_edit_after_the_request_withdraws_it(db: Database) -> None:
    draft_id, account = _waiting_draft(db)
    with db.session() as session:
        draft = session.get(tables.Draft, draft_id)
        assert draft is not None
        seen = reviewed_texts(session, draft)  # the manager opens the page
        edit_variant(session, draft_id=draft_id, account_id=account, text=SNUCK_IN, user_id=None)
        assert draft.status == "draft"
        with pytest.raises(ApprovalError, match="not waiting"):
            approve(session, draft, actor=MANAGER, risk="low", reviewed=seen)
        assert session.scalars(select(PublishJob)).all() == []
        kinds = session.scalars(select(DraftEvent.action).order_by(DraftEvent.id)).all()
        assert kinds[-2:] == ["edited", "approval_reset"]


def test_only_the_text_read_can_be_approved(db: Database) -> None:
    draft_id, _ = _waiting_draft(db)
    with db.session() as session:
        draft = session.get(tables.Draft, draft_id)
        assert draft is not None
        seen = reviewed_texts(session, draft)
        # Changed by any other path while the page was open.
        session.execute(update(DraftVariant).values(text=SNUCK_IN))
        with pytest.raises(ApprovalError, match="changed since you opened it"):
            approve(session, draft, actor=MANAGER, risk="low", reviewed=seen)
        with pytest.raises(ApprovalError, match="changed"):
            approve(session, draft, actor=MANAGER, risk="low", reviewed="")
        assert session.scalars(select(PublishJob)).all() == []


def test_the_approval_records_and_publishes_what_was_read(db: Database) -> None:
    draft_id, account = _waiting_draft(db)
    with db.session() as session:
        draft = session.get(tables.Draft, draft_id)
        assert draft is not None
        jobs = approve(
            session, draft, actor=MANAGER, risk="low", reviewed=reviewed_texts(session, draft)
        )
        assert [job.text for job in jobs] == [ASKED]
        event = session.scalars(select(DraftEvent).where(DraftEvent.action == "approved")).one()
        assert event.detail["texts"] == {str(account): ASKED}
        # Scheduled: the text can no longer be changed under the approval.
        with pytest.raises(ValueError, match="cancel first"):
            edit_variant(
                session, draft_id=draft_id, account_id=account, text=SNUCK_IN, user_id=None
            )
