"""The daily brief: what a boss reads in five minutes, on the home page, by e-mail and in PDF.

What changed since yesterday, at most five things to do today, reputation (sentiment trend),
share of voice against competitors, the most seen posts, a deduplicated digest of sector and
local news, and leads. Read-only: building a brief never changes the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from veille.inbox.queue import ItemView, load_views
from veille.report import figures
from veille.report.figures import OWN_KINDS, ShareRow
from veille.sources import registry
from veille.store import queries, repository, tables
from veille.store.queries import PostFilter, PostView
from veille.understand import near_duplicates

MAX_TODO = 5
NEWS_KINDS = ("sector", "local")
CONVERSATION = frozenset(("question", "complaint", "praise", "lead", "job"))
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
    to_handle: int  # inbox items still to handle (report.figures.to_handle)
    todo: list[Todo]
    reputation: list[tuple[str, int, int, int]]  # day label, positive, neutral, negative
    net_week: int  # positive minus negative over the last 7 days
    net_previous_week: int
    share: list[ShareRow]  # 7 days
    top_posts: list[PostView]
    news: list[NewsItem]
    leads: list[PostView]  # the leads of the day (report.figures.leads)
    watches: list[tuple[str, str, int, int]]  # name, kind, today, 7 days
    alerts: list[AlertLine] = field(default_factory=list)


def build_brief(session: Session, *, zone: ZoneInfo, now: datetime) -> Brief:
    """The brief for the day of ``now`` in ``zone``; every figure comes from report.figures."""
    profile = repository.load_profile(session)
    today = figures.Period.ending_today(days=1, zone=zone, now=now)
    yesterday = today.shifted(1)
    week = figures.Period.ending_today(days=7, zone=zone, now=now)
    fortnight = figures.Period.ending_today(days=14, zone=zone, now=now)
    watches = queries.watches(session)
    own_names = {w.name for w in watches if w.kind in OWN_KINDS}

    leads_today = figures.leads(session, today)
    leads_week = figures.leads(session, week)
    recent = datetime.combine(yesterday.first, time(0), zone)
    praise, _ = queries.list_posts(
        session, PostFilter(intent="praise", since=recent, until=today.until), limit=50
    )
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
    days = figures.daily(session, fortnight)
    now_day, before = days[-1], figures.daily(session, yesterday)[0]
    changes = [
        Change("home.mentions", now_day.mentions, before.mentions),
        Change("home.negative", now_day.negative, before.negative),
        Change("home.positive", now_day.positive, before.positive),
        Change("home.leads", len(leads_today), len(figures.leads(session, yesterday))),
    ]
    net = [d.positive - d.negative for d in days]
    per_today = figures.watch_mentions(session, today)
    per_week = figures.watch_mentions(session, week)
    return Brief(
        business=profile.name if profile else "",
        day=today.since,
        changes=changes,
        to_handle=figures.to_handle(session),
        todo=_todo(
            urgent_items(session, zone=zone, now=now),
            praise,
            leads_week,
            alerts,
            inbox_of=_inbox_items(session, [p.id for p in praise[:1] + leads_week[:1]]),
        ),
        reputation=[(f"{d.day:%d/%m}", d.positive, d.neutral, d.negative) for d in days],
        net_week=sum(net[-7:]),
        net_previous_week=sum(net[-14:-7]),
        share=figures.share_of_voice(session, week),
        top_posts=queries.top_posts(session, since=recent, until=today.until),
        news=news_digest(session, since=recent, watches=watches),
        leads=leads_today,
        watches=[(w.name, w.kind, per_today[w.id], per_week[w.id]) for w in watches],
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
            # A request, a review or a job offer that a sector word caught is a conversation
            # (the inbox, the leads), not news.
            found.update((p.id, p) for p in posts if not CONVERSATION.intersection(p.intents))
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
