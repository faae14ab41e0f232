"""Report figures for any period: volume, sentiment per day, share of voice, response times,
top authors by reach. Read-only queries on matched posts; days are in the business's zone."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veille.business import BusinessProfile
from veille.store import queries, repository, tables
from veille.timeutil import DayError, as_utc, parse_day

MAX_DAYS = 366
CSV_COLUMNS = ("date", "posts", "positive", "neutral", "negative")


class PeriodError(ValueError):
    """A report period that makes no sense; the message says why."""


@dataclass(frozen=True)
class DayRow:
    day: date
    posts: int
    positive: int
    neutral: int
    negative: int


@dataclass(frozen=True)
class AuthorRow:
    username: str
    name: str
    network: str
    followers: int
    posts: int


@dataclass(frozen=True)
class ResponseTimes:
    answered: int
    median_hours: float | None
    p90_hours: float | None


@dataclass
class Report:
    business: str
    start: date
    end: date  # inclusive
    days: list[DayRow]
    share: list[tuple[str, int]]  # brand and competitor watches, most first
    responses: ResponseTimes
    authors: list[AuthorRow]

    @property
    def total(self) -> int:
        return sum(d.posts for d in self.days)


def parse_period(start: str, end: str, *, today: date) -> tuple[date, date]:
    """Dates from a form (YYYY-MM-DD); empty means the last 30 days up to today."""
    try:
        last = parse_day(end, field="end") if end else today
        first = parse_day(start, field="start") if start else last - timedelta(days=29)
    except DayError as error:
        raise PeriodError(str(error)) from None
    if first > last:
        raise PeriodError(f"the start {first} is after the end {last}")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError(f"a report covers at most {MAX_DAYS} days")
    return first, last


def build_report(session: Session, *, start: date, end: date, zone: ZoneInfo) -> Report:
    """Every figure of the report for the days ``start`` to ``end`` (inclusive)."""
    since = datetime.combine(start, time(0), zone)
    until = datetime.combine(end + timedelta(days=1), time(0), zone)
    posts: Counter[date] = Counter()
    labels: Counter[tuple[date, str]] = Counter()
    days_of: dict[datetime, date] = {}
    for moment, label, n in queries.matched_by_hour(session, since=since, until=until, zone=zone):
        day = days_of.get(moment) or days_of.setdefault(moment, moment.astimezone(zone).date())
        posts[day] += n
        if label:
            labels[(day, str(label))] += n
    days = [
        DayRow(
            d, posts[d], labels[(d, "positive")], labels[(d, "neutral")], labels[(d, "negative")]
        )
        for d in (start + timedelta(days=i) for i in range((end - start).days + 1))
    ]
    per_watch = queries.per_watch(session, since=since, until=until)
    share = [
        (watch.name, int(per_watch.get(watch.id, 0)))
        for watch in queries.watches(session)
        if watch.kind in ("brand", "competitor", "owner")
    ]
    share.sort(key=lambda item: -item[1])
    profile = repository.load_profile(session)
    return Report(
        business=profile.name if profile else "",
        start=start,
        end=end,
        days=days,
        share=share,
        responses=_response_times(session, since, until, profile),
        authors=_top_authors(session, since, until),
    )


def _response_times(
    session: Session, since: datetime, until: datetime, profile: BusinessProfile | None
) -> ResponseTimes:
    """Delay between a post and the business's first reply to it (own handles in the profile)."""
    handles: set[str] = set()
    if profile is not None:
        handles = {h.lower().lstrip("@") for h in [*profile.handles, *profile.owner_handles]}
    if not handles:
        return ResponseTimes(0, None, None)
    # From the business's few authors to their replies (author index), then to the originals
    # by their key: never every post of the period probed for replies.
    own = select(tables.Author.id).where(func.lower(tables.Author.username).in_(handles))
    replies: list[tuple[str, str, datetime]] = [
        (network, parent, answered)
        for network, parent, answered in session.execute(
            select(tables.Post.network, tables.Post.in_reply_to_id, tables.Post.created_at).where(
                tables.Post.author_id.in_(own),
                tables.Post.is_reply.is_(True),
                tables.Post.in_reply_to_id.is_not(None),
            )
        )
        if parent is not None
    ]
    asked_ids: dict[str, set[str]] = {}
    for network, parent, _ in replies:
        asked_ids.setdefault(network, set()).add(parent)
    originals: dict[tuple[str, str], tuple[int, datetime]] = {}
    for network, parents in asked_ids.items():
        wanted = sorted(parents)
        for start in range(0, len(wanted), 500):  # under SQLite's bound-parameter limit
            for post_id, key, asked in session.execute(
                select(tables.Post.id, tables.Post.network_post_id, tables.Post.created_at).where(
                    tables.Post.network == network,
                    tables.Post.network_post_id.in_(wanted[start : start + 500]),
                    tables.Post.created_at >= since,
                    tables.Post.created_at < until,
                )
            ):
                originals[(network, key)] = (post_id, asked)
    rows = [
        (*originals[(network, parent)], answered)
        for network, parent, answered in replies
        if (network, parent) in originals
    ]
    first: dict[int, float] = {}
    for post_id, asked, answered in rows:
        hours = (as_utc(answered) - as_utc(asked)).total_seconds() / 3600
        if hours >= 0:
            first[post_id] = min(hours, first.get(post_id, hours))
    delays = sorted(first.values())
    if not delays:
        return ResponseTimes(0, None, None)
    p90 = delays[min(len(delays) - 1, int(0.9 * len(delays)))]
    return ResponseTimes(len(delays), round(statistics.median(delays), 2), round(p90, 2))


def _top_authors(
    session: Session, since: datetime, until: datetime, limit: int = 10
) -> list[AuthorRow]:
    """Authors of matched posts in the period, by followers (how many could see them)."""
    rows = session.execute(
        select(
            tables.Author.username,
            tables.Author.name,
            tables.Author.network,
            tables.Author.followers_count,
            func.count(tables.Post.id),
        )
        .join(tables.Post, tables.Post.author_id == tables.Author.id)
        .where(
            tables.Post.id.in_(select(tables.Match.post_id)),
            tables.Post.created_at >= since,
            tables.Post.created_at < until,
        )
        .group_by(tables.Author.id)
        .order_by(tables.Author.followers_count.desc(), tables.Author.username)
        .limit(limit)
    ).all()
    return [AuthorRow(u, n, net, int(f), int(c)) for u, n, net, f, c in rows]


def csv_rows(report: Report) -> list[list[str]]:
    """A header (CSV_COLUMNS), then one row per day."""
    rows = [list(CSV_COLUMNS)]
    for d in report.days:
        rows.append(
            [d.day.isoformat(), str(d.posts), str(d.positive), str(d.neutral), str(d.negative)]
        )
    return rows
