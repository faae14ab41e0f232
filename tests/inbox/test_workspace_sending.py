"""A reply is sent in its own workspace: two workspaces answering the same post each send
from their own account to their own server, with the database bound to the default workspace
as the web app's is; each reply, its events and its item stay in their workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from tests.factories import post_json
from tests.publish.conftest import MastodonInstance
from tests.sources.servers import HttpServer, http_server
from veille.accounts import connect_account
from veille.crypto import SecretBox
from veille.inbox import sending
from veille.posts import parse_post
from veille.publish.publisher import ConnectorPublisher
from veille.store import repository, tables
from veille.store.db import Database
from veille.store.tables_inbox import InboxEvent, InboxReply
from veille.users import create_user
from veille.workspaces import create

BOX = SecretBox("test-secret-key-0123456789")


@pytest.fixture
def servers() -> Iterator[list[tuple[MastodonInstance, HttpServer]]]:
    first, other = MastodonInstance(), MastodonInstance()
    with http_server(first) as one, http_server(other) as two:
        yield [(first, one), (other, two)]


def _reply(db: Database, workspace: int, server: HttpServer, post_id: int, text: str) -> int:
    with db.session(workspace_id=workspace) as session:
        owner = create_user(
            session, username=f"owner{workspace}", password="bon-mot-de-passe", role="owner"
        )
        account = connect_account(
            session,
            BOX,
            network="mastodon",
            handle="martin@piaille.example",
            label="Entreprise",
            kind="company",
            credentials={"instance_url": server.url, "access_token": "tok-123"},
        )
        repository.insert_inbox_items(
            session,
            [{"workspace_id": workspace, "post_id": post_id, "priority": 1.0, "reason": "?"}],
        )
        item = session.scalars(select(tables.InboxItem)).one()
        reply = sending.write_reply(
            session,
            item_id=item.id,
            account_id=account.id,
            text=text,
            author_id=owner.id,
            author_role="owner",
            zone="Europe/Paris",
        )
        assert reply.status == "approved"
        return reply.id


def test_each_workspace_replies_from_its_own_account(
    db: Database, servers: list[tuple[MastodonInstance, HttpServer]]
) -> None:
    with db.session(workspace_id=None) as session:
        other = create(session, slug="fleurs").id
        question = post_json("110000000000000001", "Vous ouvrez samedi ?", network="mastodon")
        repository.insert_posts(session, [parse_post(question)])
        post_id = session.scalars(select(tables.Post.id)).one()
    texts = {1: "Oui, de 9 h à 12 h.", other: "Oui, toute la journée."}
    replies = {
        workspace: _reply(db, workspace, server, post_id, texts[workspace])
        for workspace, (_, server) in zip((1, other), servers, strict=True)
    }
    publisher = ConnectorPublisher(db, BOX)
    for reply_id in replies.values():
        status = sending.send_now(db, reply_id=reply_id, publisher=publisher, actor_id=None)
        assert status == "sent"

    for (state, _), workspace in zip(servers, (1, other), strict=True):
        assert [s["text"] for s in state.statuses] == [texts[workspace]]
        with db.session(workspace_id=workspace) as session:
            [reply] = session.scalars(select(InboxReply)).all()
            assert reply.id == replies[workspace] and reply.status == "sent"
            assert reply.network_post_id == state.statuses[0]["id"]
            kinds = session.scalars(select(InboxEvent.kind)).all()
            assert "reply_sent" in kinds
            item = session.scalars(select(tables.InboxItem)).one()
            assert item.status == "done"
    with db.session(workspace_id=None) as session:
        events = session.execute(select(InboxEvent.workspace_id, InboxEvent.item_id)).all()
        rows = session.execute(select(tables.InboxItem.id, tables.InboxItem.workspace_id))
        items = {item: workspace for item, workspace in rows}
        assert all(items[item] == workspace for workspace, item in events)


def test_a_failed_reply_of_another_workspace_is_retried_there(
    db: Database, servers: list[tuple[MastodonInstance, HttpServer]]
) -> None:
    with db.session(workspace_id=None) as session:
        other = create(session, slug="fleurs").id
        question = post_json("110000000000000002", "Un devis ?", network="mastodon")
        repository.insert_posts(session, [parse_post(question)])
        post_id = session.scalars(select(tables.Post.id)).one()
    state, server = servers[1]
    reply_id = _reply(db, other, server, post_id, "Bien sûr, passez nous voir.")
    state.refuse_containing = "passez"
    publisher = ConnectorPublisher(db, BOX)
    assert sending.send_now(db, reply_id=reply_id, publisher=publisher, actor_id=None) == "failed"
    state.refuse_containing = "\x00"
    assert sending.retry(db, reply_id=reply_id, publisher=publisher, actor_id=None) == "sent"
    with db.session(workspace_id=other) as session:
        kinds = session.scalars(select(InboxEvent.kind).order_by(InboxEvent.id)).all()
        assert [k for k in kinds if k.startswith("reply_")] == [
            "reply_written",
            "reply_failed",
            "reply_sent",
        ]
