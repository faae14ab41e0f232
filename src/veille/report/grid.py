"""Counts on a regular time grid, whatever the sampling of the series that came in.

Spike detection reads one count per step. The step is the hour, except for a regular series
sampled more coarsely (every 2 hours, daily), which is read on its own step. How the counts
are put on the grid depends on the sampling:

- hourly, or irregular (one row per post, rows at odd times): rows are summed per hour, and an
  hour without a row counts zero (the collector saw nothing);
- regular and finer than the hour (5-minute counts): rows are summed per hour, and an hour is
  read from the samples it has: with half or more of them the sum is scaled up to the whole
  hour (a partial first or last hour, a short gap), with fewer it is missing, neither learned
  from nor tested (a gap in collection is not a quiet hour);
- regular and coarser than the hour: one step per row, a step without a row counts zero.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from itertools import pairwise

HOUR = timedelta(hours=1)
REGULAR_SHARE = 0.8  # a series is regular when this share of its spacings equal the median one
MIN_COVERAGE = 0.5  # an hour with fewer of its samples than this is missing
_TOLERANCE = timedelta(seconds=2)


@dataclass(frozen=True)
class Grid:
    """Counts per step from ``first`` (UTC); ``missing`` steps hold 0 and are not judged."""

    first: datetime
    zone: tzinfo  # the zone of the series' first timestamp: spikes come back in it
    step: timedelta
    counts: list[int]
    missing: list[bool]

    def at(self, index: int) -> datetime:
        """The start of step ``index`` in the series' zone (past the end too)."""
        return (self.first + index * self.step).astimezone(self.zone)


def to_grid(
    series: Sequence[tuple[datetime, int]], until: datetime | None, *, hourly: bool = False
) -> Grid | None:
    """The series on its grid, up to ``until`` (aware) if later; None when it is empty.

    ``hourly``: the rows are counts per hour whatever their spacing (the store's own counts,
    which leave out the hours without a post), never read as a coarser series.
    """
    if not series:
        return None
    zone: tzinfo | None = None
    samples: dict[datetime, int] = {}
    for index, (moment, count) in enumerate(series):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(
                f"series item {index}: timestamp {moment.isoformat()} has no time zone"
            )
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(
                f"series item {index}: count must be a whole number >= 0, not {count!r}"
            )
        zone = zone or moment.tzinfo
        moment = moment.astimezone(UTC)
        samples[moment] = samples.get(moment, 0) + count
    assert zone is not None
    if until is not None and (until.tzinfo is None or until.utcoffset() is None):
        raise ValueError("until must be an aware datetime")
    step = None if hourly else sampling_step(sorted(samples))
    if step is not None and step > HOUR + _TOLERANCE:
        return _coarse(samples, zone, step, until)
    return _hourly(samples, zone, step, until)


def sampling_step(moments: list[datetime]) -> timedelta | None:
    """The spacing of a regular series (sorted, distinct moments); None if it is irregular."""
    gaps = [b - a for a, b in pairwise(moments)]
    if len(gaps) < 3:
        return None
    step = statistics.median_low(gaps)
    regular = sum(1 for gap in gaps if abs(gap - step) <= _TOLERANCE)
    return step if regular >= REGULAR_SHARE * len(gaps) else None


def _floor_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _hourly(
    samples: dict[datetime, int], zone: tzinfo, step: timedelta | None, until: datetime | None
) -> Grid:
    first, last = _floor_hour(min(samples)), _floor_hour(max(samples))
    if until is not None:
        last = max(last, _floor_hour(until.astimezone(UTC)))
    size = int((last - first) / HOUR) + 1
    sums, seen = [0] * size, [0] * size
    for moment, count in samples.items():
        index = int((_floor_hour(moment) - first) / HOUR)
        sums[index] += count
        seen[index] += 1
    if step is None or step >= HOUR - _TOLERANCE:
        return Grid(first, zone, HOUR, sums, [False] * size)
    per_hour = HOUR / step
    counts, missing = [0] * size, [False] * size
    for index in range(size):
        coverage = min(1.0, seen[index] / per_hour)
        if coverage < MIN_COVERAGE:
            missing[index] = True
        else:
            counts[index] = round(sums[index] / coverage)
    return Grid(first, zone, HOUR, counts, missing)


def _coarse(
    samples: dict[datetime, int], zone: tzinfo, step: timedelta, until: datetime | None
) -> Grid:
    first, last = min(samples), max(samples)
    if until is not None:
        last = max(last, until.astimezone(UTC))
    size = int((last - first) / step) + 1
    counts = [0] * size
    for moment, count in samples.items():
        counts[min(size - 1, round((moment - first) / step))] += count
    return Grid(first, zone, step, counts, [False] * size)
