"""Publishing tables: per-network variants, comments, history, approval rules, queue time
slots, recurrences and the durable publish jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from veille.store.tables import Base, workspace_column
from veille.store.types import UTCDateTime
from veille.timeutil import utcnow


class DraftVariant(Base):
    """The text one account will publish: the draft adapted to that account's network."""

    __tablename__ = "draft_variants"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    network: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("draft_id", "account_id", name="uq_draft_variants_target"),)


class DraftComment(Base):
    __tablename__ = "draft_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DraftEvent(Base):
    """Who changed what on a draft, and when (never edited, only appended)."""

    __tablename__ = "draft_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApprovalRule(Base):
    """Posts from this account need someone of at least ``required_role`` to approve them."""

    __tablename__ = "approval_rules"

    workspace_id: Mapped[int] = workspace_column()
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    required_role: Mapped[str] = mapped_column(String(16), default="manager")


class TimeSlot(Base):
    """A weekly queue slot: wall-clock time in a zone, so 09:30 stays 09:30 across DST."""

    __tablename__ = "time_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    minute_of_day: Mapped[int] = mapped_column(Integer)  # 9:30 = 570
    zone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")

    __table_args__ = (
        UniqueConstraint("account_id", "weekday", "minute_of_day", name="uq_time_slots"),
    )


class Recurrence(Base):
    """A draft published again every week at the same wall-clock time."""

    __tablename__ = "draft_recurrences"

    workspace_id: Mapped[int] = workspace_column()
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True
    )
    weekday: Mapped[int] = mapped_column(Integer)
    minute_of_day: Mapped[int] = mapped_column(Integer)
    zone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class PublishJob(Base):
    """One post to send from one account at one instant. The idempotency key is fixed when the
    job is created, so every retry of this job is recognised by the network as the same post."""

    __tablename__ = "publish_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("drafts.id", ondelete="SET NULL"), default=None, index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    network: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    in_reply_to: Mapped[str | None] = mapped_column(String(255), default=None)
    # A thread's next post waits for this job and replies to what it published.
    after_job_id: Mapped[int | None] = mapped_column(
        ForeignKey("publish_jobs.id", ondelete="SET NULL"), default=None, index=True
    )
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # pending, running (claimed, lease_until set), done, failed, cancelled
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_owner: Mapped[str | None] = mapped_column(String(64), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    network_post_id: Mapped[str | None] = mapped_column(String(255), default=None)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    __table_args__ = (Index("ix_publish_jobs_due", "status", "next_attempt_at"),)
