"""Wall-clock times across the 2026 daylight-saving changes in Paris (29 March, 25 October)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from tests.publish.conftest import MastodonInstance, StepClock, quick_gateway
from tests.sources.servers import HttpServer

from veille.crypto import SecretBox
from veille.publish.publisher import ConnectorPublisher
from veille.publish.schedule import (
    ScheduleError,
    WeeklyTime,
    best_times,
    local_to_utc,
    next_free_slot,
    next_occurrence,
    parse_local,
)
from veille.publish.scheduler import Scheduler, enqueue
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import PublishJob, Recurrence

PARIS = ZoneInfo("Europe/Paris")


def test_local_times_on_either_side_of_the_changes() -> None:
    assert local_to_utc(date(2026, 3, 28), time(9, 30), "Europe/Paris") == datetime(
        2026, 3, 28, 8, 30, tzinfo=UTC
    )
    assert local_to_utc(date(2026, 3, 29), time(9, 30), "Europe/Paris") == datetime(
        2026, 3, 29, 7, 30, tzinfo=UTC
    )
    # 02:30 does not exist on 29 March: it goes out at 03:30 summer time, not an hour early.
    skipped = local_to_utc(date(2026, 3, 29), time(2, 30), "Europe/Paris")
    assert skipped.astimezone(PARIS).strftime("%H:%M %Z") == "03:30 CEST"
    # 02:30 happens twice on 25 October: the first one only.
    repeated = local_to_utc(date(2026, 10, 25), time(2, 30), "Europe/Paris")
    assert repeated == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_weekly_slot_keeps_its_wall_clock_time_across_both_changes() -> None:
    sunday_morning = WeeklyTime(weekday=6, minute_of_day=10 * 60)
    at = datetime(2026, 3, 20, tzinfo=UTC)
    seen = []
    for _ in range(3):
        at = next_occurrence(sunday_morning, at)
        seen.append(at)
    assert [s.astimezone(PARIS).strftime("%d/%m %H:%M") for s in seen] == [
        "22/03 10:00",
        "29/03 10:00",
        "05/04 10:00",
    ]
    assert [s.hour for s in seen] == [9, 8, 8]  # UTC moves, the wall clock does not
    autumn = next_occurrence(sunday_morning, datetime(2026, 10, 24, tzinfo=UTC))
    assert autumn == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)


def test_queue_skips_taken_slots() -> None:
    slots = [WeeklyTime(0, 9 * 60), WeeklyTime(3, 12 * 60)]
    after = datetime(2026, 3, 27, tzinfo=UTC)  # a Friday
    first = next_free_slot(slots, after=after)
    assert first.astimezone(PARIS).strftime("%A %d/%m %H:%M") == "Monday 30/03 09:00"
    second = next_free_slot(slots, after=after, taken=[first])
    assert second.astimezone(PARIS).strftime("%A %H:%M") == "Thursday 12:00"
    with pytest.raises(ScheduleError, match="time slots"):
        next_free_slot([], after=after)


def test_best_times_defaults_then_history() -> None:
    defaults = best_times([], zone="Europe/Paris")
    assert defaults and not defaults[0].from_history
    # Twelve posts: Wednesdays at 19:00 Paris time do best (in summer: 17:00 UTC).
    history = [(datetime(2026, 6, 3 + 7 * w, 17, 5, tzinfo=UTC), 40) for w in range(4)]
    history += [(datetime(2026, 6, 1 + 7 * w, 7, 0, tzinfo=UTC), 3) for w in range(4)]
    history += [(datetime(2026, 6, 5 + 7 * w, 12, 0, tzinfo=UTC), 8) for w in range(4)]
    best = best_times(history, zone="Europe/Paris")
    assert (best[0].weekday, best[0].hour, best[0].from_history) == (2, 19, True)


def test_bad_times_are_named() -> None:
    with pytest.raises(ScheduleError, match="scheduled_at"):
        parse_local("29/03/2026 9h", "Europe/Paris")
    with pytest.raises(ScheduleError, match="zone"):
        WeeklyTime(0, 60, "Europe/Angers")
    assert parse_local("2026-10-25 09:00", "Europe/Paris") == datetime(
        2026, 10, 25, 8, 0, tzinfo=UTC
    )


def test_recurring_post_goes_out_at_the_same_paris_time_across_the_spring_change(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
) -> None:
    state, _ = instance
    weekly = WeeklyTime(weekday=4, minute_of_day=9 * 60)  # Fridays 09:00
    first = next_occurrence(weekly, datetime(2026, 3, 20, tzinfo=UTC))
    with db.session() as session:
        draft = tables.Draft(text="Le conseil déco du vendredi", status="scheduled")
        session.add(draft)
        session.flush()
        session.add(Recurrence(draft_id=draft.id, weekday=4, minute_of_day=540, zone=weekly.zone))
        enqueue(
            session,
            account_id=mastodon_account,
            network="mastodon",
            text=draft.text,
            due_at=first,
            draft_id=draft.id,
        )
    clock = StepClock(datetime(2026, 3, 20, 7, 0, tzinfo=UTC))
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    published_at: list[datetime] = []
    # Walk the clock minute by minute through three weeks (cheap: no sleeping, no network
    # call unless a job is due), recording when each post actually left.
    end = datetime(2026, 4, 4, tzinfo=UTC)
    while clock() < end:
        if scheduler.run_due().published:
            published_at.append(clock())
        clock.advance(timedelta(minutes=15))
    assert [p.astimezone(PARIS).strftime("%d/%m %H:%M") for p in published_at] == [
        "20/03 09:00",
        "27/03 09:00",
        "03/04 09:00",
    ]
    assert len(state.statuses) == 3
    with db.session() as session:
        keys = session.scalars(select(PublishJob.idempotency_key)).all()
    assert len(set(keys)) == 4  # three done, the next one queued


def test_posts_scheduled_for_the_autumn_change_go_out_once(
    db: Database, box: SecretBox, instance: Any, mastodon_account: int
) -> None:
    due = parse_local("2026-10-25 02:30", "Europe/Paris")
    with db.session() as session:
        enqueue(session, account_id=mastodon_account, network="mastodon", text="t", due_at=due)
    clock = StepClock(datetime(2026, 10, 24, 23, 0, tzinfo=UTC))
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    sent = []
    while clock() < datetime(2026, 10, 25, 3, 0, tzinfo=UTC):
        sent += [clock()] * len(scheduler.run_due().published)
        clock.advance(timedelta(minutes=10))
    assert sent == [datetime(2026, 10, 25, 0, 30, tzinfo=UTC)]  # the first 02:30 only
