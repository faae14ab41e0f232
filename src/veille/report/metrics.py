"""The report of any period: mentions and sentiment per day, share of voice, response times
(all from report.figures), top authors by reach. Read-only; days are in the business's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veille.inbox.clock import BusinessHours
from veille.report import figures
from veille.report.figures import DayCounts, Responses, ShareRow
from veille.store import repository, tables, visibility
from veille.timeutil import DayError, parse_day
from veille.translations import N_, Refusal

MAX_DAYS = 366
CSV_COLUMNS = ("date", "posts", "positive", "neutral", "negative")


class PeriodError(Refusal):
    """A report period that makes no sense; the message says why."""


@dataclass(frozen=True)
class AuthorRow:
    username: str
    name: str
    network: str
    followers: int
    posts: int


@dataclass
class Report:
    business: str
    start: date
    end: date  # inclusive
    days: list[DayCounts]
    share: list[ShareRow]  # the business's and competitors' watches, most first
    responses: Responses
    authors: list[AuthorRow]

    @property
    def total(self) -> int:
        """Mentions of the period (report.figures.mentions)."""
        return sum(d.mentions for d in self.days)


def parse_period(start: str, end: str, *, today: date) -> tuple[date, date]:
    """Dates from a form (YYYY-MM-DD); empty means the last 30 days up to today."""
    try:
        last = parse_day(end, field="end") if end else today
        first = parse_day(start, field="start") if start else last - timedelta(days=29)
    except DayError as error:
        raise PeriodError(error.message, **error.fields) from None
    if first > last:
        raise PeriodError(
            N_("start: the start %(first)s is after the end %(last)s"), first=first, last=last
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError(N_("start: a report covers at most %(most)s days"), most=MAX_DAYS)
    return first, last


def build_report(
    session: Session, *, start: date, end: date, zone: ZoneInfo, now: datetime, hours: BusinessHours
) -> Report:
    """Every figure of the report for the days ``start`` to ``end`` (inclusive), up to ``now``;
    each one as report.figures defines it."""
    period = figures.Period(start, end, zone, now)
    profile = repository.load_profile(session)
    return Report(
        business=profile.name if profile else "",
        start=start,
        end=end,
        days=figures.daily(session, period),
        share=figures.share_of_voice(session, period),
        responses=figures.responses(session, period, hours),
        authors=_top_authors(session, period.since, period.until),
    )


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
            tables.Post.id.in_(visibility.own_matches(session)),
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
            [d.day.isoformat(), str(d.mentions), str(d.positive), str(d.neutral), str(d.negative)]
        )
    return rows
