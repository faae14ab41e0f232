"""Queue time slots per account and the evergreen gap: where the next queued post goes.

Slots are weekly wall-clock times (see ``schedule.WeeklyTime``); an instant already held by
a pending or running job of the same account is not free.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.publish.schedule import (
    ScheduleError,
    WeeklyTime,
    next_free_slot,
    parse_wall_clock,
)
from veille.store import repository, tables
from veille.store.tables_publish import PublishJob, TimeSlot
from veille.translations import N_

EVERGREEN_KEY = "publish.evergreen"
DEFAULT_EVERGREEN_DAYS = 30


def slots_of(session: Session, account_ids: Sequence[int]) -> list[TimeSlot]:
    return list(
        session.scalars(
            select(TimeSlot)
            .where(TimeSlot.account_id.in_(account_ids))
            .order_by(TimeSlot.account_id, TimeSlot.weekday, TimeSlot.minute_of_day)
        )
    )


def add_slot(
    session: Session, *, account_id: int, weekday: int, wall_clock: str, zone: str
) -> TimeSlot:
    """A weekly slot ("09:30" on ``weekday``, 0 = Monday); adding an existing one is a no-op."""
    if session.get(tables.Account, account_id) is None:
        raise ScheduleError(N_("account: account %(id)s does not exist"), id=account_id)
    when = WeeklyTime(weekday, parse_wall_clock(wall_clock), zone)
    existing = session.scalar(
        select(TimeSlot).where(
            TimeSlot.account_id == account_id,
            TimeSlot.weekday == when.weekday,
            TimeSlot.minute_of_day == when.minute_of_day,
        )
    )
    if existing is not None:
        return existing
    slot = TimeSlot(
        account_id=account_id,
        weekday=when.weekday,
        minute_of_day=when.minute_of_day,
        zone=when.zone,
    )
    session.add(slot)
    session.flush()
    return slot


def remove_slot(session: Session, slot_id: int) -> None:
    slot = session.get(TimeSlot, slot_id)
    if slot is None:
        raise ScheduleError(N_("slot: this time slot no longer exists"))
    session.delete(slot)


def next_queue_time(session: Session, account_ids: Sequence[int], *, after: datetime) -> datetime:
    """The first slot of these accounts after ``after`` that none of their waiting jobs holds."""
    weekly = [
        WeeklyTime(s.weekday, s.minute_of_day, s.zone) for s in slots_of(session, account_ids)
    ]
    taken = session.scalars(
        select(PublishJob.due_at).where(
            PublishJob.account_id.in_(account_ids),
            PublishJob.status.in_(("pending", "running")),
        )
    ).all()
    return next_free_slot(weekly, after=after, taken=taken)


def evergreen_gap(session: Session) -> timedelta:
    """How long an evergreen post rests before it is queued again (setting, 30 days)."""
    row = repository.setting_row(session, EVERGREEN_KEY)
    days = (row.value if row else {}).get("gap_days", DEFAULT_EVERGREEN_DAYS)
    return timedelta(days=int(days))


def set_evergreen_gap(session: Session, days: int) -> None:
    if not 1 <= days <= 365:
        raise ScheduleError(N_("evergreen: a gap of 1 to 365 days"))
    row = repository.setting_row(session, EVERGREEN_KEY)
    if row is None:
        session.add(tables.Setting(key=EVERGREEN_KEY, value={"gap_days": days}))
    else:
        row.value = {**row.value, "gap_days": days}
