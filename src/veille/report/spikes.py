"""Spike detection on hourly post counts, from 0.1 to 10,000 posts an hour with one set of defaults.

Every method shares one baseline (:mod:`veille.report.baseline`: seasonal rate x recent level,
negative binomial spread learned from the series) and one rule for how long a spike lasts; they
differ only in the test that opens a spike:

- ``poisson`` (the default): upper-tail p-value of the last 1, 2, 3, 4 or 6 hours against the
  expected count under the baseline's negative binomial (Poisson when the series is not
  overdispersed); score = -log10 of the Bonferroni-adjusted smallest p-value. A spike must
  also nearly triple the expected count (``MIN_RISE``, ``RISE_K``): on a busy series a 40 %
  rise can be very unlikely and still be an ordinary busy afternoon, not a crisis.
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
from datetime import datetime
from typing import Literal

from veille.report.baseline import Baseline, Forecast
from veille.report.grid import Grid, to_grid

Sensitivity = Literal["low", "normal", "high"]
METHODS: tuple[str, ...] = ("poisson", "cusum", "zscore")
DEFAULT_METHOD = "poisson"
SENSITIVITIES: tuple[str, ...] = ("low", "normal", "high")

# Never alert on fewer posts than this (summed over the hours that opened the spike).
FLOORS: dict[str, int] = {"low": 8, "normal": 5, "high": 3}
# Score needed to open a spike, in each method's own unit (see the module docstring).
THRESHOLDS: dict[str, dict[str, float]] = {
    "poisson": {"low": 3.0, "normal": 2.6, "high": 1.8},
    "cusum": {"low": 4.0, "normal": 3.0, "high": 2.3},
    "zscore": {"low": 4.0, "normal": 3.0, "high": 2.5},
}
# A spike at least nearly triples the expected count over the window that opens it, even once
# one Poisson standard deviation is taken off what was seen (RISE_K): at 10 posts an hour a
# news burst of x2 can read x3 by chance alone; at 1,000 an hour the rise is what it reads.
MIN_RISE = 2.8
RISE_K = 0.5
GOES_ON_RISE = 1.5  # a running spike goes on while the count stays this far above expected

WARMUP_HOURS = 24  # no test before a day of history; the baseline is wide until weeks come
ADMIT_LAG = 6  # an hour joins the baseline 6 h late, once we know whether it was in a spike
MERGE_GAP = 6  # a new spike this close to the previous one continues it: one crisis
LEVEL_SHIFT_HOURS = 12  # a spike this long ends: a new level (the baseline takes it) or an echo
NEW_LEVEL_HOURS = 6  # ... if both its last two 6-hour halves still run high
NEW_LEVEL_STEADY = 0.75  # ... and the second holds at least this share of the first's rise
WINDOWS = (1, 2, 3, 4, 6)
CUSUM_RATIO = 3.0  # the rate multiple the CUSUM is tuned for
INTERVAL = 0.9  # the usual range an alert shows around the expected count
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
    # The usual range of the count over [start, end): INTERVAL of the baseline's distribution.
    expected_low: int = 0
    expected_high: int = 0


def detect(
    series: Sequence[tuple[datetime, int]],
    *,
    sensitivity: Sensitivity = "normal",
    method: str = "default",
    floor: int | None = None,
    until: datetime | None = None,
    hourly: bool = False,
) -> list[Spike]:
    """Spikes in counts (aware datetimes) up to ``until``, on the grid of :mod:`grid`.

    Hourly rows: an hour without a row counts zero; finer regular samples are summed per hour
    (hours missing half their samples are left out); coarser regular ones are read per step,
    unless ``hourly`` says the rows are hours whatever their spacing.
    """
    if sensitivity not in SENSITIVITIES:
        raise ValueError(
            f"sensitivity must be one of {', '.join(SENSITIVITIES)}, not {sensitivity!r}"
        )
    name = DEFAULT_METHOD if method == "default" else method
    if name not in METHODS:
        raise ValueError(f"method must be default or one of {', '.join(METHODS)}, not {method!r}")
    if floor is not None and floor < 1:
        raise ValueError(f"floor must be at least 1 post, not {floor}")
    grid = to_grid(series, until, hourly=hourly)
    if grid is None:
        return []
    runs = _Detector(
        grid,
        method=name,
        threshold=THRESHOLDS[name][sensitivity],
        floor=FLOORS[sensitivity] if floor is None else floor,
    ).run()
    return [run.to_spike(grid) for run in runs]


def expected_counts(
    series: Sequence[tuple[datetime, int]], *, until: datetime | None = None
) -> list[tuple[datetime, float | None]]:
    """The baseline's expected count for each hour (None during the first day), for charts."""
    grid = to_grid(series, until)
    if grid is None:
        return []
    detector = _Detector(
        grid,
        method=DEFAULT_METHOD,
        threshold=THRESHOLDS[DEFAULT_METHOD]["normal"],
        floor=FLOORS["normal"],
    )
    detector.run()
    return [(grid.at(index), lam if lam > 0 else None) for index, lam in enumerate(detector.lam)]


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
    if observed > 200:
        # P(X >= k) = I_x(k, size), x = mean / (mean + size): a continued fraction converges
        # in a few hundred steps where the series below would need tens of thousands.
        return min(0.0, _log_beta_inc(observed, size, mean / (mean + size)) / _LN10)
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


