"""Approvals: a member cannot publish from an account that needs a manager; a manager can
approve; the owner's "no high risk without a manager"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from veille.publish.approvals import (
    Actor,
    ApprovalError,
    approve,
    request_publication,
    reviewed_texts,
    set_account_rule,
    set_high_risk_needs_manager,
)
from veille.publish.drafts import create_draft
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import DraftEvent, PublishJob

OWNER, MANAGER, MEMBER = Actor(None, "owner"), Actor(None, "manager"), Actor(None, "member")
AT = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


def _accounts(db: Database) -> tuple[int, int]:
    with db.session() as session:
        company = tables.Account(network="mastodon", handle="martin@piaille.fr", kind="company")
        boss = tables.Account(network="mastodon", handle="claire@piaille.fr", kind="personal")
        session.add_all([company, boss])
        session.flush()
        set_account_rule(session, actor=OWNER, account_id=company.id, required_role="manager")
        return company.id, boss.id


def test_member_waits_for_a_manager_on_the_company_account(db: Database) -> None:
    company, boss = _accounts(db)
    with db.session() as session:
        draft = create_draft(
            session, text="Nos horaires d'été", account_ids=[company], user_id=None
        )
        assert request_publication(session, draft, actor=MEMBER, at=AT, risk="low") == []
        assert draft.status == "pending_approval"
        assert session.scalars(select(PublishJob)).all() == []
        with pytest.raises(ApprovalError, match="manager"):
            approve(
                session, draft, actor=MEMBER, risk="low", reviewed=reviewed_texts(session, draft)
            )
        jobs = approve(
            session, draft, actor=MANAGER, risk="low", reviewed=reviewed_texts(session, draft)
        )
        assert [j.due_at for j in jobs] == [AT] and draft.status == "scheduled"
        actions = session.scalars(select(DraftEvent.action).order_by(DraftEvent.id)).all()
        assert actions == ["created", "approval_requested", "approved", "scheduled"]
        # The boss's own account has no rule: a member schedules directly.
        other = create_draft(session, text="Bonne semaine", account_ids=[boss], user_id=None)
        assert len(request_publication(session, other, actor=MEMBER, at=AT, risk="low")) == 1


def test_high_risk_needs_a_manager_only_when_the_owner_says_so(db: Database) -> None:
    _company, boss = _accounts(db)
    with db.session() as session:
        draft = create_draft(session, text="Risky", account_ids=[boss], user_id=None)
        with pytest.raises(ApprovalError):
            set_high_risk_needs_manager(session, actor=MANAGER, value=True)
        set_high_risk_needs_manager(session, actor=OWNER, value=True)
        request_publication(session, draft, actor=MEMBER, at=AT, risk="high")
        assert draft.status == "pending_approval"
        with pytest.raises(ApprovalError, match="viewers"):
            request_publication(session, draft, actor=Actor(None, "viewer"), at=AT, risk="low")
