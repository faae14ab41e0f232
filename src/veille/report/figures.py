"""Every figure Veille shows, defined once: the home page, the reports (page, CSV, PDF), the inbox
figures and the e-mail brief all read them from here, so they agree for the same period.

A period is a run of whole local days in the business's time zone, cut at the present: a post
dated later than ``now`` (a clock ahead, a scheduled announcement) has not happened yet and
counts nowhere. "Mentions" are posts matched by at least one watch, each counted once.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from veille.inbox.actions import OPEN_STATUSES
from veille.inbox.clock import BusinessHours, business_seconds
from veille.inbox.queue import own_handles
from veille.store import queries, tables
from veille.store.queries import PostFilter, PostView
from veille.timeutil import as_utc
from veille.understand import near_duplicates

SHARE_KINDS = ("brand", "owner", "competitor")
OWN_KINDS = ("brand", "owner")
LABELS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class Period:
    """The local days ``first`` to ``last`` (inclusive) in ``zone``, up to ``now`` at most."""

    first: date
    last: date
    zone: ZoneInfo
    now: datetime

    @classmethod
    def ending_today(cls, *, days: int, zone: ZoneInfo, now: datetime) -> Period:
        """The last ``days`` local days, today included (``days=1``: today so far)."""
        today = now.astimezone(zone).date()
        return cls(today - timedelta(days=days - 1), today, zone, now)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first, time(0), self.zone)

    @property
    def until(self) -> datetime:
        """The end (excluded): the midnight after ``last``, or ``now`` if that comes first."""
        return min(datetime.combine(self.last + timedelta(days=1), time(0), self.zone), self.now)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def shifted(self, days: int) -> Period:
        """The same number of days, ``days`` earlier (whole days: the earlier one is complete)."""
        return Period(
            self.first - timedelta(days=days), self.last - timedelta(days=days), self.zone, self.now
        )


@dataclass(frozen=True)
class DayCounts:
    """Mentions of one local day and how many of them read positive, neutral or negative
    (the rest were not analysed)."""

    day: date
    mentions: int
    positive: int
    neutral: int
    negative: int


@dataclass(frozen=True)
class ShareRow:
    name: str
    count: int
    percent: float  # of all posts counted in the share, one decimal
    own: bool  # the business's own watch (brand or owner)


@dataclass(frozen=True)
class Responses:
    answered: int
    median_s: float | None  # business seconds
    p90_s: float | None


def daily(session: Session, period: Period) -> list[DayCounts]:
    """Mentions per local day of the period, with their sentiment (one grouped read)."""
    mentions: Counter[date] = Counter()
    labels: Counter[tuple[date, str]] = Counter()
    days_of: dict[datetime, date] = {}
    zone = period.zone
    for moment, label, n in queries.matched_by_hour(
        session, since=period.since, until=period.until, zone=zone
    ):
        day = days_of.get(moment) or days_of.setdefault(moment, moment.astimezone(zone).date())
        mentions[day] += n
        if label:
            labels[(day, str(label))] += n
    return [
        DayCounts(d, mentions[d], *(labels[(d, label)] for label in LABELS)) for d in period.days
    ]


def mentions(session: Session, period: Period) -> int:
    """Posts matched by at least one watch, dated in the period (each post once)."""
    return sum(d.mentions for d in daily(session, period))


def negatives(session: Session, period: Period) -> int:
    """Mentions of the period whose sentiment reads negative."""
    return sum(d.negative for d in daily(session, period))


def positives(session: Session, period: Period) -> int:
    """Mentions of the period whose sentiment reads positive."""
    return sum(d.positive for d in daily(session, period))


def leads(session: Session, period: Period) -> list[PostView]:
    """Mentions of the period that carry the "lead" intent (someone looking for what the business
    sells), newest first; copies of one message (near-duplicates) count once, as the first."""
    found, _ = queries.list_posts(
        session, PostFilter(intent="lead", since=period.since, until=period.until), limit=500
    )
    oldest_first = found[::-1]
    leaders = near_duplicates([p.text for p in oldest_first])
    return [p for i, p in enumerate(oldest_first) if leaders[i] == i][::-1]


def watch_mentions(session: Session, period: Period) -> Counter[int]:
    """Mentions of the period per watch (watch id → posts): a post matched by two watches
    counts for each."""
    return Counter(queries.per_watch(session, since=period.since, until=period.until))


def share_of_voice(session: Session, period: Period) -> list[ShareRow]:
    """The business's watches (brand, owner) against its competitors': each watch's mentions in
    the period as a percentage of theirs all together; most first."""
    counts = watch_mentions(session, period)
    rows = [
        (watch.name, counts[watch.id], watch.kind in OWN_KINDS)
        for watch in queries.watches(session)
        if watch.kind in SHARE_KINDS
    ]
    total = sum(n for _, n, _ in rows) or 1
    rows.sort(key=lambda row: -row[1])
    return [ShareRow(name, n, round(100 * n / total, 1), own) for name, n, own in rows]


def responses(session: Session, period: Period, hours: BusinessHours) -> Responses:
    """Mentions of the period the business answered, and how long it took in business hours.

    A reply is one sent from the inbox or a post by one of the business's own handles (profile
    and connected accounts) replying to it, before ``now``; the first one counts. The median and
    90th percentile are of those first-response times."""
    asked: dict[int, datetime] = {}
    first: dict[int, datetime] = {}
    inbox_rows = session.execute(
        select(tables.Post.id, tables.Post.created_at, tables.InboxItem.first_response_at)
        .join(tables.InboxItem, tables.InboxItem.post_id == tables.Post.id)
        .where(
            tables.Post.created_at >= period.since,
            tables.Post.created_at < period.until,
            tables.InboxItem.first_response_at.is_not(None),
            queries.is_matched(session),
        )
    ).all()
    handles = own_handles(session)
    original = aliased(tables.Post)
    reply_rows = (
        session.execute(
            select(original.id, original.created_at, tables.Post.created_at)
            .join(tables.Author, tables.Author.id == tables.Post.author_id)
            .join(
                original,
                (original.network == tables.Post.network)
                & (original.network_post_id == tables.Post.in_reply_to_id),
            )
            .where(
                tables.Post.is_reply.is_(True),
                func.lower(tables.Author.username).in_(handles),
                original.created_at >= period.since,
                original.created_at < period.until,
                queries.is_matched(session, original),
            )
        ).all()
        if handles
        else []
    )
    now = as_utc(period.now)
    for post_id, posted_at, answered_at in [*inbox_rows, *reply_rows]:
        posted, answered = as_utc(posted_at), as_utc(answered_at or posted_at)
        if posted <= answered <= now:
            asked[post_id] = posted
            first[post_id] = min(answered, first.get(post_id, answered))
    waits = sorted(business_seconds(asked[i], first[i], hours) for i in first)
    if not waits:
        return Responses(0, None, None)
    p90 = waits[min(len(waits) - 1, int(0.9 * len(waits)))]
    return Responses(len(waits), statistics.median(waits), p90)


def backlog(session: Session) -> dict[str, int]:
    """Inbox items still to handle, per status (new, assigned, waiting), as of now."""
    found: dict[str, int] = dict.fromkeys(OPEN_STATUSES, 0)
    for status, count in session.execute(
        select(tables.InboxItem.status, func.count(tables.InboxItem.id))
        .where(tables.InboxItem.status.in_(OPEN_STATUSES))
        .group_by(tables.InboxItem.status)
    ):
        found[str(status)] = int(count)
    return found


def to_handle(session: Session) -> int:
    """Inbox items still to handle (new, assigned or waiting), as of now."""
    return sum(backlog(session).values())