def _log_beta_inc(a: float, b: float, x: float) -> float:
    """ln I_x(a, b), the regularized incomplete beta, for x below its mean a / (a + b).

    Continued fraction evaluated by the modified Lentz method.
    """
    tiny, eps = 1e-300, 1e-12
    front = (
        a * math.log(x)
        + b * math.log1p(-x)
        - math.log(a)
        - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    )
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 10_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1.0) < eps:
            break
    return front + math.log(fraction)


@dataclass
class _Run:
    start: int
    detected: int
    last: int  # last hour of the run with a count above expected
    score: float
    counts: list[int]
    lam: list[float]
    cv2: list[float]
    shared: list[float]
    ongoing: bool = False

    def to_spike(self, grid: Grid) -> Spike:
        end = self.last + 1
        span = range(self.start, end)
        expected = sum(self.lam[t] for t in span)
        # As for detection windows: the estimate's uncertainty is shared, hours' own noise not.
        own = sum((self.cv2[t] - self.shared[t]) * self.lam[t] ** 2 for t in span)
        spread = max(self.shared[t] for t in span) + (own / expected**2 if expected > 0 else 0)
        low, high = interval(expected, spread, INTERVAL)
        return Spike(
            start=grid.at(self.start),
            end=grid.at(end),
            score=round(self.score, 3),
            peak_count=max(self.counts[self.start : end]),
            expected=round(expected, 3),
            total=sum(self.counts[self.start : end]),
            detected_at=grid.at(self.detected),
            ongoing=self.ongoing,
            expected_low=low,
            expected_high=high,
        )


def interval(mean: float, cv2: float, level: float) -> tuple[int, int]:
    """The central ``level`` range of a negative binomial count (mean, relative variance cv2)."""
    tail = (1.0 - level) / 2
    if mean <= 0:
        return 0, 0
    if mean > 2000:  # the normal approximation is exact enough past a few thousand posts
        sd = math.sqrt(mean + cv2 * mean * mean)
        z = _normal_quantile(1 - tail)
        return max(0, math.floor(mean - z * sd)), math.ceil(mean + z * sd)
    size = 1.0 / cv2 if cv2 > 1e-9 else math.inf
    low, high, cumulative, k = -1, -1, 0.0, 0
    while high < 0:
        cumulative += math.exp(_log_pmf(k, mean, size))
        if low < 0 and cumulative >= tail:
            low = k
        if cumulative >= 1 - tail:
            high = k
        k += 1
    return low, high


def _log_pmf(k: int, mean: float, size: float) -> float:
    if math.isinf(size):
        return -mean + k * math.log(mean) - math.lgamma(k + 1)
    return (
        math.lgamma(k + size)
        - math.lgamma(size)
        - math.lgamma(k + 1)
        + size * math.log(size / (mean + size))
        + k * math.log(mean / (mean + size))
    )


def _normal_quantile(p: float) -> float:
    """Inverse of the standard normal distribution function, by bisection (p in (0.5, 1))."""
    low, high = 0.0, 10.0
    for _ in range(60):
        mid = (low + high) / 2
        if 0.5 * math.erfc(-mid / math.sqrt(2)) < p:
            low = mid
        else:
            high = mid
    return (low + high) / 2


