"""The publishing actions the pages call, one per thing a user does to a draft or to the
queue's settings. Each gathers what its rule needs (the guard's risk for the draft's variants,
stored images, the next free slot) and calls the rule, which checks the draft's state and
writes the draft's event. Errors are the rules' own: DraftError, ApprovalError, ScheduleError,
MediaError, each naming what was refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from veille.publish import approvals, length, queue, slots
from veille.publish.approvals import Actor
from veille.publish.drafts import (
    SCHEDULABLE,
    DraftError,
    add_comment,
    cancel_draft,
    check_variants,
    create_draft,
    edit_variant,
    overall_risk,
    require_status,
    variants_of,
)
from veille.publish.media import (
    MAX_IMAGES,
    MediaError,
    check_image,
    remove_images,
    write_images,
)
from veille.store import tables
from veille.store.tables_publish import PublishJob
from veille.translations import N_

# What the author chose for a text too long for a network ("": not chosen yet).
Fit = Literal["", "shorten", "thread"]


@dataclass(frozen=True)
class Upload:
    """An image as the form sent it."""

    data: bytes
    name: str
    alt: str


def risk_of(session: Session, draft: tables.Draft, *, at: datetime | None) -> str:
    """The guard's highest risk over the draft's variants, published at ``at``."""
    variants = variants_of(session, draft.id)
    return overall_risk(check_variants(session, variants, scheduled_at=at, thread=draft.thread))


def compose(
    session: Session,
    *,
    actor: Actor,
    text: str,
    account_ids: Sequence[int],
    uploads: Sequence[Upload],
    data_dir: Path,
    media_quota_bytes: int,
    evergreen: bool = False,
    fit: Fit = "",
) -> tables.Draft:
    """Check every image, write them, then the draft with one variant per account; a refused
    request leaves neither a file nor a row behind.

    A text too long for a chosen account is refused (``TooLong``, with the offers) unless
    ``fit`` says what the author chose: "shorten" (each network's shorter variant) or
    "thread" (one draft whose numbered parts are published each in reply to the one
    before)."""
    parts = [text]
    if fit == "thread":
        parts = length.thread_for(session, text, account_ids)
        length.check_thread(parts)
    elif fit != "shorten":
        too_long = length.overflows(session, text, account_ids)
        if too_long:
            raise length.TooLong(too_long, length.thread_for(session, text, account_ids))
    if len(uploads) > MAX_IMAGES:
        raise MediaError(N_("images: at most %(most)s per post"), most=MAX_IMAGES)
    checked = [check_image(u.data, name=u.name, alt=u.alt) for u in uploads]
    write_images(data_dir, checked, quota_bytes=media_quota_bytes)
    try:
        return create_draft(
            session,
            text=parts[0],
            thread=parts[1:],
            account_ids=account_ids,
            user_id=actor.id,
            evergreen=evergreen,
            media=[c.image.to_json() for c in checked],
        )
    except DraftError:
        remove_images(data_dir, [c.image for c in checked])
        raise


def schedule_at(
    session: Session, *, draft: tables.Draft, actor: Actor, at: datetime
) -> list[PublishJob]:
    """Schedule the draft at ``at``, or put it in pending_approval if the actor may not."""
    risk = risk_of(session, draft, at=at)
    return approvals.request_publication(session, draft, actor=actor, at=at, risk=risk)


def add_to_queue(
    session: Session, *, draft: tables.Draft, actor: Actor, now: datetime
) -> tuple[datetime, list[PublishJob]]:
    """Schedule the draft in the first free queue slot of its accounts."""
    # queue_draft checks it too; checked here first so "cancel first" wins over "no slot".
    require_status(draft, SCHEDULABLE, refusal=N_("queue: cancel first"))
    account_ids = [v.account_id for v in variants_of(session, draft.id)]
    risk = risk_of(session, draft, at=slots.next_queue_time(session, account_ids, after=now))
    return queue.queue_draft(session, draft, actor=actor, risk=risk, now=now)


def repeat_weekly(
    session: Session,
    *,
    draft: tables.Draft,
    actor: Actor,
    weekday: int,
    wall_clock: str,
    zone: str,
    now: datetime,
) -> tuple[datetime, list[PublishJob]]:
    """Publish the draft every week at a wall-clock time in ``zone``."""
    require_status(draft, SCHEDULABLE, refusal=N_("recurring: cancel first"))
    return queue.make_recurring(
        session,
        draft,
        actor=actor,
        risk=risk_of(session, draft, at=None),
        weekday=weekday,
        wall_clock=wall_clock,
        zone=zone,
        now=now,
    )


def cancel(session: Session, *, draft: tables.Draft, actor: Actor) -> int:
    """Cancel what is scheduled for the draft; returns how many jobs were cancelled."""
    return cancel_draft(session, draft, user_id=actor.id)


def approve(
    session: Session, *, draft: tables.Draft, actor: Actor, reviewed: str
) -> list[PublishJob]:
    """Approve the texts the reviewer read and schedule them at the requested time."""
    risk = risk_of(session, draft, at=draft.scheduled_at)
    return approvals.approve(session, draft, actor=actor, risk=risk, reviewed=reviewed)


def send_back(session: Session, *, draft: tables.Draft, actor: Actor, reason: str) -> None:
    """Refuse a waiting draft; it goes back to its author as a draft."""
    approvals.reject(session, draft, actor=actor, reason=reason)


def comment(session: Session, *, draft: tables.Draft, actor: Actor, text: str) -> None:
    """Add a comment to the draft's discussion."""
    add_comment(session, draft_id=draft.id, user_id=actor.id, text=text)


def rewrite_variant(
    session: Session, *, draft: tables.Draft, actor: Actor, account_id: int, text: str
) -> None:
    """Replace one account's text by hand."""
    edit_variant(session, draft_id=draft.id, account_id=account_id, text=text, user_id=actor.id)


def set_account_rule(
    session: Session, *, actor: Actor, account_id: int, required_role: str | None
) -> None:
    """The role posts from an account need (manager or owner); None removes the rule."""
    if session.get(tables.Account, account_id) is None:
        raise approvals.ApprovalError(N_("account: account %(id)s does not exist"), id=account_id)
    approvals.set_account_rule(
        session, actor=actor, account_id=account_id, required_role=required_role
    )


def set_high_risk_needs_manager(session: Session, *, actor: Actor, value: bool) -> None:
    """The owner's setting: a post the guard rates high needs a manager's approval."""
    approvals.set_high_risk_needs_manager(session, actor=actor, value=value)
