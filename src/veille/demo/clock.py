"""When people post: daily rhythms on the Europe/Paris clock, returned in UTC."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

Rhythm = Literal["social", "news", "work"]

# Relative posting volume per local hour 0..23: quiet nights, lunch and evening peaks.
_SOCIAL_WEEKDAY = (
    0.35, 0.18, 0.1, 0.06, 0.05, 0.1, 0.45, 1.4, 2.1, 1.9, 1.8, 2.2,
    3.2, 3.0, 1.9, 1.7, 1.8, 2.3, 2.8, 3.0, 3.3, 3.4, 2.5, 1.2,
)  # fmt: skip
_SOCIAL_WEEKEND = (
    0.6, 0.4, 0.25, 0.12, 0.06, 0.05, 0.1, 0.3, 0.8, 1.5, 2.2, 2.6,
    2.9, 2.7, 2.2, 2.0, 2.1, 2.3, 2.6, 2.9, 3.1, 3.2, 2.6, 1.6,
)  # fmt: skip
# Newsrooms publish early morning, late morning and late afternoon.
_NEWS_WEEKDAY = (
    0.05, 0.0, 0.0, 0.0, 0.05, 0.6, 2.8, 3.0, 2.0, 1.5, 1.6, 2.2,
    1.6, 1.0, 1.2, 1.4, 1.6, 2.0, 1.8, 1.0, 0.6, 0.4, 0.2, 0.1,
)  # fmt: skip
_NEWS_WEEKEND = (
    0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 1.0, 1.8, 1.8, 1.5, 1.2, 1.0,
    0.8, 0.6, 0.6, 0.7, 0.8, 0.8, 0.7, 0.5, 0.4, 0.2, 0.1, 0.0,
)  # fmt: skip
# Tradespeople and customers talking shop: working hours, plus the evening at home.
_WORK_WEEKDAY = (
    0.0, 0.0, 0.0, 0.0, 0.0, 0.05, 0.4, 1.6, 2.3, 2.2, 2.0, 2.1,
    2.6, 2.4, 1.9, 1.8, 1.9, 2.2, 2.4, 2.1, 1.8, 1.5, 0.8, 0.2,
)  # fmt: skip
_WORK_WEEKEND = (
    0.05, 0.0, 0.0, 0.0, 0.0, 0.0, 0.05, 0.2, 0.6, 1.2, 1.6, 1.6,
    1.2, 1.1, 1.2, 1.3, 1.3, 1.2, 1.3, 1.4, 1.3, 1.0, 0.5, 0.2,
)  # fmt: skip

_WEIGHTS: dict[tuple[Rhythm, bool], tuple[float, ...]] = {
    ("social", False): _SOCIAL_WEEKDAY,
    ("social", True): _SOCIAL_WEEKEND,
    ("news", False): _NEWS_WEEKDAY,
    ("news", True): _NEWS_WEEKEND,
    ("work", False): _WORK_WEEKDAY,
    ("work", True): _WORK_WEEKEND,
}
_HOURS = tuple(range(24))


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def local_dates(end: datetime, days: int) -> list[date]:
    """The `days` Paris calendar dates that end just before `end`."""
    last = (end.astimezone(PARIS) - timedelta(microseconds=1)).date()
    return [last - timedelta(days=days - 1 - k) for k in range(days)]


def at_local(day: date, hour: int, minute: int, second: int = 0) -> datetime:
    """A Paris wall-clock time on `day`, as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=PARIS).astimezone(UTC)


def sample_moment(rng: random.Random, day: date, rhythm: Rhythm) -> datetime:
    """A time on `day` drawn from the hourly rhythm, with seconds (UTC)."""
    hour = rng.choices(_HOURS, weights=_WEIGHTS[(rhythm, is_weekend(day))])[0]
    return at_local(day, hour, rng.randrange(60), rng.randrange(60))


def next_local_midnight(now: datetime | None = None) -> datetime:
    """The next Europe/Paris midnight after `now`, in UTC: the default end of the demo."""
    current = (now or datetime.now(UTC)).astimezone(PARIS)
    tomorrow = current.date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(0), tzinfo=PARIS).astimezone(UTC)


def reply_delay(rng: random.Random, fast: bool = False) -> timedelta:
    """How long before someone answers: minutes usually, hours sometimes."""
    median_min = 6.0 if fast else 25.0
    minutes = min(rng.lognormvariate(0, 1.1) * median_min, 36 * 60)
    return timedelta(seconds=max(20, int(minutes * 60)))
