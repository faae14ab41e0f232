"""What the inbox pages show beside the triage list, read from the store: the team, an
item's notes, history and replies, and the accounts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.store import scope, tables
from veille.store.tables_inbox import InboxEvent, InboxNote, InboxReply


@dataclass(frozen=True)
class Member:
    """A user of the session's workspace, with their role there."""

    id: int
    username: str
    role: str


def members(session: Session) -> list[Member]:
    """The team of the session's workspace (users of other workspaces are not its team);
    every user, with their own role, for a session bound to no workspace (a job's)."""
    workspace = scope.workspace_of(session)
    if workspace is None:
        everyone = select(tables.User.id, tables.User.username, tables.User.role)
        return [Member(*row) for row in session.execute(everyone.order_by(tables.User.username))]
    rows = session.execute(
        select(tables.User.id, tables.User.username, tables.Membership.role)
        .join(tables.Membership, tables.Membership.user_id == tables.User.id)
        .where(tables.Membership.workspace_id == workspace)
        .order_by(tables.User.username)
    )
    return [Member(user_id, username, role) for user_id, username, role in rows]


def is_member(session: Session, user_id: int) -> bool:
    workspace = scope.required_workspace(session)
    return session.get(tables.Membership, (workspace, user_id)) is not None


def accounts(session: Session) -> list[tables.Account]:
    return list(session.scalars(select(tables.Account).order_by(tables.Account.id)))


def notes_of(session: Session, item_id: int) -> list[InboxNote]:
    return list(
        session.scalars(
            select(InboxNote).where(InboxNote.item_id == item_id).order_by(InboxNote.id)
        )
    )


def events_of(session: Session, item_id: int) -> list[InboxEvent]:
    return list(
        session.scalars(
            select(InboxEvent).where(InboxEvent.item_id == item_id).order_by(InboxEvent.id)
        )
    )


def replies_of(session: Session, item_id: int) -> list[InboxReply]:
    return list(
        session.scalars(
            select(InboxReply).where(InboxReply.item_id == item_id).order_by(InboxReply.id)
        )
    )
