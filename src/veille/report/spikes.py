"""Spike detection on hourly post counts, built for the 0 to 5 posts an hour of a small business.

Every method shares one seasonal baseline and one rule for how long a spike lasts; they differ
only in the test that opens a spike:

- ``poisson`` (the default): upper-tail p-value of the last 1, 2, 3, 4 or 6 hours against
  the expected count, under a Poisson whose mean is uncertain by 20% (negative binomial);
  score = -log10 of the Bonferroni-adjusted smallest p-value.
- ``cusum``: Poisson CUSUM tuned to detect a tripling of the rate; score = the CUSUM
  statistic in log10 units (log10 of the likelihood ratio).
- ``zscore``: (count - mean) / standard deviation of the same hour of day over 14 days; kept
  to show why it fails at low counts; score = z.

docs/alerts.md gives the figures that chose the default.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Literal

Sensitivity = Literal["low", "normal", "high"]
HOUR = timedelta(hours=1)
METHODS: tuple[str, ...] = ("poisson", "cusum", "zscore")
DEFAULT_METHOD = "poisson"
SENSITIVITIES: tuple[str, ...] = ("low", "normal", "high")

# Never alert on fewer posts than this (summed over the hours that opened the spike).
FLOORS: dict[str, int] = {"low": 8, "normal": 5, "high": 3}
# Score needed to open a spike, in each method's own unit (see the module docstring).
THRESHOLDS: dict[str, dict[str, float]] = {
    "poisson": {"low": 4.0, "normal": 3.0, "high": 2.3},
    "cusum": {"low": 4.0, "normal": 3.0, "high": 2.3},
    "zscore": {"low": 4.0, "normal": 3.0, "high": 2.5},
}

WARMUP_HOURS = 7 * 24  # no test before a week of history: the seasonal profile is unknown
LOOKBACK_HOURS = 28 * 24  # the baseline forgets what is older than four weeks
ADMIT_LAG = 6  # an hour joins the baseline 6 h late, once we know whether it was in a spike
MERGE_GAP = 6  # a new spike this close to the previous one continues it: one crisis
LONG_SPIKE_HOURS = 48  # past this, a spike is a new level and the baseline starts learning it
WINDOWS = (1, 2, 3, 4, 6)
CUSUM_RATIO = 3.0  # the rate multiple the CUSUM is tuned for
LEVEL_CV = 0.2  # how far off the expected level may be (busier days, estimation error)
# Pseudo-observations (in hours) pulling each estimate toward the coarser one.
SHRINK_HOUR = 2.0
SHRINK_DAY = 24.0
SHRINK_SLOT = 4.0
_LN10 = math.log(10.0)


@dataclass(frozen=True)
class Spike:
    """One spike: hours ``[start, end)`` whose counts stood above the baseline."""

    start: datetime  # first hour of the spike
    end: datetime  # exclusive: the hour after the last elevated hour
    score: float  # strongest evidence seen, in the method's unit (module docstring)
    peak_count: int  # highest hourly count in [start, end)
    expected: float  # posts the baseline expected over [start, end)
    total: int  # posts counted over [start, end)
    detected_at: datetime  # the hour at whose end the spike was first flagged
    ongoing: bool  # still elevated in the last hour of the series


def detect(
    series: Sequence[tuple[datetime, int]],
    *,
    sensitivity: Sensitivity = "normal",
    method: str = "default",
    floor: int | None = None,
    until: datetime | None = None,
) -> list[Spike]:
    """Spikes in hourly counts (aware datetimes; missing hours count zero, up to ``until``)."""
    if sensitivity not in SENSITIVITIES:
        raise ValueError(
            f"sensitivity must be one of {', '.join(SENSITIVITIES)}, not {sensitivity!r}"
        )
    name = DEFAULT_METHOD if method == "default" else method
    if name not in METHODS:
        raise ValueError(f"method must be default or one of {', '.join(METHODS)}, not {method!r}")
    if floor is not None and floor < 1:
        raise ValueError(f"floor must be at least 1 post, not {floor}")
    grid = _hourly(series, until)
    if grid is None:
        return []
    first, zone, counts = grid
    hours = [(first + i * HOUR).astimezone(zone) for i in range(len(counts))]
    runs = _Detector(
        counts,
        [h.hour for h in hours],
        [h.weekday() for h in hours],
        method=name,
        threshold=THRESHOLDS[name][sensitivity],
        floor=FLOORS[sensitivity] if floor is None else floor,
    ).run()
    return [run.to_spike(hours, first, zone) for run in runs]


def expected_counts(
    series: Sequence[tuple[datetime, int]], *, until: datetime | None = None
) -> list[tuple[datetime, float | None]]:
    """The baseline's expected count for each hour (None during the first week), for charts."""
    grid = _hourly(series, until)
    if grid is None:
        return []
    first, zone, counts = grid
    hours = [(first + i * HOUR).astimezone(zone) for i in range(len(counts))]
    detector = _Detector(
        counts,
        [h.hour for h in hours],
        [h.weekday() for h in hours],
        method=DEFAULT_METHOD,
        threshold=THRESHOLDS[DEFAULT_METHOD]["normal"],
        floor=FLOORS["normal"],
    )
    detector.run()
    return [(h, lam if lam > 0 else None) for h, lam in zip(hours, detector.lam, strict=True)]