class _Detector:
    """One causal pass over the hours: each hour is judged on what came before it."""

    def __init__(self, grid: Grid, *, method: str, threshold: float, floor: int) -> None:
        counts = grid.counts
        moments = [grid.at(index) for index in range(len(counts))]
        self.counts, self.missing = counts, grid.missing
        self.hours = [moment.hour for moment in moments]
        self.days = [moment.weekday() for moment in moments]
        self.method, self.threshold, self.floor = method, threshold, floor
        self.lam = [0.0] * len(counts)  # what detection expects (0 before the warm-up ends)
        self.cv2 = [0.0] * len(counts)  # relative variance beyond Poisson, per hour
        self.shared = [0.0] * len(counts)  # the part shared by the hours of a window
        self.forecasts: list[Forecast | None] = [None] * len(counts)
        self.in_spike = [False] * len(counts)
        self.cum_x = [0]
        self.cum_lam = [0.0]
        self.cum_own = [0.0]  # sum of each hour's own variance beyond Poisson
        self.first_tested = -1
        self.quiet_from = 0  # the hour after the last closed spike
        # CUSUM state: the statistic and where its current excursion began.
        self.cusum = 0.0
        self.cusum_start = -1
        # z-score state: the last 14 counts of each hour of day, and the current hot run.
        self.same_hour: list[deque[int]] = [deque(maxlen=14) for _ in range(24)]
        self.z_start = -1
        self.baseline = Baseline()
        self.admitted = 0  # hours handed to the baseline so far

    def run(self) -> list[_Run]:
        runs: list[_Run] = []
        current: _Run | None = None
        trigger: Callable[[int], tuple[float, int] | None] = {
            "poisson": self._poisson,
            "cusum": self._cusum,
            "zscore": self._zscore,
        }[self.method]
        counts, lam = self.counts, self.lam
        for t, count in enumerate(counts):
            self._admit_until(t - ADMIT_LAG)
            forecast = self.baseline.forecast(self.hours[t], self.days[t])
            self.forecasts[t] = forecast
            if self.baseline.history_hours >= WARMUP_HOURS and not self.missing[t]:
                if self.first_tested < 0:
                    self.first_tested = t
                lam[t] = forecast.mean
                self.cv2[t] = forecast.cv2
                self.shared[t] = forecast.shared_cv2
            self.cum_x.append(self.cum_x[-1] + count)
            self.cum_lam.append(self.cum_lam[-1] + lam[t])
            self.cum_own.append(self.cum_own[-1] + (self.cv2[t] - self.shared[t]) * lam[t] ** 2)
            if current is not None and not self._elevated(t):
                runs.append(current)
                self.quiet_from = current.last + 1
                self.cusum, self.cusum_start, self.z_start = 0.0, -1, -1
                current = None
            found = trigger(t) if self.first_tested >= 0 else None
            if not self.missing[t]:
                self.same_hour[self.hours[t]].append(count)
            if current is not None:
                if self._tail(count, lam[t], self.cv2[t]) <= -1.0:  # this hour alone stands out
                    current.last = t
                current.score = max(current.score, found[0] if found else 0.0)
                self._mark(current, t)
                if t - current.start + 1 >= LEVEL_SHIFT_HOURS:
                    # Long enough: a new level if it still runs high, else an echo that ends.
                    new_level = self._new_level(t)
                    if new_level is not None:
                        self._relevel(current, t, new_level)
                    runs.append(current)
                    self.quiet_from = t + 1
                    self.cusum, self.cusum_start, self.z_start = 0.0, -1, -1
                    current = None
                continue
            if found is None:
                continue
            score, start = found
            while start < t and counts[start] <= lam[start]:
                start += 1
            if runs and start - (runs[-1].last + 1) <= MERGE_GAP and start >= self.quiet_from:
                current = runs.pop()
                current.score = max(current.score, score)
                current.last = t
            else:
                current = _Run(start, t, t, score, counts, lam, self.cv2, self.shared)
            for hour in range(current.start, t + 1):
                self._mark(current, hour)
        if current is not None:
            current.ongoing = True
            runs.append(current)
        return runs

    def _admit_until(self, t: int) -> None:
        while self.admitted <= t:
            hour = self.admitted
            forecast = self.forecasts[hour]
            assert forecast is not None
            self.admitted += 1
            if self.missing[hour]:
                continue  # a gap in collection teaches nothing
            self.baseline.admit(
                self.hours[hour],
                self.days[hour],
                self.counts[hour],
                forecast,
                in_spike=self.in_spike[hour],
            )

    def _new_level(self, t: int) -> range | None:
        """The hours that tell a new level, if both halves of the last 12 hours ran high.

        A 6-hour crisis and the hours its echo keeps the spike open last 12 hours too, and a
        news burst can keep a spike open until a crisis comes; read as a new level, either
        would lift the expectations and hide the next crisis. A new level runs GOES_ON_RISE
        times above expected in both halves, and the second keeps NEW_LEVEL_STEADY of the
        first one's rise (a storm dying down does not); the calmer half gives the level.
        """
        halves = [range(t + 1 - 2 * NEW_LEVEL_HOURS, t + 1 - NEW_LEVEL_HOURS)]
        halves.append(range(t + 1 - NEW_LEVEL_HOURS, t + 1))
        ratios = []
        for half in halves:
            expected = self.cum_lam[half.stop] - self.cum_lam[half.start]
            observed = self.cum_x[half.stop] - self.cum_x[half.start]
            if observed < GOES_ON_RISE * expected or expected <= 0:
                return None
            ratios.append(observed / expected)
        if ratios[1] < NEW_LEVEL_STEADY * ratios[0]:
            return None  # still falling: a storm dying down, not a new level
        return halves[0] if ratios[0] <= ratios[1] else halves[1]

    def _relevel(self, run: _Run, t: int, hours: range) -> None:
        """A spike that lasts and still runs high is a new normal: learn it, stop the spike."""
        forecasts = [f for f in self.forecasts[hours.start : hours.stop] if f is not None]
        self.baseline.relevel(self.counts[hours.start : hours.stop], forecasts)
        for hour in range(max(run.start, self.admitted), t + 1):
            self.in_spike[hour] = False
        run.last = t

    def _mark(self, run: _Run, t: int) -> None:
        self.in_spike[t] = True

    def _window(self, t: int, width: int) -> tuple[int, float, float]:
        """Posts counted and expected over the ``width`` hours up to ``t``, and the spread.

        The spread (relative variance beyond Poisson) of a window: the uncertainty of the
        estimate is shared by its hours, each hour's own burstiness partly averages out.
        """
        low = t + 1 - width
        expected = self.cum_lam[t + 1] - self.cum_lam[low]
        own = self.cum_own[t + 1] - self.cum_own[low]
        cv2 = self.shared[t] + own / expected**2 if expected > 0 else self.cv2[t]
        return self.cum_x[t + 1] - self.cum_x[low], expected, cv2

    def _tail(self, observed: int, expected: float, cv2: float) -> float:
        return overdispersed_log10_sf(observed, expected, math.sqrt(cv2))

    def _elevated(self, t: int) -> bool:
        """Whether a running spike goes on: the last 3 hours or this hour still stand out."""
        width = min(3, t - self.first_tested + 1)
        observed, expected, cv2 = self._window(t, width)
        if observed >= GOES_ON_RISE * expected and self._tail(observed, expected, cv2) <= -1.3:
            return True  # p <= 0.05 over 3 hours
        count, lam = self.counts[t], self.lam[t]
        return count >= GOES_ON_RISE * lam and self._tail(count, lam, self.cv2[t]) <= -2.0

    def _poisson(self, t: int) -> tuple[float, int] | None:
        best, best_start = 0.0, t
        # Windows never reach back into the spike that just closed: its echo is not news.
        available = t - max(self.first_tested, self.quiet_from) + 1
        for width in WINDOWS:
            if width > available:
                break
            observed, expected, cv2 = self._window(t, width)
            rise = observed - RISE_K * math.sqrt(observed)
            if observed < self.floor or rise < MIN_RISE * expected:
                continue
            score = -self._tail(observed, expected, cv2)
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
