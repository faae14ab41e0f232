"""The durable scheduler: publish jobs live in the database and are claimed with a lease.

At-least-once: a job is claimed (status running, lease until now + lease) in its own
transaction before anything is sent, and marked done only after the network answered. A
process killed in between leaves a running job whose lease runs out; the next run claims it
again and sends it with the same idempotency key, which the network recognises, so the post
exists once. Failures are retried with growing delays, then kept as failed with the
network's error for the interface to show.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from veille.publish.media import images_of
from veille.publish.publisher import JobRequest, Publisher
from veille.publish.schedule import ScheduleError, WeeklyTime, next_occurrence
from veille.publish.slots import evergreen_gap, next_queue_time
from veille.sources.base import ConnectorError, NetworkError, PublishedPost, RateLimited
from veille.store import tables
from veille.store.db import Database
from veille.store.tables_publish import DraftEvent, PublishJob, Recurrence
from veille.timeutil import utcnow
from veille.translations import N_

log = logging.getLogger("veille.publish")
# Why a thread's later post was not sent: kept with the job like a network's own error, a
# msgid that the pages translate (a network's words, not being one, are shown as they are).
THREAD_BROKEN = N_("not sent: the post before it in the thread could not be published")

Now = Callable[[], datetime]


def job_key(*, draft_id: int | None, account_id: int, due_at: datetime) -> str:
    """One key per (draft, account, instant): enqueueing the same occurrence twice is a no-op
    and every retry of it carries the same key."""
    stamp = due_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"veille-d{draft_id or 0}-a{account_id}-{stamp}"


def enqueue(
    session: Session,
    *,
    account_id: int,
    network: str,
    text: str,
    due_at: datetime,
    draft_id: int | None = None,
    in_reply_to: str | None = None,
    key: str | None = None,
    after: PublishJob | None = None,
) -> PublishJob:
    """Add a job (or return the one already holding this key). A job ``after`` another waits
    for it to be published and replies to it (a thread's next post)."""
    if due_at.tzinfo is None:
        raise ValueError("due_at: an aware datetime is required (UTC or with a zone)")
    key = key or job_key(draft_id=draft_id, account_id=account_id, due_at=due_at)
    existing = session.scalar(select(PublishJob).where(PublishJob.idempotency_key == key))
    if existing is not None:
        return existing
    job = PublishJob(
        draft_id=draft_id,
        account_id=account_id,
        network=network,
        text=text,
        in_reply_to=in_reply_to,
        after_job_id=after.id if after is not None else None,
        idempotency_key=key,
        due_at=due_at,
        next_attempt_at=due_at,
        status="pending",
        attempts=0,
    )
    session.add(job)
    session.flush()
    return job


def enqueue_post(
    session: Session,
    *,
    account_id: int,
    network: str,
    text: str,
    thread: Sequence[str],
    due_at: datetime,
    draft_id: int | None,
    in_reply_to: str | None = None,
) -> list[PublishJob]:
    """The jobs of one post from one account: its text, then each post of its ``thread``,
    each waiting for the one before and replying to it. Keys follow the first job's, so
    enqueueing the same occurrence again returns the same jobs."""
    first = enqueue(
        session,
        account_id=account_id,
        network=network,
        text=text,
        due_at=due_at,
        draft_id=draft_id,
        in_reply_to=in_reply_to,
    )
    jobs = [first]
    for position, part in enumerate(thread, start=2):
        jobs.append(
            enqueue(
                session,
                account_id=account_id,
                network=network,
                text=part,
                due_at=due_at,
                draft_id=draft_id,
                key=f"{first.idempotency_key}-p{position}",
                after=jobs[-1],
            )
        )
    return jobs


@dataclass
class RunSummary:
    published: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


class Scheduler:
    """Claims due jobs and publishes them. Several may run at once (two processes, or a
    restarted one beside a stuck one): the conditional claim lets only one hold a job.

    It serves every workspace: due jobs are claimed whichever workspace holds them, and each
    job's outcome (its draft, events and next occurrence) is written in the job's own one."""

    def __init__(
        self,
        db: Database,
        publisher: Publisher,
        *,
        now: Now = utcnow,
        worker: str | None = None,
        lease: timedelta = timedelta(minutes=5),
        max_attempts: int = 5,
        backoff: timedelta = timedelta(minutes=1),
        max_backoff: timedelta = timedelta(hours=1),
    ) -> None:
        self.db, self.publisher, self.now = db, publisher, now
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self.lease, self.max_attempts = lease, max_attempts
        self.backoff, self.max_backoff = backoff, max_backoff

    def claim(self) -> JobRequest | None:
        """Take the next due job (or one whose lease ran out) for this worker."""
        now = self.now()
        before = aliased(PublishJob)
        # A thread's next post waits until the one before it is online.
        ready = PublishJob.after_job_id.is_(None) | exists().where(
            before.id == PublishJob.after_job_id, before.status == "done"
        )
        due = ready & or_(
            (PublishJob.status == "pending") & (PublishJob.next_attempt_at <= now),
            (PublishJob.status == "running") & (PublishJob.lease_until < now),
        )
        with self.db.session(workspace_id=None) as session:
            candidates = session.execute(
                select(PublishJob.id, PublishJob.status, PublishJob.lease_until)
                .where(due)
                .order_by(PublishJob.next_attempt_at)
                .limit(10)
            ).all()
            for job_id, status, lease_until in candidates:
                taken = session.execute(
                    update(PublishJob)
                    .where(PublishJob.id == job_id, due)
                    .values(
                        status="running",
                        lease_owner=self.worker,
                        lease_until=now + self.lease,
                        attempts=PublishJob.attempts + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount == 1:  # type: ignore[attr-defined]
                    job = session.get(PublishJob, job_id, populate_existing=True)
                    assert job is not None
                    if job.after_job_id is not None and job.in_reply_to is None:
                        previous = session.get(PublishJob, job.after_job_id)
                        assert previous is not None  # ready: it is done
                        job.in_reply_to = previous.network_post_id
                    # A running job with an expired lease: the previous attempt was claimed
                    # and never recorded, so the post may already be online.
                    unknown_since = (
                        lease_until - self.lease
                        if status == "running" and lease_until is not None
                        else None
                    )
                    # The draft's images as they are now (one set for every network).
                    draft = session.get(tables.Draft, job.draft_id) if job.draft_id else None
                    images = tuple(images_of(draft.media or [])) if draft is not None else ()
                    return JobRequest(
                        job.id,
                        job.account_id,
                        job.network,
                        job.text,
                        job.in_reply_to,
                        job.idempotency_key,
                        job.due_at,
                        unknown_since=unknown_since,
                        images=images,
                        workspace_id=job.workspace_id,
                    )
        return None

    def run_due(self, *, limit: int = 100) -> RunSummary:
        """Publish every due job (at most ``limit``), one at a time."""
        summary = RunSummary()
        for _ in range(limit):
            request = self.claim()
            if request is None:
                break
            try:
                post = self.publisher.publish(request)
            except ConnectorError as exc:
                outcome = self._record_failure(request, exc)
                (summary.failed if outcome == "failed" else summary.retrying).append(request.job_id)
                continue
            self._record_success(request, post)
            summary.published.append(request.job_id)
        return summary

    def _record_success(self, request: JobRequest, post: PublishedPost) -> None:
        now = self.now()
        with self.db.session(workspace_id=request.workspace_id) as session:
            job = session.get(PublishJob, request.job_id)
            if job is None or job.status == "done":
                return  # another worker recorded it after our lease ran out
            job.status, job.network_post_id, job.url = "done", post.id, post.url
            job.finished_at, job.last_error, job.lease_owner, job.lease_until = (
                now,
                None,
                None,
                None,
            )
            if job.draft_id is not None:
                _after_publish(session, job, now)
        log.info("published job %s on %s: %s", request.job_id, request.network, post.url)

    def _record_failure(self, request: JobRequest, exc: ConnectorError) -> str:
        now = self.now()
        message = str(exc)[:2000]
        with self.db.session(workspace_id=request.workspace_id) as session:
            job = session.get(PublishJob, request.job_id)
            if job is None or job.status == "done":
                return "done"
            job.last_error, job.lease_owner, job.lease_until = message, None, None
            transient = isinstance(exc, NetworkError | RateLimited)
            if transient and job.attempts < self.max_attempts:
                delay = min(self.max_backoff, self.backoff * (2 ** (job.attempts - 1)))
                retry_at = now + delay
                if isinstance(exc, RateLimited):
                    retry_at = max(retry_at, datetime.fromtimestamp(exc.until, UTC))
                job.status, job.next_attempt_at = "pending", retry_at
                outcome = "retrying"
            else:
                job.status, job.finished_at = "failed", now
                outcome = "failed"
                _fail_followers(session, job, now)
                if job.draft_id is not None:
                    draft = session.get(tables.Draft, job.draft_id)
                    if draft is not None:
                        draft.status, draft.updated_at = "failed", now
                    session.add(
                        DraftEvent(
                            draft_id=job.draft_id,
                            action="failed",
                            detail={"network": job.network, "error": message},
                            at=now,
                        )
                    )
        log.warning("job %s on %s: %s (%s)", request.job_id, request.network, message, outcome)
        return outcome


def _fail_followers(session: Session, job: PublishJob, now: datetime) -> None:
    """The rest of a thread whose post failed for good: never published out of order."""
    follower = session.scalar(select(PublishJob).where(PublishJob.after_job_id == job.id))
    while follower is not None and follower.status == "pending":
        follower.status, follower.finished_at = "failed", now
        follower.last_error = THREAD_BROKEN
        follower = session.scalar(select(PublishJob).where(PublishJob.after_job_id == follower.id))


def _thread_head(session: Session, job: PublishJob) -> PublishJob:
    """The first job of the thread ``job`` ends (itself for a single post)."""
    while job.after_job_id is not None:
        previous = session.get(PublishJob, job.after_job_id)
        if previous is None:
            break
        job = previous
    return job


def _after_publish(session: Session, job: PublishJob, now: datetime) -> None:
    """Mark the draft published once all its jobs for this occurrence are done, and queue
    the next occurrence of a recurring draft."""
    assert job.draft_id is not None
    draft = session.get(tables.Draft, job.draft_id)
    if draft is None:
        return
    session.add(
        DraftEvent(
            draft_id=draft.id,
            action="published",
            detail={"network": job.network, "url": job.url or "", "id": job.network_post_id},
            at=now,
        )
    )
    siblings = session.scalars(
        select(PublishJob.status).where(
            PublishJob.draft_id == draft.id, PublishJob.due_at == job.due_at
        )
    ).all()
    if all(status == "done" for status in siblings):
        draft.status, draft.updated_at = "published", now
    if session.scalar(select(PublishJob.id).where(PublishJob.after_job_id == job.id)):
        return  # a thread: its next occurrence is planned once its last post is out
    head = _thread_head(session, job)
    recurrence = session.get(Recurrence, draft.id)
    if recurrence is not None:
        when = WeeklyTime(recurrence.weekday, recurrence.minute_of_day, recurrence.zone)
        next_at = next_occurrence(when, job.due_at)
        if recurrence.until is None or next_at <= recurrence.until:
            enqueue_post(
                session,
                account_id=job.account_id,
                network=job.network,
                text=head.text,
                thread=draft.thread,
                due_at=next_at,
                draft_id=draft.id,
                in_reply_to=head.in_reply_to,
            )
            draft.status = "scheduled"
    elif draft.evergreen:
        _requeue_evergreen(session, draft, head, now)


def _requeue_evergreen(
    session: Session, draft: tables.Draft, job: PublishJob, now: datetime
) -> None:
    """An evergreen post (``job``, a thread's first) goes back into its account's queue, in
    the first free slot after the resting gap. Without a slot it stays published and the
    history says why."""
    try:
        # At least the gap: a slot falling exactly at now + gap is allowed.
        earliest = now + evergreen_gap(session) - timedelta(seconds=1)
        at = next_queue_time(session, [job.account_id], after=earliest)
    except ScheduleError as exc:
        session.add(
            DraftEvent(
                draft_id=draft.id,
                action="evergreen_waiting",
                detail={"network": job.network, "reason": str(exc)},
                at=now,
            )
        )
        return
    enqueue_post(
        session,
        account_id=job.account_id,
        network=job.network,
        text=job.text,
        thread=draft.thread,
        due_at=at,
        draft_id=draft.id,
        in_reply_to=job.in_reply_to,
    )
    draft.status, draft.scheduled_at = "scheduled", at
    session.add(
        DraftEvent(
            draft_id=draft.id,
            action="requeued",
            detail={"network": job.network, "at": at.isoformat()},
            at=now,
        )
    )