def poisson_log10_sf(observed: int, mean: float) -> float:
    """log10 P(X >= observed) for X ~ Poisson(mean); 0 when observed <= mean (p is large)."""
    if observed <= 0 or observed <= mean:
        return 0.0
    if mean <= 0:
        return -math.inf
    log_pmf = -mean + observed * math.log(mean) - math.lgamma(observed + 1)
    # The tail is pmf(observed) * (1 + m/(x+1) + m^2/((x+1)(x+2)) + ...), terms shrinking.
    term = total = 1.0
    k = observed
    while term > 1e-12 * total:
        k += 1
        term *= mean / k
        total += term
    return min(0.0, (log_pmf + math.log(total)) / _LN10)


def overdispersed_log10_sf(observed: int, mean: float, cv: float) -> float:
    """log10 P(X >= observed) when X is Poisson with a mean known only to within ``cv``.

    The mean is taken as gamma-distributed (mean ``mean``, coefficient of variation ``cv``),
    so X is negative binomial: almost Poisson at 1 post/hour, much wider at 60 posts/window,
    where a day that simply runs 20% busier must not look like a crisis.
    """
    if cv <= 0:
        return poisson_log10_sf(observed, mean)
    if observed <= 0 or observed <= mean:
        return 0.0
    if mean <= 0:
        return -math.inf
    size = 1.0 / (cv * cv)
    log_q = math.log(mean / (mean + size))  # log of the "failure" probability
    log_pmf = (
        math.lgamma(observed + size)
        - math.lgamma(size)
        - math.lgamma(observed + 1)
        + size * math.log(size / (mean + size))
        + observed * log_q
    )
    q = math.exp(log_q)
    term = total = 1.0
    k = observed
    while term > 1e-12 * total:
        term *= (k + size) / (k + 1) * q
        total += term
        k += 1
    return min(0.0, (log_pmf + math.log(total)) / _LN10)


def _hourly(
    series: Sequence[tuple[datetime, int]], until: datetime | None
) -> tuple[datetime, tzinfo, list[int]] | None:
    """Counts on a gap-free UTC hour grid, the first hour, and the zone of the first timestamp."""
    if not series:
        return None
    buckets: dict[datetime, int] = {}
    zone: tzinfo | None = None
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
        hour = moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        buckets[hour] = buckets.get(hour, 0) + count
    assert zone is not None
    first, last = min(buckets), max(buckets)
    if until is not None:
        if until.tzinfo is None:
            raise ValueError("until must be an aware datetime")
        last = max(last, until.astimezone(UTC).replace(minute=0, second=0, microsecond=0))
    size = int((last - first) / HOUR) + 1
    counts = [0] * size
    for hour, count in buckets.items():
        counts[int((hour - first) / HOUR)] = count
    return first, zone, counts


