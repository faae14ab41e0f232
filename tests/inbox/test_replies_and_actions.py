"""Saved replies, routing choice and state changes on a real SQLite store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.inbox.seed import seed_inbox
from veille.config import Settings
from veille.inbox import actions, replies, routing
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_inbox import InboxEvent
from veille.timeutil import utcnow


def test_fill_keeps_unknown_braces_and_check_names_typos() -> None:
    values = {"prenom": "Sophie", "entreprise": "Peintures Martin", "lien_devis": "https://d"}
    assert replies.fill("Bonjour {prenom} ({entreprise}) {x}", values) == (
        "Bonjour Sophie (Peintures Martin) {x}"
    )
    with pytest.raises(replies.ReplyTemplateError, match=r"\{nom\} at character 9"):
        replies.check_template("Bonjour {nom}")
    with pytest.raises(replies.ReplyTemplateError, match="body: the text is empty"):
        replies.check_template("  ")


def test_routing_prefers_the_rule_then_the_company_account(
    db: Database, settings: Settings
) -> None:
    ids = seed_inbox(db, settings, instance_url="http://127.0.0.1:9")
    with db.session() as session:
        boss = tables.Account(
            network="mastodon", handle="martin", kind="personal", credentials_encrypted="x"
        )
        session.add(boss)
        session.flush()
        chosen = routing.choose_account(session, intent="lead", network="mastodon")
        assert chosen is not None and chosen.id == ids["account"]  # company first by default
        routing.set_rule(session, intent="lead", account_id=boss.id)
        chosen = routing.choose_account(session, intent="lead", network="mastodon")
        assert chosen is not None and chosen.id == boss.id
        assert routing.choose_account(session, intent="lead", network="x") is None
        with pytest.raises(routing.RoutingError, match="intent"):
            routing.set_rule(session, intent="weather", account_id=boss.id)


def test_state_changes_leave_history_and_refuse_bad_input(db: Database, settings: Settings) -> None:
    ids = seed_inbox(db, settings, instance_url="http://127.0.0.1:9")
    item = ids["question"]
    with db.session() as session:
        actions.assign(session, item_id=item, assignee_id=ids["mila"], actor_id=ids["marc"])
        row = session.get(tables.InboxItem, item)
        assert row is not None and row.status == "assigned"
        actions.assign(session, item_id=item, assignee_id=None, actor_id=ids["marc"])
        assert row.status == "new"
        with pytest.raises(actions.ActionError, match="status: choose one of the statuses offered"):
            actions.set_status(session, item_id=item, status="archived", actor_id=None)
        with pytest.raises(actions.ActionError, match="already past"):
            actions.snooze(session, item_id=item, until=utcnow() - timedelta(1), actor_id=None)
        with pytest.raises(actions.ActionError, match="assignee: this team member no longer"):
            actions.assign(session, item_id=item, assignee_id=999, actor_id=None)
        with pytest.raises(LookupError):
            actions.add_note(session, item_id=999_999, author_id=None, text="x")
        handled = actions.bulk(
            session, item_ids=[item, item, 999_999], action="ignored", actor_id=ids["mila"]
        )
        assert handled == 1 and row.status == "ignored" and row.closed_by_id == ids["mila"]
        kinds = [e.kind for e in session.query(InboxEvent).filter_by(item_id=item)]
        assert kinds == ["assign", "status", "assign", "status", "status"]
