"""Inbox tables: notes, history, saved replies, routing, account policies, replies, team access.

Every change here goes with a migration (inbox_0001 and successors).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from veille.store.tables import Base, workspace_column
from veille.store.types import UTCDateTime
from veille.timeutil import utcnow


class InboxNote(Base):
    """An internal note on an item: seen by the team, never sent to the network."""

    __tablename__ = "inbox_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    item_id: Mapped[int] = mapped_column(
        ForeignKey("inbox_items.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InboxEvent(Base):
    """The item's history: who changed what, when (status, assignee, snooze, note, reply)."""

    __tablename__ = "inbox_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    item_id: Mapped[int] = mapped_column(
        ForeignKey("inbox_items.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class SavedReply(Base):
    """A reusable answer with variables such as {prenom}, {entreprise}, {lien_devis}."""

    __tablename__ = "inbox_saved_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    name: Mapped[str] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(32), default=None)  # suggested for it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_inbox_saved_replies_name"),)


class RoutingRule(Base):
    """Which account answers items of one intent (e.g. complaints from the company account)."""

    __tablename__ = "inbox_routing_rules"

    workspace_id: Mapped[int] = workspace_column(primary_key=True)
    intent: Mapped[str] = mapped_column(String(32), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))


class AccountPolicy(Base):
    """Per-account reply policy: whether a manager must approve replies before they go out."""

    __tablename__ = "inbox_account_policies"

    workspace_id: Mapped[int] = workspace_column()
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)


class InboxReply(Base):
    """One answer to an item: its guard report, approval, and what the network returned.

    The idempotency key is fixed when the reply is written, so any retry of the send reuses it
    and the network never gets the same reply twice.
    """

    __tablename__ = "inbox_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    item_id: Mapped[int] = mapped_column(
        ForeignKey("inbox_items.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    text: Mapped[str] = mapped_column(Text)
    # pending_approval -> approved -> sent; failed can be sent again; rejected is final
    status: Mapped[str] = mapped_column(String(24), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    guard: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    approved_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    network_post_id: Mapped[str | None] = mapped_column(String(255), default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class TeamToken(Base):
    """A one-time link: an invitation (role to create) or a password reset (user to reset).

    Only the SHA-256 of the token is kept, so a leaked database does not leak live links.
    """

    __tablename__ = "team_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    purpose: Mapped[str] = mapped_column(String(16))  # invite or reset
    role: Mapped[str | None] = mapped_column(String(16), default=None)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None
    )
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
