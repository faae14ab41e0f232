"""Every state change of an inbox item lives here, and each one leaves an event in its history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.inbox import queries
from veille.store import tables, visibility
from veille.store.tables_inbox import InboxEvent, InboxNote
from veille.timeutil import utcnow
from veille.translations import N_, Refusal

Status = Literal["new", "assigned", "waiting", "done", "ignored"]
STATUSES: tuple[Status, ...] = ("new", "assigned", "waiting", "done", "ignored")
OPEN_STATUSES: tuple[Status, ...] = ("new", "assigned", "waiting")
BULK_ACTIONS = ("assign_me", "done", "ignored", "waiting", "unassign")
MAX_NOTE = 4000


class ActionError(Refusal):
    """A refused change; the message names what was wrong."""


def _item(session: Session, item_id: int) -> tables.InboxItem:
    item = session.get(tables.InboxItem, item_id)
    if item is None:
        raise LookupError(f"inbox item {item_id} not found")
    return item


def _event(
    session: Session, item: tables.InboxItem, actor_id: int | None, kind: str, **detail: Any
) -> None:
    session.add(InboxEvent(item_id=item.id, actor_id=actor_id, kind=kind, detail=detail))
    item.updated_at = utcnow()


def open_to_answer(session: Session, *, post_id: int, actor_id: int | None) -> int:
    """The inbox item of a post (a lead, a thanks) someone chose to answer, made if the
    pipeline did not admit the post; its id."""
    item = session.scalars(select(tables.InboxItem).where(tables.InboxItem.post_id == post_id))
    found = item.first()
    if found is not None:
        return found.id
    seen = visibility.visible_posts(session)
    if session.scalar(select(tables.Post.id).where(tables.Post.id == post_id, *seen)) is None:
        raise LookupError(f"post {post_id} not found")  # or one this workspace never saw
    created = tables.InboxItem(post_id=post_id, priority=0.0, reason="")
    session.add(created)
    session.flush()
    _event(session, created, actor_id, "opened")
    return created.id


def set_status(session: Session, *, item_id: int, status: str, actor_id: int | None) -> None:
    """Move an item to a status; done and ignored close it and record who closed it."""
    if status not in STATUSES:
        raise ActionError(
            N_("status: choose one of the statuses offered (new, assigned, waiting, done, ignored)")
        )
    item = _item(session, item_id)
    if item.status == status:
        return
    previous, item.status = item.status, status
    if status in ("done", "ignored"):
        item.closed_at, item.closed_by_id, item.snoozed_until = utcnow(), actor_id, None
    else:
        item.closed_at = item.closed_by_id = None
    _event(session, item, actor_id, "status", before=previous, after=status)


def assign(
    session: Session, *, item_id: int, assignee_id: int | None, actor_id: int | None
) -> None:
    """Give an item to a team member (None takes it back); a new item becomes assigned."""
    if assignee_id is not None and not queries.is_member(session, assignee_id):
        raise ActionError(N_("assignee: this team member no longer exists; choose another"))
    item = _item(session, item_id)
    if item.assignee_id == assignee_id:
        return
    before, item.assignee_id = item.assignee_id, assignee_id
    _event(session, item, actor_id, "assign", before=before, after=assignee_id)
    if assignee_id is not None and item.status == "new":
        set_status(session, item_id=item_id, status="assigned", actor_id=actor_id)
    elif assignee_id is None and item.status == "assigned":
        set_status(session, item_id=item_id, status="new", actor_id=actor_id)


def snooze(session: Session, *, item_id: int, until: datetime | None, actor_id: int | None) -> None:
    """Hide an open item until a time (None wakes it now)."""
    if until is not None and until.tzinfo is None:
        raise ActionError(N_("snooze: the time must carry its time zone"))
    if until is not None and until <= utcnow():
        raise ActionError(N_("snooze: the time is already past; choose a later one"))
    item = _item(session, item_id)
    item.snoozed_until = until
    _event(session, item, actor_id, "snooze", until=until.isoformat() if until else None)


def add_note(session: Session, *, item_id: int, author_id: int | None, text: str) -> InboxNote:
    """An internal note, never sent to the network."""
    text = text.strip()
    if not text:
        raise ActionError(N_("note: the note is empty; write something first"))
    if len(text) > MAX_NOTE:
        raise ActionError(N_("note: %(most)s characters at most; shorten it"), most=MAX_NOTE)
    item = _item(session, item_id)
    note = InboxNote(item_id=item.id, author_id=author_id, text=text)
    session.add(note)
    _event(session, item, author_id, "note")
    session.flush()
    return note


def bulk(session: Session, *, item_ids: Sequence[int], action: str, actor_id: int) -> int:
    """Apply one action to many items; returns how many exist and were handled."""
    if action not in BULK_ACTIONS:
        raise ActionError(N_("action: choose one of the actions offered for the selected items"))
    done = 0
    for item_id in dict.fromkeys(item_ids):
        if session.get(tables.InboxItem, item_id) is None:
            continue
        if action == "assign_me":
            assign(session, item_id=item_id, assignee_id=actor_id, actor_id=actor_id)
        elif action == "unassign":
            assign(session, item_id=item_id, assignee_id=None, actor_id=actor_id)
        else:
            set_status(session, item_id=item_id, status=action, actor_id=actor_id)
        done += 1
    return done


def mark_answered(session: Session, *, item_id: int, actor_id: int | None) -> None:
    """A reply went out: start nothing twice (first response kept), close the item."""
    item = _item(session, item_id)
    if item.first_response_at is None:
        item.first_response_at = utcnow()
    _event(session, item, actor_id, "replied")
    set_status(session, item_id=item_id, status="done", actor_id=actor_id)
