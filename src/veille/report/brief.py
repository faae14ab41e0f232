"""The daily brief: what a boss reads in five minutes, on the home page, by e-mail and in PDF.

What changed since yesterday, at most five things to do today, reputation (sentiment trend),
share of voice against competitors, the most seen posts, a deduplicated digest of sector and
local news, and leads. Read-only: building a brief never changes the store.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.inbox.queue import ItemView, load_views
from veille.sources import registry
from veille.store import queries, repository, tables
from veille.store.queries import PostFilter, PostView
from veille.timeutil import as_utc
from veille.understand import near_duplicates

MAX_TODO = 5
OWN_KINDS = ("brand", "owner")
NEWS_KINDS = ("sector", "local")
TodoKind = Literal["answer", "thank", "lead", "alert"]


@dataclass(frozen=True)
class Change:
    """One figure today against yesterday; ``key`` is its i18n label."""

    key: str
    today: int
    yesterday: int

    @property
    def delta(self) -> int:
        return self.today - self.yesterday


@dataclass(frozen=True)
class Todo:
    kind: TodoKind
    href: str
    text: str  # the post's text or the alert's summary
    who: str = ""  # @author, when it is a post


@dataclass(frozen=True)
class ShareRow:
    name: str
    count: int
    percent: float
    own: bool


@dataclass(frozen=True)
class NewsItem:
    post: PostView
    copies: int  # how many stored posts told the same story (near-duplicates)


@dataclass(frozen=True)
class AlertLine:
    id: int
    summary: str
    started_at: datetime


@dataclass
class Brief:
    business: str
    day: datetime  # local midnight of the brief's day
    changes: list[Change]
    inbox_new: int
    todo: list[Todo]
    reputation: list[tuple[str, int, int, int]]  # day label, positive, neutral, negative
    net_week: int  # positive minus negative over the last 7 days
    net_previous_week: int
    share: list[ShareRow]
    top_posts: list[PostView]
    news: list[NewsItem]
    leads: list[PostView]
    watches: list[tuple[str, str, int, int]]  # name, kind, today, 7 days
    alerts: list[AlertLine] = field(default_factory=list)

    @property
    def mentions_today(self) -> int:
        return self.changes[0].today


def build_brief(session: Session, *, zone: ZoneInfo, now: datetime) -> Brief:
    """The brief for the day of ``now`` in ``zone``."""
    figures = queries.home_figures(session, zone=zone, now=now)
    profile = repository.load_profile(session)
    today = figures.day
    yesterday = today - timedelta(days=1)
    watches = queries.watches(session)
    own_ids = [w.id for w in watches if w.kind in OWN_KINDS]
    own_names = {w.name for w in watches if w.kind in OWN_KINDS}
    kinds = {w.name: w.kind for w in watches}

    leads_since = today - timedelta(days=6)
    leads, _ = queries.list_posts(session, PostFilter(intent="lead", since=leads_since), limit=5)
    recent = today - timedelta(days=1)
    praise, _ = queries.list_posts(session, PostFilter(intent="praise", since=recent), limit=50)
    praise = [p for p in praise if not own_names or own_names & set(p.watches)]
    praise.sort(key=lambda p: -(p.likes + 2 * p.reposts + p.replies))
    alerts = [
        AlertLine(a.id, a.summary, a.started_at)
        for a in session.scalars(
            select(tables.Alert)
            .where(tables.Alert.status == "open")
            .order_by(tables.Alert.updated_at.desc())
        )
    ]
    sentiment = _sentiment_by_day(session, own_ids, zone=zone, today=today)
    net = [pos - neg for _, pos, _, neg in sentiment]
    changes = [
        Change("home.mentions", figures.mentions_today, figures.mentions_yesterday),
        Change(
            "home.negative",
            figures.negative_today,
            sentiment[-2][3] if own_ids else _label_count(session, "negative", yesterday, today),
        ),
        Change(
            "home.positive",
            figures.positive_today,
            sentiment[-2][1] if own_ids else _label_count(session, "positive", yesterday, today),
        ),
        Change("home.leads", figures.leads_today, _lead_count(session, yesterday, today)),
    ]
    total = sum(count for _, count in figures.share_of_voice) or 1
    share = [
        ShareRow(name, count, round(100 * count / total, 1), kinds.get(name) in OWN_KINDS)
        for name, count in sorted(figures.share_of_voice, key=lambda item: -item[1])
    ]
    return Brief(
        business=profile.name if profile else "",
        day=today,
        changes=changes,
        inbox_new=figures.inbox_new,
        todo=_todo(
            urgent_items(session, zone=zone, now=now),
            praise,
            leads,
            alerts,
            inbox_of=_inbox_items(session, [p.id for p in praise[:1] + leads[:1]]),
        ),
        reputation=sentiment,
        net_week=sum(net[-7:]),
        net_previous_week=sum(net[-14:-7]),
        share=share,
        top_posts=figures.top_posts,
        news=news_digest(session, since=today - timedelta(days=1), watches=watches),
        leads=leads,
        watches=figures.per_watch,
        alerts=alerts,
    )


def urgent_items(session: Session, *, zone: ZoneInfo, now: datetime) -> list[ItemView]:
    """New inbox items nobody has touched, in the inbox's order (its one priority score)."""
    return load_views(session, zone=zone.key, statuses=("new",), now=now)