class _Baseline:
    """Rolling seasonal rate: week slot, shrunk to hour of day x day factor, shrunk to overall."""

    def __init__(self) -> None:
        self.window: deque[tuple[int, int, float]] = deque()
        self.n_all = 0
        self.s_all = 0.0
        self.n_hour = [0] * 24
        self.s_hour = [0.0] * 24
        self.n_day = [0] * 7
        self.s_day = [0.0] * 7
        self.n_slot = [0] * 168
        self.s_slot = [0.0] * 168

    def add(self, hour: int, day: int, value: float) -> None:
        self._apply(hour, day, value, 1)
        self.window.append((hour, day, value))
        if len(self.window) > LOOKBACK_HOURS:
            self._apply(*self.window.popleft(), -1)

    def _apply(self, hour: int, day: int, value: float, sign: int) -> None:
        self.n_all += sign
        self.s_all += sign * value
        self.n_hour[hour] += sign
        self.s_hour[hour] += sign * value
        self.n_day[day] += sign
        self.s_day[day] += sign * value
        self.n_slot[day * 24 + hour] += sign
        self.s_slot[day * 24 + hour] += sign * value

    def rate(self, hour: int, day: int) -> float:
        # Half a post over the whole history keeps a silent history from expecting exactly 0.
        overall = (max(self.s_all, 0.0) + 0.5) / (self.n_all + 1)
        before, after = (hour - 1) % 24, (hour + 1) % 24
        # Neighbouring hours look alike; blending them triples the samples per hour of day.
        s_hour = 0.25 * self.s_hour[before] + 0.5 * self.s_hour[hour] + 0.25 * self.s_hour[after]
        n_hour = 0.25 * self.n_hour[before] + 0.5 * self.n_hour[hour] + 0.25 * self.n_hour[after]
        by_hour = (s_hour + SHRINK_HOUR * overall) / (n_hour + SHRINK_HOUR)
        by_day = (self.s_day[day] + SHRINK_DAY * overall) / (self.n_day[day] + SHRINK_DAY)
        prior = by_hour * by_day / overall
        slot = day * 24 + hour
        rate = (self.s_slot[slot] + SHRINK_SLOT * prior) / (self.n_slot[slot] + SHRINK_SLOT)
        return max(rate, 0.1 * overall, 1e-3)


@dataclass
class _Run:
    start: int
    detected: int
    last: int  # last hour of the run with a count above expected
    score: float
    counts: list[int]
    lam: list[float]
    ongoing: bool = False

    def to_spike(self, hours: list[datetime], first: datetime, zone: tzinfo) -> Spike:
        end = self.last + 1
        end_time = hours[end] if end < len(hours) else (first + end * HOUR).astimezone(zone)
        return Spike(
            start=hours[self.start],
            end=end_time,
            score=round(self.score, 3),
            peak_count=max(self.counts[self.start : end]),
            expected=round(sum(self.lam[self.start : end]), 3),
            total=sum(self.counts[self.start : end]),
            detected_at=hours[self.detected],
            ongoing=self.ongoing,
        )


