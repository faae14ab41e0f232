"""Answer an item: write the reply (guard + approval), approve it, send it exactly once.

The idempotency key is fixed when the reply is written; a reply already sent is never sent
again, and a retry after a failure reuses the key so the network does not post it twice.
Sending goes through the publishing connectors (``veille.publish.publisher``), which carry
the key in each network's own form (an idempotency header, a record key derived from the key
and the reply's creation time, a look-up of the account's recent posts: see each network's
folder under ``veille.sources``).
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.inbox.actions import mark_answered, set_status
from veille.inbox.routing import needs_approval
from veille.labels import words
from veille.permissions import Permission, can
from veille.publish.guard import GuardContext, GuardReport, check
from veille.publish.publisher import JobRequest, Publisher
from veille.sources import registry
from veille.sources.base import ConnectorError
from veille.store import repository, tables
from veille.store.db import Database
from veille.store.tables_inbox import InboxEvent, InboxReply
from veille.timeutil import utcnow
from veille.translations import N_, Refusal, Words

MAX_REPLY = 5000


class ReplyError(Refusal):
    """A reply that cannot be written, approved or sent; the message says why."""


class ReplyBlocked(ReplyError):
    """The guard found a high risk and nobody confirmed sending anyway."""

    def __init__(self, report: GuardReport) -> None:
        super().__init__(N_("guard: high risk, confirm to send anyway"))
        self.report = report


def guard_report(
    session: Session, *, text: str, network: str, zone: str, lang: str = "fr"
) -> GuardReport:
    crisis = session.scalar(
        select(tables.Alert.id)
        .where(tables.Alert.kind == "crisis", tables.Alert.status == "open")
        .limit(1)
    )
    context = GuardContext(
        networks=[network] if network in registry.publishing_networks() else [],
        time_zone=zone,
        open_crisis=crisis is not None,
        profile=repository.load_profile(session),
        lang="en" if lang == "en" else "fr",
    )
    return check(text, context=context)


def write_reply(
    session: Session,
    *,
    item_id: int,
    account_id: int,
    text: str,
    author_id: int,
    author_role: str,
    zone: str,
    confirm_risk: bool = False,
    lang: str = "fr",
) -> InboxReply:
    """Check the text with the guard and store the reply, approved unless the account needs
    a manager's approval and the author is not one."""
    item = session.get(tables.InboxItem, item_id)
    account = session.get(tables.Account, account_id)
    if item is None:
        raise LookupError(f"inbox item {item_id} not found")
    if account is None:
        raise ReplyError(N_("account: account %(id)s does not exist"), id=account_id)
    post = session.get(tables.Post, item.post_id)
    assert post is not None  # the foreign key guarantees it
    if account.network != post.network:
        raise ReplyError(
            N_(
                "account: @%(handle)s is on %(network)s, the post on %(post_network)s; "
                "choose another"
            ),
            handle=account.handle,
            network=Words(registry.display_name(account.network)),
            post_network=Words(registry.display_name(post.network)),
        )
    text = text.strip()
    if len(text) > MAX_REPLY:
        raise ReplyError(N_("text: %(most)s characters at most; shorten it"), most=MAX_REPLY)
    report = guard_report(session, text=text, network=account.network, zone=zone, lang=lang)
    if report.risk == "high" and not confirm_risk:
        raise ReplyBlocked(report)
    approver = can(author_role, Permission.APPROVE_REPLIES)
    approval = needs_approval(session, account.id) and not approver
    reply = InboxReply(
        item_id=item.id,
        account_id=account.id,
        text=text,
        status="pending_approval" if approval else "approved",
        idempotency_key=f"veille-inbox-{uuid.uuid4().hex}",
        guard=report.to_json(),
        created_by=author_id,
        approved_by=None if approval else author_id,
    )
    session.add(reply)
    session.flush()
    session.add(
        InboxEvent(
            item_id=item.id,
            actor_id=author_id,
            kind="reply_written",
            detail={"reply_id": reply.id, "status": reply.status, "risk": report.risk},
        )
    )
    if approval and item.status == "new":
        set_status(session, item_id=item.id, status="waiting", actor_id=author_id)
    return reply


def approve(session: Session, *, reply_id: int, approver_id: int, approver_role: str) -> InboxReply:
    """Approve a waiting reply (the caller commits, then sends it)."""
    if not can(approver_role, Permission.APPROVE_REPLIES):
        raise ReplyError(N_("approval: only a manager or the owner can approve"))
    reply = _reply(session, reply_id)
    if reply.status != "pending_approval":
        raise ReplyError(
            N_("approval: this reply is not waiting for approval (%(status)s)"),
            status=words(f"inbox.reply_{reply.status}"),
        )
    reply.status, reply.approved_by = "approved", approver_id
    session.add(
        InboxEvent(
            item_id=reply.item_id,
            actor_id=approver_id,
            kind="reply_approved",
            detail={"reply_id": reply.id},
        )
    )
    return reply


def reject(session: Session, *, reply_id: int, approver_id: int, approver_role: str) -> InboxReply:
    """Refuse a waiting reply; it is never sent."""
    if not can(approver_role, Permission.APPROVE_REPLIES):
        raise ReplyError(N_("approval: only a manager or the owner can reject"))
    reply = _reply(session, reply_id)
    if reply.status != "pending_approval":
        raise ReplyError(
            N_("approval: this reply is not waiting for approval (%(status)s)"),
            status=words(f"inbox.reply_{reply.status}"),
        )
    reply.status = "rejected"
    session.add(
        InboxEvent(
            item_id=reply.item_id,
            actor_id=approver_id,
            kind="reply_rejected",
            detail={"reply_id": reply.id},
        )
    )
    return reply


