"""Inbox replies on X and Bluesky through the publishing connectors, against local servers
speaking each network's wire format: each reply reaches the network exactly once, in reply to
the right post, even when the send is retried."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import select

from tests.factories import post_json
from tests.sources.servers import Request, Response, http_server
from veille.accounts import connect_account
from veille.crypto import SecretBox
from veille.inbox import sending
from veille.posts import parse_post
from veille.publish.publisher import ConnectorPublisher
from veille.sources.base import HttpGateway
from veille.store import repository, tables
from veille.store.db import Database
from veille.store.tables_inbox import InboxReply
from veille.users import create_user

BOX = SecretBox("test-secret-key-0123456789")
PARENT_TWEET = "1880000000000000042"
PARENT_URI = "at://did:plc:claire/app.bsky.feed.post/3lhxparent001"


class QuickGateway(HttpGateway):
    """The real gateway with short timeouts, so a late answer counts as a timeout in tests."""

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        if kwargs.get("timeout"):
            kwargs["timeout"] = min(kwargs["timeout"], 0.3)
        return super().request(method, url, **kwargs)


def quick(network: str) -> HttpGateway:
    return QuickGateway(network, max_attempts=1)


def seed(db: Database, *, network: str, handle: str, creds: dict[str, str], post_id: str) -> int:
    """An owner, an account on ``network``, and one inbox item on a post there; the reply's id."""
    with db.session() as session:
        owner = create_user(session, username="martin", password="bon-mot-de-passe", role="owner")
        account = connect_account(
            session,
            BOX,
            network=network,
            handle=handle,
            label="Entreprise",
            kind="company",
            credentials=creds,
        )
        repository.insert_posts(
            session,
            [
                parse_post(
                    post_json(post_id, "Qui connaît un bon peintre à Angers ?", network=network)
                )
            ],
        )
        post = session.scalars(select(tables.Post)).one()
        repository.insert_inbox_items(
            session, [{"post_id": post.id, "priority": 20.0, "reason": "question"}]
        )
        item = session.scalars(select(tables.InboxItem)).one()
        reply = sending.write_reply(
            session,
            item_id=item.id,
            account_id=account.id,
            text="Bonjour, nous pouvons passer voir votre façade cette semaine.",
            author_id=owner.id,
            author_role="owner",
            zone="Europe/Paris",
        )
        return reply.id


def reply_row(db: Database, reply_id: int) -> tuple[str, str | None, str | None, str | None]:
    with db.session() as session:
        reply = session.get(InboxReply, reply_id)
        assert reply is not None
        item = session.get(tables.InboxItem, reply.item_id)
        assert item is not None and (reply.status != "sent" or item.first_response_at)
        return reply.status, reply.network_post_id, reply.url, reply.error


class XApi:
    """POST /2/tweets and the account's timeline. ``late`` answers (after creating the post)
    too late for the client; ``unavailable`` answers 503 without creating anything."""

    def __init__(self) -> None:
        self.timeline: list[dict[str, Any]] = []
        self.late = 0
        self.unavailable = 0
        self.lock = threading.Lock()

    def __call__(self, req: Request) -> Response:
        if req.headers.get("authorization") != "Bearer x-user-token":
            return Response(401, {"title": "Unauthorized"})
        if req.path == "/2/users/me":
            return Response(body={"data": {"id": "4000", "username": "PeinturesMartin"}})
        if req.path == "/2/users/4000/tweets":
            return Response(body={"data": list(reversed(self.timeline))})
        if req.path == "/2/tweets" and req.method == "POST":
            with self.lock:
                if self.unavailable:
                    self.unavailable -= 1
                    return Response(503, {"title": "Service Unavailable"})
                body = req.json()
                replied = body.get("reply", {}).get("in_reply_to_tweet_id")
                tweet = {
                    "id": f"19{len(self.timeline):017d}",
                    "text": body["text"],
                    "created_at": "2026-03-02T10:00:00.000Z",
                    "referenced_tweets": [{"type": "replied_to", "id": replied}] if replied else [],
                }
                self.timeline.append(tweet)
                delay = 0.6 if self.late else 0.0
                self.late = max(0, self.late - 1)
            return Response(201, {"data": {"id": tweet["id"], "text": tweet["text"]}}, delay=delay)
        return Response(404, {"title": "Not Found"})


X_CREDS = {"client_id": "cid", "access_token": "x-user-token"}


def test_x_reply_answered_too_late_is_found_not_posted_again(db: Database) -> None:
    api = XApi()
    api.late = 1
    reply_id = seed(db, network="x", handle="PeinturesMartin", creds=X_CREDS, post_id=PARENT_TWEET)
    with http_server(api) as server:
        publisher = ConnectorPublisher(db, BOX, endpoints={"x": server.url}, gateway=quick)
        assert sending.send(db, reply_id=reply_id, publisher=publisher, actor_id=None) == "sent"
        # Sending again (a double click, a retry) posts nothing more.
        sending.send(db, reply_id=reply_id, publisher=publisher, actor_id=None)
    assert len(api.timeline) == 1
    assert api.timeline[0]["referenced_tweets"] == [{"type": "replied_to", "id": PARENT_TWEET}]
    status, post_id, url, _ = reply_row(db, reply_id)
    assert status == "sent"
    assert post_id == api.timeline[0]["id"] and url == f"https://x.com/i/web/status/{post_id}"


