"""What the inbox pages show beside the triage list, read from the store: the team, an
item's notes, history and replies, and the accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.store import tables
from veille.store.tables_inbox import InboxEvent, InboxNote, InboxReply


def users(session: Session) -> list[tables.User]:
    return list(session.scalars(select(tables.User).order_by(tables.User.username)))


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
