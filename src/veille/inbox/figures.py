"""Inbox figures only the inbox has: items closed per person and how long the oldest open item
has waited. Answered items, first-response times and the backlog are report.figures'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veille.inbox.actions import OPEN_STATUSES
from veille.inbox.clock import BusinessHours, business_seconds
from veille.store import tables


@dataclass(frozen=True)
class Workload:
    handled_per_person: list[tuple[str, int]]  # username, items closed since the given moment
    oldest_open_s: float | None  # business seconds the oldest open item has waited


def workload(session: Session, *, hours: BusinessHours, since: datetime, now: datetime) -> Workload:
    """Items each person closed since ``since``, and the oldest open item's wait until ``now``."""
    handled = [
        (str(name), int(count))
        for name, count in session.execute(
            select(tables.User.username, func.count(tables.InboxItem.id))
            .join(tables.User, tables.User.id == tables.InboxItem.closed_by_id)
            .where(tables.InboxItem.closed_at >= since, tables.InboxItem.closed_at < now)
            .group_by(tables.User.username)
            .order_by(func.count(tables.InboxItem.id).desc(), tables.User.username)
        )
    ]
    oldest = session.scalar(
        select(func.min(tables.Post.created_at))
        .join(tables.InboxItem, tables.InboxItem.post_id == tables.Post.id)
        .where(tables.InboxItem.status.in_(OPEN_STATUSES))
    )
    return Workload(
        handled_per_person=handled,
        oldest_open_s=business_seconds(oldest, now, hours) if oldest else None,
    )