def _reply(session: Session, reply_id: int) -> InboxReply:
    reply = session.get(InboxReply, reply_id)
    if reply is None:
        raise LookupError(f"reply {reply_id} not found")
    return reply


def fail_reply(session: Session, *, reply_id: int, error: str, actor_id: int | None) -> InboxReply:
    """Mark a reply failed with the reason (it can be sent again)."""
    reply = _reply(session, reply_id)
    reply.status, reply.error = "failed", error[:2000]
    session.add(
        InboxEvent(
            item_id=reply.item_id,
            actor_id=actor_id,
            kind="reply_failed",
            detail={"reply_id": reply.id},
        )
    )
    return reply


def _workspace_of(db: Database, reply_id: int) -> int:
    """The workspace holding the reply: a reply is sent in its own workspace, whichever
    workspace the database is bound to (the caller found the reply in the reader's)."""
    with db.session(workspace_id=None) as session:
        return _reply(session, reply_id).workspace_id


def send_now(db: Database, *, reply_id: int, publisher: Publisher, actor_id: int | None) -> str:
    """Send a committed reply; a reply that cannot be sent is marked failed, not lost."""
    try:
        return send(db, reply_id=reply_id, publisher=publisher, actor_id=actor_id)
    except ReplyError as exc:
        with db.session(workspace_id=_workspace_of(db, reply_id)) as session:
            return fail_reply(session, reply_id=reply_id, error=str(exc), actor_id=actor_id).status


def retry(db: Database, *, reply_id: int, publisher: Publisher, actor_id: int | None) -> str:
    """Send a failed reply again; a reply in any other state is left as it is."""
    with db.session(workspace_id=_workspace_of(db, reply_id)) as session:
        status = _reply(session, reply_id).status
    if status != "failed":
        return status
    return send_now(db, reply_id=reply_id, publisher=publisher, actor_id=actor_id)


def reply_target(post: tables.Post) -> str:
    """The id each connector replies to: the post's id on its network, checked by the
    network's own rule (its folder's ``check_reply_target``)."""
    target = post.network_post_id
    publishing = registry.publishing(post.network)
    problem = publishing.check_reply_target(target) if publishing is not None else None
    if problem:
        raise ReplyError(N_("post: this post cannot be answered (%(detail)s)"), detail=problem)
    return target


def job_request(reply: InboxReply, account: tables.Account, post: tables.Post) -> JobRequest:
    """The publish request for a reply, identical on every attempt: same key, and the reply's
    creation time as the instant (Bluesky derives the record key from both). ``job_id``
    carries the reply's id: inbox replies are sent at once, not queued."""
    return JobRequest(
        job_id=reply.id,
        account_id=account.id,
        network=account.network,
        text=reply.text,
        in_reply_to=reply_target(post),
        idempotency_key=reply.idempotency_key,
        due_at=reply.created_at,
        workspace_id=reply.workspace_id,
    )


def send(
    db: Database,
    *,
    reply_id: int,
    publisher: Publisher,
    actor_id: int | None,
) -> str:
    """Send an approved (or previously failed) reply and return its status; a sent reply is
    left untouched.

    Like the scheduler, the network call happens between two transactions of its own: the
    connector keeps refreshed tokens in the account's credentials in yet another one, which
    must not wait on ours, and the reply and its key are stored whatever the call does.
    Callers commit the reply first."""
    workspace = _workspace_of(db, reply_id)
    with db.session(workspace_id=workspace) as session:
        reply = _reply(session, reply_id)
        if reply.status == "sent":
            return reply.status
        if reply.status not in ("approved", "failed"):
            raise ReplyError(
                N_("send: this reply needs approval first (%(status)s)"),
                status=words(f"inbox.reply_{reply.status}"),
            )
        account = session.get(tables.Account, reply.account_id)
        item = session.get(tables.InboxItem, reply.item_id)
        assert account is not None and item is not None
        post = session.get(tables.Post, item.post_id)
        assert post is not None
        if account.network != post.network:
            raise ReplyError(
                N_("account: @%(handle)s is not on %(network)s"),
                handle=account.handle,
                network=Words(registry.display_name(post.network)),
            )
        request = job_request(reply, account, post)
    try:
        published = publisher.publish(request)
    except ConnectorError as exc:
        with db.session(workspace_id=workspace) as session:
            return fail_reply(session, reply_id=reply_id, error=str(exc), actor_id=actor_id).status
    with db.session(workspace_id=workspace) as session:
        reply = _reply(session, reply_id)
        reply.status, reply.error, reply.sent_at = "sent", None, utcnow()
        reply.network_post_id, reply.url = published.id, published.url or None
        session.add(
            InboxEvent(
                item_id=reply.item_id,
                actor_id=actor_id,
                kind="reply_sent",
                detail={"reply_id": reply.id, "network_post_id": published.id},
            )
        )
        mark_answered(session, item_id=reply.item_id, actor_id=reply.created_by or actor_id)
        return reply.status
