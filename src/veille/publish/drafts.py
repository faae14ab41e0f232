"""Drafts: one text, one variant per target account adapted to that network (length limit,
mentions, hashtags), comments, and the history of who changed what."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.business import BusinessProfile
from veille.publish.guard import GuardContext, check
from veille.publish.guard_models import GuardReport, Lang
from veille.publish.guard_text import urls
from veille.publish.scheduler import enqueue_post
from veille.sources import registry
from veille.sources.network import PostCost
from veille.store import repository, tables
from veille.store.repository import BUSINESS_KEY
from veille.store.tables_publish import (
    DraftComment,
    DraftEvent,
    DraftVariant,
    PublishJob,
    Recurrence,
)
from veille.timeutil import utcnow
from veille.translations import N_, Refusal

PUBLISHING_NETWORKS = registry.publishing_networks()
MAX_DRAFT_CHARS = 10_000
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_TRAILING_TAGS = re.compile(r"(?:\s+#\w+)+\s*$")
ELLIPSIS = "…"


# Which states allow each change: a draft on its way out must be cancelled before anything
# else happens to it.
EDITABLE = ("draft", "pending_approval")
SCHEDULABLE = ("draft", "failed")  # queue, weekly recurrence
CANCELLABLE = ("scheduled", "pending_approval")


class DraftError(Refusal):
    """A refused draft; the message names the field."""


def require_status(draft: tables.Draft, allowed: Sequence[str], *, refusal: str) -> None:
    """Refuse a change the draft's state does not allow, with ``refusal`` as the message."""
    if draft.status not in allowed:
        raise DraftError(refusal)


# ---------------------------------------------------------------- adapting text (pure)


def adapt_mentions(text: str, network: str, handles: Mapping[str, Mapping[str, str]]) -> str:
    """Swap each known mention for its form on ``network``: ``handles`` maps a name used in
    the draft ("@martin") to {network: "@PeinturesMartin" / "@martin.bsky.social" / ...}."""
    for name, per_network in sorted(handles.items(), key=lambda kv: -len(kv[0])):
        target = per_network.get(network)
        if target:
            text = re.sub(rf"(?<![\w@]){re.escape(name)}(?![\w@.])", target, text)
    return text