class _Detector:
    """One causal pass over the hours: each hour is judged on what came before it."""

    def __init__(
        self,
        counts: list[int],
        hours: list[int],
        days: list[int],
        *,
        method: str,
        threshold: float,
        floor: int,
    ) -> None:
        self.counts, self.hours, self.days = counts, hours, days
        self.method, self.threshold, self.floor = method, threshold, floor
        self.lam = [0.0] * len(counts)
        self.in_spike = [False] * len(counts)
        self.cum_x = [0]
        self.cum_lam = [0.0]
        self.first_tested = -1
        self.quiet_from = 0  # the hour after the last closed spike
        # CUSUM state: the statistic and where its current excursion began.
        self.cusum = 0.0
        self.cusum_start = -1
        # z-score state: the last 14 counts of each hour of day, and the current hot run.
        self.same_hour: list[deque[int]] = [deque(maxlen=14) for _ in range(24)]
        self.z_start = -1

    def run(self) -> list[_Run]:
        baseline = _Baseline()
        runs: list[_Run] = []
        current: _Run | None = None
        trigger: Callable[[int], tuple[float, int] | None] = {
            "poisson": self._poisson,
            "cusum": self._cusum,
            "zscore": self._zscore,
        }[self.method]
        counts, lam = self.counts, self.lam
        for t, count in enumerate(counts):
            self._admit(baseline, t - ADMIT_LAG)
            if baseline.n_all >= WARMUP_HOURS:
                if self.first_tested < 0:
                    self.first_tested = t
                lam[t] = baseline.rate(self.hours[t], self.days[t])
            self.cum_x.append(self.cum_x[-1] + count)
            self.cum_lam.append(self.cum_lam[-1] + lam[t])
            if current is not None and not self._elevated(t):
                runs.append(current)
                self.quiet_from = current.last + 1
                self.cusum, self.cusum_start, self.z_start = 0.0, -1, -1
                current = None
            found = trigger(t) if self.first_tested >= 0 else None
            self.same_hour[self.hours[t]].append(count)
            if current is not None:
                if poisson_log10_sf(count, lam[t]) <= -1.0:  # this hour alone stands out
                    current.last = t
                current.score = max(current.score, found[0] if found else 0.0)
                self._mark(current, t)
                continue
            if found is None:
                continue
            score, start = found
            while start < t and counts[start] <= lam[start]:
                start += 1
            if runs and start - (runs[-1].last + 1) <= MERGE_GAP:
                current = runs.pop()
                current.score = max(current.score, score)
                current.last = t
            else:
                current = _Run(start, t, t, score, counts, lam)
            for hour in range(current.start, t + 1):
                self._mark(current, hour)
        if current is not None:
            current.ongoing = True
            runs.append(current)
        return runs

    def _admit(self, baseline: _Baseline, t: int) -> None:
        if t < 0:
            return
        count, expected = float(self.counts[t]), self.lam[t]
        if expected > 0:
            # Spike hours count as expected; others are capped so one burst cannot inflate it.
            cap = expected if self.in_spike[t] else expected + 3 * math.sqrt(expected) + 1
            count = min(count, cap)
        baseline.add(self.hours[t], self.days[t], count)

    def _mark(self, run: _Run, t: int) -> None:
        # A spike that lasts for days is a new normal: let the baseline learn it.
        self.in_spike[t] = t - run.start < LONG_SPIKE_HOURS

    def _window(self, t: int, width: int) -> tuple[int, float]:
        low = t + 1 - width
        return self.cum_x[t + 1] - self.cum_x[low], self.cum_lam[t + 1] - self.cum_lam[low]

    def _elevated(self, t: int) -> bool:
        """Whether a running spike goes on: the last 3 hours or this hour still stand out."""
        width = min(3, t - self.first_tested + 1)
        observed, expected = self._window(t, width)
        if poisson_log10_sf(observed, expected) <= -1.3:  # p <= 0.05
            return True
        return poisson_log10_sf(self.counts[t], self.lam[t]) <= -2.0

    def _poisson(self, t: int) -> tuple[float, int] | None:
        best, best_start = 0.0, t
        # Windows never reach back into the spike that just closed: its echo is not news.
        available = t - max(self.first_tested, self.quiet_from) + 1
        for width in WINDOWS:
            if width > available:
                break
            observed, expected = self._window(t, width)
            if observed < self.floor:
                continue
            score = -overdispersed_log10_sf(observed, expected, LEVEL_CV)
            if score > best:
                best, best_start = score, t + 1 - width
        best -= math.log10(len(WINDOWS))  # Bonferroni: five windows are five tries
        return (best, best_start) if best >= self.threshold else None

    def _cusum(self, t: int) -> tuple[float, int] | None:
        count = self.counts[t]
        step = count * math.log(CUSUM_RATIO) - (CUSUM_RATIO - 1) * self.lam[t]
        self.cusum = max(0.0, self.cusum + step)
        if self.cusum == 0.0:
            self.cusum_start = -1
            return None
        if self.cusum_start < 0:
            self.cusum_start = t
        score = self.cusum / _LN10
        if score < self.threshold:
            return None
        if self.cum_x[t + 1] - self.cum_x[self.cusum_start] < self.floor:
            return None
        return score, self.cusum_start

    def _zscore(self, t: int) -> tuple[float, int] | None:
        history = self.same_hour[self.hours[t]]
        if len(history) < 7:
            return None
        mean = sum(history) / len(history)
        deviation = math.sqrt(sum((x - mean) ** 2 for x in history) / len(history))
        # The usual guard against a zero deviation; it is what lets single posts through.
        z = (self.counts[t] - mean) / max(deviation, 0.5)
        if z < self.threshold:
            self.z_start = -1
            return None
        if self.z_start < 0:
            self.z_start = t
        if self.cum_x[t + 1] - self.cum_x[self.z_start] < self.floor:
            return None
        return z, self.z_start
