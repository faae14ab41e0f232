"""What the publishing pages show, read from the store: accounts that can publish, drafts and
their history, failed jobs, the calendar's entries and the accounts' own past posts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.inbox.queries import members
from veille.publish.drafts import PUBLISHING_NETWORKS
from veille.publish.schedule import WeeklyTime
from veille.store import tables
from veille.store.tables_publish import (
    ApprovalRule,
    DraftComment,
    DraftEvent,
    PublishJob,
    Recurrence,
)
from veille.translations import Language


class CalendarEntry(NamedTuple):  # a tuple: the calendar template unpacks it
    at: datetime  # local time
    network: str  # empty for a draft still waiting for approval
    text: str
    draft_id: int | None
    status: str


def publishing_accounts(session: Session) -> list[tables.Account]:
    return list(
        session.scalars(
            select(tables.Account)
            .where(tables.Account.network.in_(PUBLISHING_NETWORKS))
            .order_by(tables.Account.id)
        )
    )


def recent_drafts(session: Session, *, limit: int = 200) -> list[tables.Draft]:
    return list(
        session.scalars(select(tables.Draft).order_by(tables.Draft.updated_at.desc()).limit(limit))
    )


def failed_jobs(session: Session) -> list[PublishJob]:
    return list(
        session.scalars(
            select(PublishJob).where(PublishJob.status == "failed").order_by(PublishJob.id.desc())
        )
    )


def own_history(session: Session, account_ids: Sequence[int]) -> list[tuple[datetime, int]]:
    """The accounts' own posts and their engagement, for the best time to post."""
    accounts = [session.get(tables.Account, a) for a in account_ids]
    rows: list[tuple[datetime, int]] = []
    for account in filter(None, accounts):
        handle = account.handle.split("@")[0]
        rows += [
            (p.created_at, p.likes + p.reposts + p.replies)
            for p in session.scalars(
                select(tables.Post)
                .join(tables.Author, tables.Author.id == tables.Post.author_id)
                .where(tables.Post.network == account.network, tables.Author.username == handle)
                .order_by(tables.Post.created_at.desc())
                .limit(500)
            )
        ]
    return rows


def user_names(session: Session) -> dict[int, str]:
    """The names of the workspace's team."""
    return {m.id: m.username for m in members(session)}


def comments_of(session: Session, draft_id: int) -> list[DraftComment]:
    return list(
        session.scalars(
            select(DraftComment).where(DraftComment.draft_id == draft_id).order_by(DraftComment.id)
        )
    )


def events_of(session: Session, draft_id: int) -> list[DraftEvent]:
    return list(
        session.scalars(
            select(DraftEvent).where(DraftEvent.draft_id == draft_id).order_by(DraftEvent.id)
        )
    )


def jobs_of(session: Session, draft_id: int) -> list[PublishJob]:
    return list(
        session.scalars(
            select(PublishJob).where(PublishJob.draft_id == draft_id).order_by(PublishJob.due_at)
        )
    )


def recurrence_label(session: Session, draft_id: int, lang: Language) -> str:
    row = session.get(Recurrence, draft_id)
    if row is None:
        return ""
    return f"{WeeklyTime(row.weekday, row.minute_of_day, row.zone).label(lang)} ({row.zone})"


def approval_rules(session: Session) -> dict[int, str]:
    """account id -> the role its posts need."""
    return {r.account_id: r.required_role for r in session.scalars(select(ApprovalRule))}


def calendar_entries(
    session: Session, days: Sequence[date], *, begin: datetime, end: datetime, zone: tzinfo
) -> dict[date, list[CalendarEntry]]:
    """Per local day, the jobs due between ``begin`` and ``end`` (not cancelled) and the drafts
    waiting for approval at that time, in time order."""
    jobs = session.scalars(
        select(PublishJob)
        .where(PublishJob.due_at >= begin, PublishJob.due_at < end)
        .where(PublishJob.status != "cancelled")
        .order_by(PublishJob.due_at)
    ).all()
    waiting = session.scalars(
        select(tables.Draft).where(
            tables.Draft.status == "pending_approval",
            tables.Draft.scheduled_at >= begin,
            tables.Draft.scheduled_at < end,
        )
    ).all()
    by_day: dict[date, list[CalendarEntry]] = {d: [] for d in days}
    for job in jobs:
        local = job.due_at.astimezone(zone)
        by_day.setdefault(local.date(), []).append(
            CalendarEntry(local, job.network, job.text, job.draft_id, job.status)
        )
    for draft in waiting:
        assert draft.scheduled_at is not None
        local = draft.scheduled_at.astimezone(zone)
        by_day.setdefault(local.date(), []).append(
            CalendarEntry(local, "", draft.text, draft.id, "pending_approval")
        )
    for entries in by_day.values():
        entries.sort(key=lambda e: e.at)
    return by_day