def limit_hashtags(text: str, network: str) -> str:
    """Keep the network's number of hashtags: extra tags at the end are dropped, extra tags
    inside a sentence keep their word without the #."""
    publishing = registry.publishing(network)
    allowed = publishing.max_hashtags if publishing is not None else 5
    if len(_HASHTAG.findall(text)) <= allowed:
        return text
    tail = _TRAILING_TAGS.search(text)
    body, tags = (text[: tail.start()], tail.group().split()) if tail else (text, [])
    inline = len(_HASHTAG.findall(body))
    keep_tail = max(0, allowed - inline)
    seen = 0

    def _strip(match: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        return match.group(0) if seen <= allowed else match.group(1)

    body = _HASHTAG.sub(_strip, body)
    kept = tags[:keep_tail]
    return body + (" " + " ".join(kept) if kept else "")


def fit_length(text: str, network: str) -> str:
    """Shorten to the network's limit at a word boundary with "…", keeping a final link."""
    publishing = registry.publishing(network)
    assert publishing is not None, network  # adapt_text refuses other networks
    limit, length = publishing.max_length, publishing.text_length
    if length(text) <= limit:
        return text
    found = urls(text)
    link = ""
    if found and text[found[-1][1] :].strip() == "":
        link = " " + text[found[-1][0] : found[-1][1]]
        text = text[: found[-1][0]].rstrip()
    words = text.split(" ")
    low, high = 0, len(words)
    while low < high:  # the most words that fit
        mid = (low + high + 1) // 2
        if length(" ".join(words[:mid]).rstrip(",;:") + ELLIPSIS + link) <= limit:
            low = mid
        else:
            high = mid - 1
    return " ".join(words[:low]).rstrip(",;: ") + ELLIPSIS + link


def adapt_text(
    text: str, network: str, *, handles: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """The draft as it should read on ``network``."""
    if registry.publishing(network) is None:
        names = registry.listing(PUBLISHING_NETWORKS)
        raise DraftError(
            N_("network: %(network)s cannot publish (%(names)s)"),
            network=repr(network),
            names=names,
        )
    adapted = adapt_mentions(text, network, handles or {})
    return fit_length(limit_hashtags(adapted, network), network)


# ---------------------------------------------------------------- checking


@dataclass(frozen=True)
class VariantCheck:
    account_id: int
    network: str
    text: str
    report: GuardReport
    cost: PostCost | None  # pay-per-use networks only
    part: int = 1  # a thread's later posts: 2, 3...


RISK_ORDER = {"low": 0, "medium": 1, "high": 2}


def load_profile(session: Session) -> BusinessProfile | None:
    # The key the set-up and the demo write (store.repository.BUSINESS_KEY).
    row = repository.setting_row(session, BUSINESS_KEY)
    if row is None:
        return None
    try:
        return BusinessProfile.model_validate(row.value)
    except ValidationError:
        return None


def crisis_open(session: Session) -> bool:
    return (
        session.scalar(
            select(tables.Alert.id).where(
                tables.Alert.kind == "crisis", tables.Alert.status == "open"
            )
        )
        is not None
    )


def check_variants(
    session: Session,
    variants: Sequence[DraftVariant],
    *,
    scheduled_at: datetime | None,
    zone: str = "Europe/Paris",
    lang: Lang = "fr",
    thread: Sequence[str] = (),
) -> list[VariantCheck]:
    """The guard's report for each variant, and what it costs where posts are paid for; then
    the same for each later post of the ``thread``, from that variant's account."""
    profile, crisis = load_profile(session), crisis_open(session)
    checks = []
    # The same text on the same network reads the same: two accounts there share a report
    # (a thread's later posts are the same for every account).
    reports: dict[tuple[str, str], GuardReport] = {}
    for variant in variants:
        context = GuardContext(
            networks=[variant.network],
            scheduled_at=scheduled_at,
            time_zone=zone,
            open_crisis=crisis,
            profile=profile,
            lang=lang,
        )
        publishing = registry.publishing(variant.network)
        priced = publishing.post_cost if publishing is not None else None
        for part, text in enumerate((variant.text, *thread), start=1):
            key = (variant.network, text)
            if key not in reports:
                reports[key] = check(text, context=context)
            checks.append(
                VariantCheck(
                    variant.account_id,
                    variant.network,
                    text,
                    reports[key],
                    priced(text) if priced is not None else None,
                    part,
                )
            )
    return checks


def overall_risk(checks: Sequence[VariantCheck]) -> str:
    return max((c.report.risk for c in checks), key=RISK_ORDER.__getitem__, default="low")


# ---------------------------------------------------------------- state changes


def record_event(
    session: Session, draft_id: int, user_id: int | None, action: str, **detail: Any
) -> None:
    session.add(DraftEvent(draft_id=draft_id, user_id=user_id, action=action, detail=detail))


def create_draft(
    session: Session,
    *,
    text: str,
    account_ids: Sequence[int],
    user_id: int | None,
    scheduled_at: datetime | None = None,
    evergreen: bool = False,
    media: Sequence[dict[str, str]] = (),
    handles: Mapping[str, Mapping[str, str]] | None = None,
    thread: Sequence[str] = (),
) -> tables.Draft:
    """A draft with one adapted variant per target account; ``thread``, the posts that
    follow its text, each replying to the one before."""
    text = text.strip()
    if not text:
        raise DraftError(N_("text: the draft is empty"))
    if len(text) > MAX_DRAFT_CHARS:
        raise DraftError(
            N_("text: %(length)s characters; a draft holds at most %(most)s"),
            length=len(text),
            most=MAX_DRAFT_CHARS,
        )
    if not account_ids:
        raise DraftError(N_("accounts: choose at least one account to publish from"))
    accounts = []
    for account_id in dict.fromkeys(account_ids):
        account = session.get(tables.Account, account_id)
        if account is None:
            raise DraftError(N_("accounts: account %(id)s does not exist"), id=account_id)
        if account.network not in PUBLISHING_NETWORKS:
            raise DraftError(
                N_("accounts: %(handle)s (%(network)s) cannot publish"),
                handle=account.handle,
                network=account.network,
            )
        accounts.append(account)
    if scheduled_at is not None and scheduled_at.tzinfo is None:
        raise DraftError(N_("scheduled_at: the time must carry its time zone"))
    now = utcnow()
    draft = tables.Draft(
        text=text,
        account_id=accounts[0].id,
        status="draft",
        scheduled_at=scheduled_at,
        created_by=user_id,
        created_at=now,
        updated_at=now,
        evergreen=evergreen,
        media=list(media),
        thread=[part.strip() for part in thread if part.strip()],
    )
    session.add(draft)
    session.flush()
    for account in accounts:
        session.add(
            DraftVariant(
                draft_id=draft.id,
                account_id=account.id,
                network=account.network,
                text=adapt_text(text, account.network, handles=handles),
            )
        )
    record_event(session, draft.id, user_id, "created", accounts=[a.handle for a in accounts])
    session.flush()
    return draft


def variants_of(session: Session, draft_id: int) -> list[DraftVariant]:
    return list(
        session.scalars(
            select(DraftVariant).where(DraftVariant.draft_id == draft_id).order_by(DraftVariant.id)
        )
    )


def edit_variant(
    session: Session, *, draft_id: int, account_id: int, text: str, user_id: int | None
) -> DraftVariant:
    """Replace one account's text by hand (the history keeps the previous one)."""
    draft = session.get(tables.Draft, draft_id)
    if draft is None:
        raise DraftError(N_("draft: draft %(id)s does not exist"), id=draft_id)
    require_status(draft, EDITABLE, refusal=N_("scheduled: cancel first"))
    variant = session.scalar(
        select(DraftVariant).where(
            DraftVariant.draft_id == draft_id, DraftVariant.account_id == account_id
        )
    )
    if variant is None:
        raise DraftError(N_("account: the draft has no variant for account %(id)s"), id=account_id)
    text = text.strip()
    if not text:
        raise DraftError(N_("text: the variant is empty"))
    before, variant.text = variant.text, text
    record_event(
        session, draft_id, user_id, "edited", network=variant.network, before=before, after=text
    )
    if draft.status == "pending_approval" and before != text:
        # What was asked for is not what would be published any more: ask again.
        draft.status, draft.updated_at = "draft", utcnow()
        record_event(session, draft_id, user_id, "approval_reset")
    return variant


def add_comment(session: Session, *, draft_id: int, user_id: int | None, text: str) -> None:
    text = text.strip()
    if not text:
        raise DraftError(N_("comment: empty"))
    if len(text) > 4000:
        raise DraftError(N_("comment: at most 4000 characters"))
    session.add(DraftComment(draft_id=draft_id, user_id=user_id, text=text))
    record_event(session, draft_id, user_id, "commented")


def schedule_draft(
    session: Session, draft: tables.Draft, *, at: datetime, user_id: int | None
) -> list[PublishJob]:
    """Queue one publish job per variant at ``at`` (approval is checked by the caller)."""
    if at.tzinfo is None:
        raise DraftError(N_("scheduled_at: the time must carry its time zone"))
    jobs = [
        job
        for variant in variants_of(session, draft.id)
        for job in enqueue_post(
            session,
            account_id=variant.account_id,
            network=variant.network,
            text=variant.text,
            thread=draft.thread,
            due_at=at,
            draft_id=draft.id,
        )
    ]
    draft.status, draft.scheduled_at, draft.updated_at = "scheduled", at, utcnow()
    record_event(session, draft.id, user_id, "scheduled", at=at.isoformat())
    return jobs


def cancel_draft(session: Session, draft: tables.Draft, *, user_id: int | None) -> int:
    """Cancel the jobs not yet sent (a job being sent right now finishes) and any weekly
    recurrence; the draft goes back to ``draft`` so it can be edited and scheduled again.
    Returns how many jobs were cancelled; a draft with nothing scheduled is refused."""
    require_status(draft, CANCELLABLE, refusal=N_("cancel: nothing is scheduled"))
    cancelled = 0
    for job in session.scalars(
        select(PublishJob).where(PublishJob.draft_id == draft.id, PublishJob.status == "pending")
    ):
        job.status = "cancelled"
        cancelled += 1
    recurrence = session.get(Recurrence, draft.id)
    if recurrence is not None:
        session.delete(recurrence)
        session.flush()
    draft.status, draft.scheduled_at, draft.updated_at = "draft", None, utcnow()
    record_event(session, draft.id, user_id, "cancelled", jobs=cancelled)
    return cancelled
