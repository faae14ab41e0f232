"""Inbox figures: first-response time in business hours, items handled per person, backlog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veille.inbox.actions import OPEN_STATUSES
from veille.inbox.clock import BusinessHours, business_seconds
from veille.store import tables
from veille.timeutil import utcnow


@dataclass(frozen=True)
class Figures:
    days: int
    answered: int
    median_first_response_s: float | None  # business seconds
    p90_first_response_s: float | None
    handled_per_person: list[tuple[str, int]]  # username, items closed in the period
    backlog: dict[str, int]  # open status -> count
    oldest_open_s: float | None  # business seconds the oldest open item has waited


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def compute(
    session: Session, *, hours: BusinessHours, days: int = 30, now: datetime | None = None
) -> Figures:
    now = now or utcnow()
    since = now - timedelta(days=days)
    answered_rows = session.execute(
        select(tables.Post.created_at, tables.InboxItem.first_response_at)
        .join(tables.Post, tables.Post.id == tables.InboxItem.post_id)
        .where(tables.InboxItem.first_response_at >= since)
    ).all()
    waits = [
        business_seconds(posted, answered, hours)
        for posted, answered in answered_rows
        if answered is not None
    ]
    handled = [
        (str(name), int(count))
        for name, count in session.execute(
            select(tables.User.username, func.count(tables.InboxItem.id))
            .join(tables.User, tables.User.id == tables.InboxItem.closed_by_id)
            .where(tables.InboxItem.closed_at >= since)
            .group_by(tables.User.username)
            .order_by(func.count(tables.InboxItem.id).desc(), tables.User.username)
        )
    ]
    backlog: dict[str, int] = dict.fromkeys(OPEN_STATUSES, 0)
    for status, count in session.execute(
        select(tables.InboxItem.status, func.count(tables.InboxItem.id))
        .where(tables.InboxItem.status.in_(OPEN_STATUSES))
        .group_by(tables.InboxItem.status)
    ):
        backlog[str(status)] = int(count)
    oldest = session.scalar(
        select(func.min(tables.Post.created_at))
        .join(tables.InboxItem, tables.InboxItem.post_id == tables.Post.id)
        .where(tables.InboxItem.status.in_(OPEN_STATUSES))
    )
    return Figures(
        days=days,
        answered=len(waits),
        median_first_response_s=median(waits) if waits else None,
        p90_first_response_s=_p90(waits) if waits else None,
        handled_per_person=handled,
        backlog=backlog,
        oldest_open_s=business_seconds(oldest, now, hours) if oldest else None,
    )
