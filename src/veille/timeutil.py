"""Time helpers: everything is stored in UTC and shown in the settings' time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from veille.translations import N_, Refusal

# Days a person may ask for: wide enough for any history, narrow enough that a week or a month
# around them never leaves what dates and the databases can hold.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2999, 12, 31)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class DayError(Refusal):
    """A day that is not YYYY-MM-DD or lies outside FIRST_DAY..LAST_DAY; says which."""


# The refusals of each field a day is typed in (a msgid per field: each is translated).
_NOT_A_DAY = {
    "start": N_("start: %(text)r is not a date written YYYY-MM-DD"),
    "end": N_("end: %(text)r is not a date written YYYY-MM-DD"),
    "day": N_("day: %(text)r is not a date written YYYY-MM-DD"),
}
_OUTSIDE = {
    "start": N_("start: %(day)s is outside %(first)s to %(last)s"),
    "end": N_("end: %(day)s is outside %(first)s to %(last)s"),
    "day": N_("day: %(day)s is outside %(first)s to %(last)s"),
}


def parse_day(text: str, *, field: str) -> date:
    """A day typed in a form or a link (its field: start, end or day), refused by name when
    it cannot be one."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise DayError(_NOT_A_DAY.get(field, _NOT_A_DAY["day"]), text=text[:40]) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        outside = _OUTSIDE.get(field, _OUTSIDE["day"])
        raise DayError(outside, day=day, first=FIRST_DAY, last=LAST_DAY)
    return day