def _inbox_items(session: Session, post_ids: list[int]) -> dict[int, int]:
    """The inbox item of each of these posts that has one (post id → item id)."""
    if not post_ids:
        return {}
    rows = session.execute(
        select(tables.InboxItem.post_id, tables.InboxItem.id).where(
            tables.InboxItem.post_id.in_(post_ids)
        )
    ).all()
    return {post_id: item_id for post_id, item_id in rows}


def _todo(
    urgent: list[ItemView],
    praise: list[PostView],
    leads: list[PostView],
    alerts: list[AlertLine],
    *,
    inbox_of: dict[int, int],
) -> list[Todo]:
    """At most five: the newest open alert, then answers, one thanks, one lead, more answers.
    Each opens where it is done: the inbox item and its reply box when there is one, else
    the post with its "answer" button (which opens the item with a suggested reply)."""

    def where(post_id: int) -> str:
        item = inbox_of.get(post_id)
        return f"/inbox/{item}#reply" if item is not None else f"/posts/{post_id}#answer"

    answers = [
        Todo("answer", f"/inbox/{view.item.id}#reply", view.post.text, f"@{view.author.username}")
        for view in urgent
        if "praise" not in view.intents and "lead" not in view.intents
    ]
    first: list[Todo] = [Todo("alert", f"/alerts/{a.id}", a.summary) for a in alerts[:1]]
    first += answers[:2]
    first += [Todo("thank", where(p.id), p.text, f"@{p.username}") for p in praise[:1]]
    first += [Todo("lead", where(p.id), p.text, f"@{p.username}") for p in leads[:1]]
    first += answers[2:]
    seen: set[str] = set()
    todo = []
    for item in first:
        if item.href not in seen:
            seen.add(item.href)
            todo.append(item)
    return todo[:MAX_TODO]


def _sentiment_by_day(
    session: Session, own_ids: list[int], *, zone: ZoneInfo, today: datetime
) -> list[tuple[str, int, int, int]]:
    """Positive, neutral and negative posts about the business per day, the last 14 days."""
    start = today - timedelta(days=13)
    matched = select(tables.Match.post_id)
    if own_ids:
        matched = matched.where(tables.Match.watch_id.in_(own_ids))
    rows = session.execute(
        select(tables.Post.created_at, tables.Enrichment.label)
        .join(tables.Enrichment, tables.Enrichment.post_id == tables.Post.id)
        .where(
            tables.Enrichment.kind == "sentiment",
            tables.Post.created_at >= start,
            tables.Post.created_at < today + timedelta(days=1),
            tables.Post.id.in_(matched),
        )
    ).all()
    counts: Counter[tuple[str, str]] = Counter(
        (f"{as_utc(created).astimezone(zone):%d/%m}", str(label)) for created, label in rows
    )
    days = [f"{start + timedelta(days=i):%d/%m}" for i in range(14)]
    return [
        (d, counts[(d, "positive")], counts[(d, "neutral")], counts[(d, "negative")]) for d in days
    ]


def _label_count(session: Session, label: str, start: datetime, end: datetime) -> int:
    flt = PostFilter(sentiment=label, since=start, until=end)
    return queries.list_posts(session, flt, limit=1)[1]


def _lead_count(session: Session, start: datetime, end: datetime) -> int:
    flt = PostFilter(intent="lead", since=start, until=end)
    return queries.list_posts(session, flt, limit=1)[1]


def news_digest(
    session: Session, *, since: datetime, watches: list[tables.Watch], limit: int = 8
) -> list[NewsItem]:
    """Sector and local news since ``since``: copies grouped, most repeated and seen first."""
    found: dict[int, PostView] = {}
    for network in registry.press_networks():
        news, _ = queries.list_posts(
            session, PostFilter(network=network, since=since, matched_only=False), limit=300
        )
        found.update((p.id, p) for p in news)
    for watch in watches:
        if watch.kind in NEWS_KINDS:
            posts, _ = queries.list_posts(
                session, PostFilter(watch_id=watch.id, since=since), limit=300
            )
            found.update((p.id, p) for p in posts)
    posts = sorted(found.values(), key=lambda p: p.created_at)  # the first telling leads
    groups: dict[int, list[PostView]] = {}
    for post, leader in zip(posts, near_duplicates([p.text for p in posts]), strict=True):
        groups.setdefault(leader, []).append(post)
    items = []
    for members in groups.values():
        best = max(members, key=lambda p: (p.likes + 2 * p.reposts + p.replies, p.followers))
        items.append(NewsItem(best, len(members)))

    def rank(item: NewsItem) -> tuple[int, int, datetime]:
        post = item.post
        return (item.copies, post.likes + 2 * post.reposts + post.replies, post.created_at)

    items.sort(key=rank, reverse=True)
    return items[:limit]
