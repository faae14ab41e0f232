"""Queue slots, add to queue, weekly recurrence, cancel, and evergreen posts re-queued after
they go out (real SQLite, a Mastodon-speaking server on 127.0.0.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from tests.publish.conftest import MastodonInstance, StepClock, quick_gateway
from tests.sources.servers import HttpServer

from veille.crypto import SecretBox
from veille.publish.approvals import Actor
from veille.publish.drafts import cancel_draft, create_draft, schedule_draft
from veille.publish.publisher import ConnectorPublisher
from veille.publish.queue import make_recurring, queue_draft
from veille.publish.schedule import ScheduleError
from veille.publish.scheduler import Scheduler
from veille.publish.slots import add_slot, next_queue_time, remove_slot, set_evergreen_gap
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import PublishJob, Recurrence

MEMBER = Actor(None, "member")
PARIS = "Europe/Paris"


def _jobs(db: Database) -> list[PublishJob]:
    with db.session() as session:
        return list(session.scalars(select(PublishJob).order_by(PublishJob.id)))


def test_add_to_queue_takes_the_next_free_slot(db: Database, mastodon_account: int) -> None:
    now = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)  # Friday
    with db.session() as session:
        add_slot(session, account_id=mastodon_account, weekday=0, wall_clock="09:30", zone=PARIS)
        add_slot(session, account_id=mastodon_account, weekday=2, wall_clock="18:00", zone=PARIS)
        drafts = [
            create_draft(session, text=f"Astuce {n}", account_ids=[mastodon_account], user_id=None)
            for n in range(3)
        ]
        times = [queue_draft(session, d, actor=MEMBER, risk="low", now=now)[0] for d in drafts]
    # Monday 23 March 09:30 (winter, UTC+1), Wednesday 25 18:00, then Monday 30 after the
    # change to summer time: still 09:30 in Paris.
    assert times == [
        datetime(2026, 3, 23, 8, 30, tzinfo=UTC),
        datetime(2026, 3, 25, 17, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 7, 30, tzinfo=UTC),
    ]
    assert [j.due_at for j in _jobs(db)] == times


def test_cancel_frees_the_slot_and_the_draft_can_be_queued_again(
    db: Database, mastodon_account: int
) -> None:
    now = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)
    with db.session() as session:
        add_slot(session, account_id=mastodon_account, weekday=0, wall_clock="09:30", zone=PARIS)
        first = create_draft(session, text="Un", account_ids=[mastodon_account], user_id=None)
        queue_draft(session, first, actor=MEMBER, risk="low", now=now)
        assert cancel_draft(session, first, user_id=None) == 1
        assert first.status == "draft" and first.scheduled_at is None
        second = create_draft(session, text="Deux", account_ids=[mastodon_account], user_id=None)
        at, _ = queue_draft(session, second, actor=MEMBER, risk="low", now=now)
    assert at == datetime(2026, 3, 23, 8, 30, tzinfo=UTC)  # the cancelled job held it no more
    assert [j.status for j in _jobs(db)] == ["cancelled", "pending"]


def test_slots_refuse_bad_input_and_accounts_without_slots(
    db: Database, mastodon_account: int
) -> None:
    with db.session() as session:
        with pytest.raises(ScheduleError, match="time: '25:00'"):
            add_slot(
                session, account_id=mastodon_account, weekday=0, wall_clock="25:00", zone=PARIS
            )
        with pytest.raises(ScheduleError, match="weekday"):
            add_slot(
                session, account_id=mastodon_account, weekday=7, wall_clock="09:00", zone=PARIS
            )
        with pytest.raises(ScheduleError, match="no queue slot"):
            next_queue_time(session, [mastodon_account], after=datetime.now(UTC))
        slot = add_slot(
            session, account_id=mastodon_account, weekday=0, wall_clock="9:00", zone=PARIS
        )
        again = add_slot(
            session, account_id=mastodon_account, weekday=0, wall_clock="09:00", zone=PARIS
        )
        assert again.id == slot.id
        remove_slot(session, slot.id)
        with pytest.raises(ScheduleError, match="no queue slot"):
            next_queue_time(session, [mastodon_account], after=datetime.now(UTC))


def test_recurring_post_goes_out_every_week_at_the_same_wall_clock_time(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, _ = instance
    with db.session() as session:
        draft = create_draft(
            session, text="Ouvert ce samedi", account_ids=[mastodon_account], user_id=None
        )
        first, _ = make_recurring(
            session,
            draft,
            actor=MEMBER,
            risk="low",
            weekday=5,
            wall_clock="08:00",
            zone=PARIS,
            now=clock(),
        )
    assert first == datetime(2026, 3, 21, 7, 0, tzinfo=UTC)  # Saturday 08:00, winter time
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    clock.at = first
    assert len(scheduler.run_due().published) == 1
    clock.at = datetime(2026, 3, 28, 7, 0, tzinfo=UTC)
    assert len(scheduler.run_due().published) == 1
    # The next one is 08:00 summer time, 06:00 UTC.
    assert [j.due_at for j in _jobs(db)][-1] == datetime(2026, 4, 4, 6, 0, tzinfo=UTC)
    assert [s["text"] for s in state.statuses] == ["Ouvert ce samedi"] * 2
    with db.session() as session:
        draft2 = session.get(tables.Draft, draft.id)
        assert draft2 is not None and draft2.status == "scheduled"
        cancel_draft(session, draft2, user_id=None)
        assert session.get(Recurrence, draft.id) is None
    clock.at = datetime(2026, 4, 4, 6, 0, tzinfo=UTC)
    assert scheduler.run_due().published == []


def test_evergreen_post_is_queued_again_after_the_gap(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    state, _ = instance
    with db.session() as session:
        add_slot(session, account_id=mastodon_account, weekday=0, wall_clock="09:30", zone=PARIS)
        draft = create_draft(
            session,
            text="Nos conseils pour repeindre un volet",
            account_ids=[mastodon_account],
            user_id=None,
            evergreen=True,
        )
        schedule_draft(session, draft, at=clock(), user_id=None)
        draft_id = draft.id
    scheduler = Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock)
    assert len(scheduler.run_due().published) == 1
    jobs = _jobs(db)
    # 30 days after Friday 20 March is Sunday 19 April: the next slot is Monday 20, 09:30.
    assert jobs[-1].status == "pending"
    assert jobs[-1].due_at == datetime(2026, 4, 20, 7, 30, tzinfo=UTC)
    with db.session() as session:
        again = session.get(tables.Draft, draft_id)
        assert again is not None and again.status == "scheduled"
        set_evergreen_gap(session, 7)
    clock.at = jobs[-1].due_at
    assert len(scheduler.run_due().published) == 1
    assert _jobs(db)[-1].due_at == datetime(2026, 4, 27, 7, 30, tzinfo=UTC)  # 7 days later
    assert len(state.statuses) == 2


def test_evergreen_without_a_slot_stays_published_and_says_why(
    db: Database,
    box: SecretBox,
    instance: tuple[MastodonInstance, HttpServer],
    mastodon_account: int,
    clock: StepClock,
) -> None:
    with db.session() as session:
        draft = create_draft(
            session, text="Intemporel", account_ids=[mastodon_account], user_id=None, evergreen=True
        )
        schedule_draft(session, draft, at=clock() - timedelta(minutes=1), user_id=None)
    Scheduler(db, ConnectorPublisher(db, box, gateway=quick_gateway), now=clock).run_due()
    assert [j.status for j in _jobs(db)] == ["done"]
    with db.session() as session:
        draft2 = session.get(tables.Draft, draft.id)
        assert draft2 is not None and draft2.status == "published"
        from veille.store.tables_publish import DraftEvent

        actions = session.scalars(
            select(DraftEvent.action).where(DraftEvent.draft_id == draft.id)
        ).all()
    assert "evergreen_waiting" in actions
