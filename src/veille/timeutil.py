"""Time helpers: everything is stored in UTC and shown in the settings' time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

# Days a person may ask for: wide enough for any history, narrow enough that a week or a month
# around them never leaves what dates and the databases can hold.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2999, 12, 31)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class DayError(ValueError):
    """A day that is not YYYY-MM-DD or lies outside FIRST_DAY..LAST_DAY; says which."""


def parse_day(text: str, *, field: str) -> date:
    """A day typed in a form or a link, refused by name when it cannot be one."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise DayError(f"{field}: {text[:40]!r} is not a date written YYYY-MM-DD") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DayError(f"{field}: {day} is outside {FIRST_DAY} to {LAST_DAY}")
    return day
