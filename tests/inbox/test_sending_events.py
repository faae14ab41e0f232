"""Every state change of a reply leaves its event: a reply waiting for approval moves its item
to "waiting" with a status event, and a reply that cannot be sent is marked failed with a
reply_failed event (no route writes the status by hand any more)."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import post_json
from tests.inbox.seed import seed_inbox
from veille.accounts import connect_account
from veille.config import Settings
from veille.crypto import SecretBox
from veille.inbox import routing, sending
from veille.posts import parse_post
from veille.publish.publisher import ConnectorPublisher
from veille.store import repository, tables
from veille.store.db import Database
from veille.store.tables_inbox import InboxEvent, InboxReply
from veille.users import create_user


def _events(db: Database, item_id: int) -> list[tuple[str, dict[str, object]]]:
    with db.session() as session:
        rows = session.scalars(
            select(InboxEvent).where(InboxEvent.item_id == item_id).order_by(InboxEvent.id)
        )
        return [(e.kind, dict(e.detail)) for e in rows]


def test_a_reply_waiting_for_approval_moves_the_item_with_an_event(
    db: Database, settings: Settings
) -> None:
    ids = seed_inbox(db, settings, instance_url="http://127.0.0.1:9")
    with db.session() as session:
        routing.set_needs_approval(session, account_id=ids["account"], needs_approval=True)
        reply = sending.write_reply(
            session,
            item_id=ids["complaint"],
            account_id=ids["account"],
            text="Bonjour Sophie, nous vous rappelons aujourd'hui.",
            author_id=ids["mila"],
            author_role="member",
            zone="Europe/Paris",
        )
        assert reply.status == "pending_approval"
        item = session.get(tables.InboxItem, ids["complaint"])
        assert item is not None and item.status == "waiting"
    events = _events(db, ids["complaint"])
    assert [k for k, _ in events] == ["reply_written", "status"]
    assert events[1][1] == {"before": "new", "after": "waiting"}


def test_a_reply_that_cannot_be_sent_is_failed_with_an_event(db: Database) -> None:
    box = SecretBox("test-secret-key-0123456789")
    with db.session() as session:
        owner = create_user(session, username="martin", password="bon-mot-de-passe", role="owner")
        account = connect_account(
            session,
            box,
            network="x",
            handle="PeinturesMartin",
            label="Entreprise",
            kind="company",
            credentials={"client_id": "cid", "access_token": "x-user-token"},
        )
        # Not an X post id: the connector cannot reply to it, and nothing is sent.
        repository.insert_posts(session, [parse_post(post_json("pas-un-id", "Un peintre ?"))])
        post = session.scalars(select(tables.Post)).one()
        repository.insert_inbox_items(
            session, [{"post_id": post.id, "priority": 1.0, "reason": "question"}]
        )
        item = session.scalars(select(tables.InboxItem)).one()
        reply = sending.write_reply(
            session,
            item_id=item.id,
            account_id=account.id,
            text="Bonjour, nous passons cette semaine.",
            author_id=owner.id,
            author_role="owner",
            zone="Europe/Paris",
        )
        reply_id, item_id = reply.id, item.id
    publisher = ConnectorPublisher(db, box)
    status = sending.send_now(db, reply_id=reply_id, publisher=publisher, actor_id=None)
    assert status == "failed"
    with db.session() as session:
        stored = session.get(InboxReply, reply_id)
        assert stored is not None and stored.status == "failed"
        assert stored.error is not None and "not an X post id" in stored.error
    assert _events(db, item_id)[-1] == ("reply_failed", {"reply_id": reply_id})
    # A retry tries again and, failing again, leaves a second event.
    assert sending.retry(db, reply_id=reply_id, publisher=publisher, actor_id=None) == "failed"
    kinds = [k for k, _ in _events(db, item_id)]
    assert kinds.count("reply_failed") == 2


def test_retry_leaves_a_reply_that_did_not_fail_as_it_is(db: Database, settings: Settings) -> None:
    ids = seed_inbox(db, settings, instance_url="http://127.0.0.1:9")
    with db.session() as session:
        routing.set_needs_approval(session, account_id=ids["account"], needs_approval=True)
        reply_id = sending.write_reply(
            session,
            item_id=ids["complaint"],
            account_id=ids["account"],
            text="Bonjour, nous vous répondons vite.",
            author_id=ids["mila"],
            author_role="member",
            zone="Europe/Paris",
        ).id
    box = SecretBox(settings.resolved_secret_key())
    publisher = ConnectorPublisher(db, box)
    status = sending.retry(db, reply_id=reply_id, publisher=publisher, actor_id=ids["mila"])
    assert status == "pending_approval"
    assert [k for k, _ in _events(db, ids["complaint"])] == ["reply_written", "status"]
