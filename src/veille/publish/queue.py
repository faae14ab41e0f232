"""Putting a draft in its accounts' queue, or making it recur every week. Both go through the
approval rules like any other scheduling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from veille.publish.approvals import Actor, request_publication
from veille.publish.drafts import (
    SCHEDULABLE,
    DraftError,
    record_event,
    require_status,
    variants_of,
)
from veille.publish.schedule import WeeklyTime, next_occurrence, parse_wall_clock
from veille.publish.slots import next_queue_time
from veille.store import tables
from veille.store.tables_publish import PublishJob, Recurrence
from veille.translations import N_


def queue_draft(
    session: Session, draft: tables.Draft, *, actor: Actor, risk: str, now: datetime
) -> tuple[datetime, list[PublishJob]]:
    """Schedule the draft in the first free queue slot of its accounts."""
    require_status(draft, SCHEDULABLE, refusal=N_("queue: cancel first"))
    account_ids = [v.account_id for v in variants_of(session, draft.id)]
    if not account_ids:
        raise DraftError(N_("accounts: the draft has no account to publish from"))
    at = next_queue_time(session, account_ids, after=now)
    return at, request_publication(session, draft, actor=actor, at=at, risk=risk)


def make_recurring(
    session: Session,
    draft: tables.Draft,
    *,
    actor: Actor,
    risk: str,
    weekday: int,
    wall_clock: str,
    zone: str = "Europe/Paris",
    now: datetime,
    until: datetime | None = None,
) -> tuple[datetime, list[PublishJob]]:
    """Publish the draft every week at ``wall_clock`` on ``weekday`` (local time in
    ``zone``); the first occurrence is scheduled now, each next one when one is published."""
    require_status(draft, SCHEDULABLE, refusal=N_("recurring: cancel first"))
    when = WeeklyTime(weekday, parse_wall_clock(wall_clock), zone)
    recurrence = session.get(Recurrence, draft.id)
    if recurrence is None:
        recurrence = Recurrence(draft_id=draft.id)
        session.add(recurrence)
    recurrence.weekday, recurrence.minute_of_day = when.weekday, when.minute_of_day
    recurrence.zone, recurrence.until = when.zone, until
    first = next_occurrence(when, now)
    record_event(session, draft.id, actor.id, "recurring", every=when.label("en"), zone=zone)
    return first, request_publication(session, draft, actor=actor, at=first, risk=risk)
