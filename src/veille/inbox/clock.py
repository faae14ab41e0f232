"""Response time counted in business hours: a question asked Friday 17:30 and answered Monday
9:30 waited one business hour, not sixty-four."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from veille.translations import N_, Refusal

SETTING_KEY = "business_hours"


class HoursError(Refusal):
    """Business hours that cannot be used; the message names the field."""


@dataclass(frozen=True)
class BusinessHours:
    """Opening days (0 = Monday) and hours, in a time zone. Default: Mon–Fri 9:00–18:00, Paris."""

    days: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    start: time = time(9, 0)
    end: time = time(18, 0)
    zone: str = "Europe/Paris"

    @classmethod
    def from_setting(cls, value: dict[str, Any] | None, *, zone: str) -> BusinessHours:
        """Read {"days": [0..6], "start": "09:00", "end": "18:00"}; missing keys keep defaults."""
        if not value:
            return cls(zone=zone)
        try:
            days = frozenset(int(d) for d in value.get("days", range(5)))
            start = time.fromisoformat(str(value.get("start", "09:00")))
            end = time.fromisoformat(str(value.get("end", "18:00")))
        except (TypeError, ValueError):
            raise HoursError(
                N_("business hours: a day or a time cannot be read (a time looks like 09:30)")
            ) from None
        if not days <= set(range(7)):
            raise HoursError(N_("days: expected numbers 0 (Monday) to 6 (Sunday)"))
        if end <= start:
            raise HoursError(N_("end: the closing time must be after the opening time"))
        return cls(days=days, start=start, end=end, zone=str(value.get("zone", zone)))

    def tz(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.zone)
        except ZoneInfoNotFoundError:
            raise HoursError(N_("zone: unknown time zone %(zone)r"), zone=self.zone) from None


def business_seconds(start: datetime, end: datetime, hours: BusinessHours) -> float:
    """Seconds of opening time between two aware instants (0 when end is before start).

    Walks local calendar days, so daylight-saving changes shift nothing: 9:00 stays 9:00.
    Whole weeks between the first and last day count at once (a year-old post is not
    walked day by day each time the inbox is shown).
    """
    if end <= start:
        return 0.0
    zone = hours.tz()
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)

    def opening(day: date) -> float:
        if day.weekday() not in hours.days:
            return 0.0
        opens = datetime.combine(day, hours.start, zone)
        closes = datetime.combine(day, hours.end, zone)
        lo, hi = max(opens, local_start), min(closes, local_end)
        return (hi - lo).total_seconds() if hi > lo else 0.0

    first, last = local_start.date(), local_end.date()
    total = opening(first)
    day = first + timedelta(days=1)
    weeks = max(0, (last - day).days) // 7
    if weeks:  # days strictly inside are whole opening days, of the same wall-clock length
        length = datetime.combine(first, hours.end) - datetime.combine(first, hours.start)
        total += weeks * len(hours.days) * length.total_seconds()
        day += timedelta(weeks=weeks)
    while day < last:
        total += opening(day)
        day += timedelta(days=1)
    if last > first:
        total += opening(last)
    return total


def describe(seconds: float, lang: str = "fr") -> str:
    """A short human duration: "45 min", "3 h 20", "2 j 4 h" (8-hour-free: plain hours)."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d}" if rest else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} {'j' if lang == 'fr' else 'd'} {hours} h"
