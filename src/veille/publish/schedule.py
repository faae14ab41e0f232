"""When to post: wall-clock times in a zone turned into UTC instants, weekly queue slots,
recurrences, and the best hours from the account's own engagement history.

Recurring times are kept as (weekday, minute of day, zone), never as a UTC offset, so a
Monday 09:30 post stays at 09:30 in Paris on both sides of a daylight-saving change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from veille.localise import weekday_name
from veille.translations import N_, Language, Refusal

MINUTES_PER_DAY = 24 * 60

# Before an account has its own history: mid-morning, lunch and early evening on weekdays,
# the hours small-business audiences read most (see docs/publishing.md).
DEFAULT_BEST: tuple[tuple[int, int], ...] = ((1, 12), (3, 12), (2, 18), (0, 9), (4, 10))
MIN_HISTORY_POSTS = 10


class ScheduleError(Refusal):
    """A refused time or slot; the message names the field."""


@dataclass(frozen=True)
class WeeklyTime:
    """Every week on ``weekday`` (0 = Monday) at ``minute_of_day`` local time in ``zone``."""

    weekday: int
    minute_of_day: int
    zone: str = "Europe/Paris"

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ScheduleError(N_("weekday: choose a day from Monday to Sunday"))
        if not 0 <= self.minute_of_day < MINUTES_PER_DAY:
            raise ScheduleError(
                N_("time: %(minutes)s minutes is not a time of day"), minutes=self.minute_of_day
            )
        zone_of(self.zone)

    @property
    def wall_clock(self) -> time:
        return time(self.minute_of_day // 60, self.minute_of_day % 60)

    def label(self, lang: Language = "fr") -> str:
        return f"{weekday_name(self.weekday, lang)} {self.wall_clock:%H:%M}"


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            N_("zone: %(zone)r is not a known time zone (e.g. Europe/Paris)"), zone=name
        ) from None


def parse_wall_clock(value: str) -> int:
    """ "09:30" → 570 minutes after midnight."""
    try:
        hours, minutes = value.strip().split(":")
        parsed = time(int(hours), int(minutes))
    except ValueError:
        raise ScheduleError(N_("time: %(value)r is not a time like 09:30"), value=value) from None
    return parsed.hour * 60 + parsed.minute


def local_to_utc(day: date, wall: time, zone: str) -> datetime:
    """The UTC instant of a wall-clock time. A time skipped by the spring change (02:30 on the
    last Sunday of March) moves forward by the gap; a time repeated in autumn takes its first
    occurrence, so a post goes out once, at the earliest matching instant."""
    # fold=0: zoneinfo reads a skipped time with the offset from before the gap (so 02:30
    # becomes 03:30 summer time) and a repeated time as its first occurrence.
    return datetime.combine(day, wall).replace(tzinfo=zone_of(zone), fold=0).astimezone(UTC)


def parse_local(value: str, zone: str) -> datetime:
    """ "2026-03-29 09:30" (local, in ``zone``) or an ISO time with an offset → aware UTC."""
    text = value.strip().replace("T", " ")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ScheduleError(
            N_("scheduled_at: %(value)r is not a date and time like 2026-03-29 09:30"), value=value
        ) from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    return local_to_utc(parsed.date(), parsed.time(), zone)


def next_occurrence(when: WeeklyTime, after: datetime) -> datetime:
    """The first instant strictly after ``after`` (aware) matching the weekly time."""
    tz = zone_of(when.zone)
    local_day = after.astimezone(tz).date()
    for offset in range(0, 15):
        day = local_day + timedelta(days=offset)
        if day.weekday() != when.weekday:
            continue
        instant = local_to_utc(day, when.wall_clock, when.zone)
        if instant > after:
            return instant
    raise AssertionError("a weekday recurs within 15 days")  # pragma: no cover


def next_free_slot(
    slots: Sequence[WeeklyTime], *, after: datetime, taken: Iterable[datetime] = ()
) -> datetime:
    """The earliest queue slot after ``after`` that no scheduled post already holds."""
    if not slots:
        raise ScheduleError(N_("time slots: this account has no queue slot; add one first"))
    busy = {t.astimezone(UTC) for t in taken}
    cursor = after
    for _ in range(len(slots) * 60 + 1):  # a year of weeks is plenty
        candidate = min(next_occurrence(s, cursor) for s in slots)
        if candidate not in busy:
            return candidate
        cursor = candidate
    raise ScheduleError(N_("time slots: every slot for the coming year is taken"))


@dataclass(frozen=True)
class BestTime:
    weekday: int
    hour: int
    score: float  # mean engagement per post at that hour; 0 for defaults
    from_history: bool


def best_times(
    history: Iterable[tuple[datetime, int]], *, zone: str = "Europe/Paris", top: int = 3
) -> list[BestTime]:
    """The (weekday, hour) with the highest mean engagement on the account's own posts.

    ``history`` holds (published at, likes + reposts + replies). Under ``MIN_HISTORY_POSTS``
    posts the mean says nothing yet, so the defaults are returned instead.
    """
    tz = zone_of(zone)
    totals: dict[tuple[int, int], list[int]] = defaultdict(list)
    count = 0
    for at, engagement in history:
        local = at.astimezone(tz)
        totals[(local.weekday(), local.hour)].append(max(0, engagement))
        count += 1
    if count < MIN_HISTORY_POSTS:
        return [BestTime(d, h, 0.0, False) for d, h in DEFAULT_BEST[:top]]
    ranked = sorted(
        totals.items(), key=lambda item: (-sum(item[1]) / len(item[1]), -len(item[1]), item[0])
    )
    return [BestTime(d, h, sum(v) / len(v), True) for (d, h), v in ranked[:top]]
