"""Tables. Every change here goes with a migration in store/migrations/versions/."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column

from veille.store.types import UTCDateTime
from veille.timeutil import utcnow


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


def workspace_column(*, primary_key: bool = False) -> MappedColumn[int]:
    """The workspace a row belongs to: the scoped session (store/scope.py) reads and writes
    only its own workspace's rows of every table carrying this column."""
    return mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        primary_key=primary_key,
        index=not primary_key,
    )


class Workspace(Base):
    """A business the instance serves: its profile, watches, accounts, team, inbox, drafts,
    alerts and reports. Posts, authors and what models said of them are shared."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Membership(Base):
    """A user's role in one workspace; a user may belong to several."""

    __tablename__ = "workspace_members"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16), default="member")  # owner manager member viewer


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="member")  # owner manager member viewer
    display_name: Mapped[str] = mapped_column(String(128), default="")
    email: Mapped[str] = mapped_column(String(255), default="")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class WebSession(Base):
    """Server-side sessions: the cookie holds a random token, the table its hash."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The workspace the signed-in user is looking at (switched from the header).
    current_workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="SET NULL"), default=None
    )


class LoginAttempt(Base):
    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), index=True)  # username or client address
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Account(Base):
    """A network account of the business or its boss, used to listen, post and reply."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    network: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str] = mapped_column(String(255))
    label: Mapped[str] = mapped_column(String(128), default="")
    kind: Mapped[str] = mapped_column(String(16), default="company")  # company or personal
    credentials_encrypted: Mapped[str | None] = mapped_column(Text, default=None)
    state: Mapped[str] = mapped_column(String(32), default="disconnected")
    rate_limited_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("workspace_id", "network", "handle", name="uq_accounts_network_handle"),
    )


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[str] = mapped_column(String(16))
    network_author_id: Mapped[str] = mapped_column(String(128))
    username: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    followers_count: Mapped[int] = mapped_column(Integer, default=0)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(255), default="")

    __table_args__ = (
        UniqueConstraint("network", "network_author_id", name="uq_authors_network_id"),
    )


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[str] = mapped_column(String(16))
    network_post_id: Mapped[str] = mapped_column(String(128))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    text: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded + stemmed, for search
    lang: Mapped[str | None] = mapped_column(String(8), default=None)
    is_retweet: Mapped[bool] = mapped_column(Boolean, default=False)
    is_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    is_quote: Mapped[bool] = mapped_column(Boolean, default=False)
    in_reply_to: Mapped[str | None] = mapped_column(String(255), default=None)
    in_reply_to_id: Mapped[str | None] = mapped_column(String(128), default=None)
    conversation_id: Mapped[str | None] = mapped_column(String(128), default=None)
    retweet_of: Mapped[str | None] = mapped_column(String(255), default=None)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    reposts: Mapped[int] = mapped_column(Integer, default=0)
    replies: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the full Post JSON, unknown fields kept
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("network", "network_post_id", name="uq_posts_network_post_id"),
        Index("ix_posts_conversation", "network", "conversation_id"),
        Index("ix_posts_reply_to", "network", "in_reply_to_id"),  # response times
    )


class Heard(Base):
    """A post a workspace heard from its own sources (its feeds, accounts, imported files).
    With the posts its watches match, it is what the workspace's pages and exports show."""

    __tablename__ = "heard"

    workspace_id: Mapped[int] = workspace_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Watch(Base):
    """A named question the boss asks ("my brand", "leads in Maine-et-Loire")."""

    __tablename__ = "watches"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(32), default="brand")
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_watches_name"),)


class WatchRule(Base):
    __tablename__ = "watch_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    watch_id: Mapped[int] = mapped_column(ForeignKey("watches.id", ondelete="CASCADE"), index=True)
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Match(Base):
    __tablename__ = "matches"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    watch_id: Mapped[int] = mapped_column(
        ForeignKey("watches.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("watch_rules.id", ondelete="SET NULL"), default=None
    )
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Enrichment(Base):
    """What a model said about a post: one row per (post, kind) such as sentiment or intents."""

    __tablename__ = "enrichments"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    score: Mapped[float | None] = mapped_column(Float, default=None)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_enrichments_kind_label", "kind", "label"),)


class PostCount(Base):
    """Matched posts per UTC hour, watch, sentiment and intent, kept up to date at ingest
    (store/counts.py) so pages add hours up instead of reading posts. ``watch_id`` 0 counts
    each matched post once whatever its watches; ``intent`` "" counts every post, another
    value only the posts carrying that intent; ``sentiment`` "" is a post not analysed."""

    __tablename__ = "post_counts"

    workspace_id: Mapped[int] = workspace_column(primary_key=True)
    watch_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    intent: Mapped[str] = mapped_column(String(32), primary_key=True)
    hour: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(16), primary_key=True)
    posts: Mapped[int] = mapped_column(Integer, default=0)


class InboxItem(Base):
    __tablename__ = "inbox_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    reason: Mapped[str] = mapped_column(Text, default="")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Added by inbox_0001: snooze, the first answer (response clock) and who closed the item.
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_by_id: Mapped[int | None] = mapped_column(Integer, default=None)

    # A post heard once is one item in each workspace it concerns.
    __table_args__ = (UniqueConstraint("workspace_id", "post_id", name="uq_inbox_items_post"),)


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    text: Mapped[str] = mapped_column(Text)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"), default=None)
    in_reply_to_post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), default=None)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Added by migration publish_0001.
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    evergreen: Mapped[bool] = mapped_column(Boolean, default=False)
    media: Mapped[list[Any]] = mapped_column(JSON, default=list)  # attached image paths/alt texts
    # A thread: the posts after the first (the variants' text), each replying to the one before.
    thread: Mapped[list[str]] = mapped_column(JSON, default=list)


class Alert(Base):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    watch_id: Mapped[int | None] = mapped_column(
        ForeignKey("watches.id", ondelete="SET NULL"), default=None
    )
    kind: Mapped[str] = mapped_column(String(32))  # spike, negative_spike, crisis
    status: Mapped[str] = mapped_column(String(16), default="open")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    summary: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Setting(Base):
    """Business settings edited in the app (the business profile, for one)."""

    __tablename__ = "settings"

    workspace_id: Mapped[int] = workspace_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class Cursor(Base):
    """Where each listening source stopped, so a restart resumes without a gap."""

    __tablename__ = "cursors"

    source: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


import veille.store.tables_inbox  # noqa: E402, F401  (inbox tables, for Alembic)
from veille.store import tables_publish  # noqa: E402, F401  (publishing tables, for Alembic)