def test_x_reply_that_failed_is_retried_once(db: Database) -> None:
    api = XApi()
    api.unavailable = 2  # the connector's own second try fails too
    reply_id = seed(db, network="x", handle="PeinturesMartin", creds=X_CREDS, post_id=PARENT_TWEET)
    with http_server(api) as server:
        publisher = ConnectorPublisher(db, BOX, endpoints={"x": server.url}, gateway=quick)
        assert sending.send(db, reply_id=reply_id, publisher=publisher, actor_id=None) == "failed"
        assert reply_row(db, reply_id)[3] and not api.timeline
        assert sending.send(db, reply_id=reply_id, publisher=publisher, actor_id=None) == "sent"
        sending.send(db, reply_id=reply_id, publisher=publisher, actor_id=None)
    assert len(api.timeline) == 1 and reply_row(db, reply_id)[1] == api.timeline[0]["id"]


class Pds:
    """A Bluesky PDS: sessions, getRecord and createRecord (a record key can be used once).
    ``troubled`` stores the record but answers 500, then fails the look-up once."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {
            "3lhxparent001": {
                "uri": PARENT_URI,
                "cid": "bafyparent",
                "value": {"text": "Qui connaît un bon peintre à Angers ?"},
            }
        }
        self.troubled = False
        self.lookup_fails = 0
        self.lock = threading.Lock()

    def __call__(self, req: Request) -> Response:
        nsid = req.path.removeprefix("/xrpc/")
        if nsid == "com.atproto.server.createSession":
            if req.json() != {"identifier": "martin.bsky.social", "password": "app-pass-word"}:
                return Response(401, {"error": "AuthenticationRequired", "message": "Invalid"})
            return Response(
                body={
                    "did": "did:plc:martin",
                    "handle": "martin.bsky.social",
                    "accessJwt": "acc-secret",
                    "refreshJwt": "ref-secret",
                }
            )
        if req.headers.get("authorization") != "Bearer acc-secret":
            return Response(401, {"error": "AuthenticationRequired", "message": "Required"})
        with self.lock:
            if nsid == "com.atproto.repo.createRecord":
                body = req.json()
                if body["rkey"] in self.records:
                    return Response(400, {"error": "InvalidRequest", "message": "Already exists"})
                uri = f"at://{body['repo']}/{body['collection']}/{body['rkey']}"
                self.records[body["rkey"]] = {"uri": uri, "cid": "bafynew", "value": body["record"]}
                if self.troubled:
                    self.troubled, self.lookup_fails = False, 1
                    return Response(500, {"error": "InternalServerError", "message": "Oops"})
                return Response(body={"uri": uri, "cid": "bafynew"})
            if nsid == "com.atproto.repo.getRecord":
                record = self.records.get(req.arg("rkey") or "")
                if record is not None and record["uri"] != PARENT_URI and self.lookup_fails:
                    self.lookup_fails -= 1
                    return Response(500, {"error": "InternalServerError", "message": "Oops"})
                if record is None:
                    return Response(400, {"error": "RecordNotFound", "message": "Not found"})
                return Response(body=record)
        return Response(404, {"error": "MethodNotImplemented"})


def test_bluesky_reply_after_a_failure_is_one_record_on_the_right_post(db: Database) -> None:
    pds = Pds()
    pds.troubled = True
    reply_id = seed(
        db,
        network="bluesky",
        handle="martin.bsky.social",
        creds={"app_password": "app-pass-word"},
        post_id=PARENT_URI,
    )
    with http_server(pds) as server:
        publisher = ConnectorPublisher(db, BOX, endpoints={"bluesky": server.url}, gateway=quick)
        # The PDS stored the record but neither the write nor the check could be confirmed.
        assert sending.send(db, reply_id=reply_id, publisher=publisher, actor_id=None) == "failed"
        assert sending.send(db, reply_id=reply_id, publisher=publisher, actor_id=None) == "sent"
        sending.send(db, reply_id=reply_id, publisher=publisher, actor_id=None)
    ours = [r for r in pds.records.values() if r["uri"] != PARENT_URI]
    assert len(ours) == 1
    parent = {"uri": PARENT_URI, "cid": "bafyparent"}
    assert ours[0]["value"]["reply"] == {"root": parent, "parent": parent}
    status, post_id, url, _ = reply_row(db, reply_id)
    rkey = ours[0]["uri"].rsplit("/", 1)[1]
    assert status == "sent" and post_id == ours[0]["uri"]
    assert url == f"https://bsky.app/profile/martin.bsky.social/post/{rkey}"
