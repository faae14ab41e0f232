"""What the inbox shows: open items with their triage, grouped by conversation, most urgent
first. Read-only; state changes live in actions.py."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from veille.inbox.actions import OPEN_STATUSES, STATUSES
from veille.inbox.clock import SETTING_KEY, BusinessHours
from veille.inbox.queries import members
from veille.inbox.triage import Signals, Triage, score
from veille.store import repository, tables
from veille.timeutil import utcnow

MAX_ITEMS = 500


@dataclass
class ItemView:
    item: tables.InboxItem
    post: tables.Post
    author: tables.Author
    triage: Triage
    intents: list[str]
    sentiment: str | None
    assignee: str | None

    @property
    def primary_intent(self) -> str | None:
        return self.intents[0] if self.intents else None


@dataclass
class Conversation:
    key: str
    items: list[ItemView] = field(default_factory=list)

    @property
    def score(self) -> float:
        return max(view.triage.score for view in self.items)

    @property
    def lead(self) -> ItemView:
        """The item that makes the conversation urgent."""
        return max(self.items, key=lambda view: view.triage.score)


def business_hours(session: Session, *, zone: str) -> BusinessHours:
    return BusinessHours.from_setting(repository.get_setting(session, SETTING_KEY), zone=zone)


def own_handles(session: Session) -> set[str]:
    """Our accounts' usernames (profile and connected accounts), lower-cased, without @."""
    handles = {h.lower() for h in session.scalars(select(tables.Account.handle))}
    profile = repository.load_profile(session)
    if profile is not None:
        handles |= {h.lower().lstrip("@") for h in [*profile.handles, *profile.owner_handles]}
    return handles


def _enrichments(session: Session, post_ids: list[int]) -> dict[int, dict[str, tables.Enrichment]]:
    found: dict[int, dict[str, tables.Enrichment]] = defaultdict(dict)
    if post_ids:
        for row in session.scalars(  # the kinds triage reads; entities are large, unread here
            select(tables.Enrichment).where(
                tables.Enrichment.post_id.in_(post_ids),
                tables.Enrichment.kind.in_(("sentiment", "intents")),
            )
        ):
            found[row.post_id][row.kind] = row
    return found


def _known_authors(session: Session, author_ids: list[int]) -> set[int]:
    """Authors we already answered or closed an item for: known customers."""
    if not author_ids:
        return set()
    rows = session.scalars(
        select(tables.Post.author_id)
        .join(tables.InboxItem, tables.InboxItem.post_id == tables.Post.id)
        .where(
            tables.Post.author_id.in_(author_ids),
            or_(tables.InboxItem.first_response_at.is_not(None), tables.InboxItem.status == "done"),
        )
    )
    return set(rows)


def load_views(
    session: Session,
    *,
    zone: str,
    lang: str = "fr",
    statuses: tuple[str, ...] = OPEN_STATUSES,
    include_snoozed: bool = False,
    assignee_id: int | None = None,
    item_ids: list[int] | None = None,
    now: datetime | None = None,
) -> list[ItemView]:
    """Items with their post, author and triage, most urgent first."""
    now = now or utcnow()
    query = (
        select(tables.InboxItem, tables.Post, tables.Author)
        .join(tables.Post, tables.Post.id == tables.InboxItem.post_id)
        .join(tables.Author, tables.Author.id == tables.Post.author_id)
        .where(tables.InboxItem.status.in_([s for s in statuses if s in STATUSES]))
        .order_by(tables.InboxItem.id)
        .limit(MAX_ITEMS)
    )
    if not include_snoozed:
        query = query.where(
            or_(tables.InboxItem.snoozed_until.is_(None), tables.InboxItem.snoozed_until <= now)
        )
    if assignee_id is not None:
        query = query.where(tables.InboxItem.assignee_id == assignee_id)
    if item_ids is not None:
        query = query.where(tables.InboxItem.id.in_(item_ids))
    rows = session.execute(query).all()
    enrich = _enrichments(session, [post.id for _, post, _ in rows])
    known = _known_authors(session, [author.id for _, _, author in rows])
    handles = own_handles(session)
    hours = business_hours(session, zone=zone)
    names = {member.id: member.username for member in members(session)}
    views: list[ItemView] = []
    for item, post, author in rows:
        found = enrich.get(post.id, {})
        sentiment = found.get("sentiment")
        intents_row = found.get("intents")
        scores = dict((intents_row.data or {}).get("scores", {})) if intents_row else {}
        present = list((intents_row.data or {}).get("present", [])) if intents_row else []
        mentions = {str(m).lower() for m in (post.payload or {}).get("mentions", [])}
        addressed = bool(handles & mentions) or (post.in_reply_to or "").lower() in handles
        signals = Signals(
            intents={i: float(scores.get(i, 1.0)) for i in present},
            sentiment=sentiment.label if sentiment else None,
            sentiment_score=float(sentiment.score or 0.0) if sentiment else 0.0,
            followers=author.followers_count,
            posted_at=post.created_at,
            addressed=addressed,
            known_customer=author.id in known and item.first_response_at is None,
        )
        views.append(
            ItemView(
                item=item,
                post=post,
                author=author,
                triage=score(signals, now=now, hours=hours, lang=lang),
                intents=present,
                sentiment=signals.sentiment,
                assignee=names.get(item.assignee_id) if item.assignee_id else None,
            )
        )
    views.sort(key=lambda view: (-view.triage.score, view.post.created_at))
    return views


def conversation_key(post: tables.Post) -> str:
    return f"{post.network}:{post.conversation_id or post.in_reply_to_id or post.network_post_id}"


def group(views: list[ItemView]) -> list[Conversation]:
    """One entry per conversation, most urgent first; items inside in posting order."""
    by_key: dict[str, Conversation] = {}
    for view in views:
        key = conversation_key(view.post)
        by_key.setdefault(key, Conversation(key)).items.append(view)
    for conversation in by_key.values():
        conversation.items.sort(key=lambda view: view.post.created_at)
    return sorted(by_key.values(), key=lambda c: -c.score)
