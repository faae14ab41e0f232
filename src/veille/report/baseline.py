"""What an hour's count should be, learned from the series itself: a forecast with its spread.

The count of an hour is modelled as negative binomial around ``seasonal x level``:

- ``seasonal``: the rate of this hour of the week over the last four weeks, each estimate
  pulled toward a coarser one (week slot -> hour of day x day of week -> overall), so a few
  weeks of history at 0.2 post an hour still give a usable shape;
- ``level``: how far the last hours run above or below that seasonal rate, a gamma posterior
  over an exponentially forgotten window (half-life ``LEVEL_HALF_LIFE`` hours) whose prior
  strength is the learned day-to-day variation: at 1 post an hour the level barely moves on a
  few posts, at 1,000 an hour it follows a new normal within hours;
- the spread (relative variance beyond Poisson) is learned from the series' own forecast
  errors over single hours and over 6-hour blocks (Huber-robust moment estimates over
  forgotten sums), which splits it into a part shared by the hours of a window and a part
  of each hour alone; the uncertainty of the estimates themselves is added to the shared part.

Robustness: every hour joins the seasonal profile capped at its forecast + 3 standard
deviations; hours inside a spike teach neither the spread nor the recent level (they enter it
at their forecast); the spread's estimate caps each error's weight. So the spikes the detector
must find neither inflate the expected rate nor the learned spread. A spike that lasts long
enough to be a new level is handed back with :meth:`Baseline.relevel`.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

LOOKBACK_HOURS = 28 * 24  # the seasonal profile forgets what is older than four weeks
LEVEL_HALF_LIFE = 12.0  # hours; the recent level follows a new normal within a day
SPREAD_HALF_LIFE = 14 * 24.0  # hours; the learned spread follows slow changes in burstiness
CLIP_SD = 3.0  # admitted counts are capped at forecast + this many standard deviations
BLOCK_HOURS = 6  # the spread is learned over single hours and over blocks this long
MISSING_MEAN = 10.0  # a zero where this many were expected (P < 1e-4) is a missing hour
LEARN_HOURS = 24  # the first day is admitted as counted: there is no forecast to cap it yet
SETTLE_HOURS = 72  # the spread is learned once the profile has three days behind it
CAP_CV2 = 0.1  # the cap allows for a spread of at most CV 32 % beyond Poisson
# Priors, each worth PRIOR_HOURS hours (or PRIOR_DAYS days) of evidence.
HOUR_SPREAD_PRIOR = 0.02  # relative variance of an hour beyond Poisson (CV about 14%)
DAY_SPREAD_PRIOR = 0.02  # relative variance of a day's level (CV about 14%)
PRIOR_HOURS = 48.0
PRIOR_DAYS = 3.0
# Prior posts pulling each seasonal estimate toward the coarser one (1 / the relative
# variance of the finer rates around the coarser one: 20 posts is about 22 %, 50 about 14 %).
SHRINK_HOUR = 2.0
SHRINK_DAY = 20.0
SHRINK_SLOT = 50.0

HUBER_C = 2.0  # squared standardized errors weigh at most HUBER_C**2 in the spread
# E[min(Z^2, c^2)] for a standard normal Z and c = 2.
_HUBER_KAPPA = 0.9205
_LEVEL_DECAY = 0.5 ** (1 / LEVEL_HALF_LIFE)
_SPREAD_DECAY = 0.5 ** (1 / SPREAD_HALF_LIFE)


@dataclass(frozen=True)
class Forecast:
    """The expected count of one hour and its relative variance beyond Poisson."""

    seasonal: float  # the four-week seasonal rate of this hour of the week
    mean: float  # seasonal x recent level
    # Relative variance shared by the hours of a window: learned, plus the error of the level,
    # the day-of-week and the overall rates.
    shared_cv2: float
    # Relative variance of this hour alone beyond Poisson: learned, plus the error of its own
    # seasonal estimates (week slot, hour of day), which averages out over a window.
    hour_cv2: float
    learned_cv2: float  # all the series taught, without the estimates' own uncertainty

    @property
    def cv2(self) -> float:
        """Relative variance beyond Poisson: var = mean + cv2 * mean**2."""
        return self.shared_cv2 + self.hour_cv2

    @property
    def sd(self) -> float:
        return math.sqrt(self.mean + self.cv2 * self.mean * self.mean)


class Seasonal:
    """Rolling rate by hour of the week: slot, shrunk to hour of day x day factor, to overall."""

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

    def rate(self, hour: int, day: int) -> tuple[float, float, float]:
        """The rate and its relative variance as an estimate (few posts behind it: wide).

        The variance comes in two parts: this hour's own, and the part shared by a window.
        """
        # Half a post over the whole history keeps a silent history from expecting exactly 0.
        overall = (max(self.s_all, 0.0) + 0.5) / (self.n_all + 1)
        before, after = (hour - 1) % 24, (hour + 1) % 24
        # Neighbouring hours look alike; blending them triples the samples per hour of day.
        s_hour = 0.25 * self.s_hour[before] + 0.5 * self.s_hour[hour] + 0.25 * self.s_hour[after]
        n_hour = 0.25 * self.n_hour[before] + 0.5 * self.n_hour[hour] + 0.25 * self.n_hour[after]
        # Gamma-Poisson shrinkage: each estimate needs SHRINK_* posts of its own to move away
        # from the coarser one, so 0.2 post an hour leans on the coarse profile and 1,000 an
        # hour on the week slot. The relative variance of each is 1 / (prior posts + posts).
        s_hour = max(s_hour, 0.0)
        by_hour = (s_hour + SHRINK_HOUR) / (n_hour + SHRINK_HOUR / overall)
        s_day = max(self.s_day[day], 0.0)
        # The day's posts against what its hours hold on other days: a day seen only at night
        # (the first day of a series, a day with gaps) is not a quiet day.
        usual = sum(
            self.n_slot[day * 24 + h]
            * (self.s_hour[h] / self.n_hour[h] if self.n_hour[h] else overall)
            for h in range(24)
        )
        prior = by_hour * (s_day + SHRINK_DAY) / (max(usual, 0.0) + SHRINK_DAY)
        slot = day * 24 + hour
        s_slot = max(self.s_slot[slot], 0.0)
        rate = (s_slot + SHRINK_SLOT) / (self.n_slot[slot] + SHRINK_SLOT / prior)
        rate = max(rate, 0.1 * overall, 1e-3)
        weight = SHRINK_SLOT / (SHRINK_SLOT + s_slot)  # how much the slot leans on its prior
        # The error of this hour's own estimates (slot, hour of day) differs from one hour of a
        # window to the next and partly averages out; the day's and the overall rate's are
        # shared by every hour of the window.
        own = 1.0 / (SHRINK_SLOT + s_slot) + weight**2 / (SHRINK_HOUR + s_hour)
        shared = weight**2 / (SHRINK_DAY + s_day) + 1.0 / (1.0 + self.s_all)
        return rate, own, shared


class _Spread:
    """A learned relative variance beyond Poisson: forgotten moment sums with a prior."""

    def __init__(self, prior: float, prior_weight: float, decay: float) -> None:
        self.prior, self.prior_weight, self.decay = prior, prior_weight, decay
        self.excess = 0.0  # sum of the variance beyond Poisson each observation implies
        self.weight = 0.0  # sum of squared means
        self.count = 0.0

    def value(self) -> float:
        # The prior weighs like prior_weight observations of the average size seen so far.
        prior = self.prior_weight * (self.weight / self.count if self.count > 0 else 0.0)
        if prior + self.weight <= 0:
            return self.prior
        spread = (self.excess + self.prior * prior) / (self.weight + prior)
        return min(max(spread, 0.0), 4.0)

    def learn(self, observed: float, mean: float, model_cv2: float, known_cv2: float) -> None:
        """One observation against its forecast (``model_cv2``; ``known_cv2`` is explained).

        Huber's scale estimate: the squared standardized residual is capped at HUBER_C**2
        (and rescaled so a clean series is estimated without bias), so bursts and outages
        weigh like a 2-sigma hour, not like a 10-sigma one: the spikes we must find do not
        teach the baseline that spikes are normal.
        """
        if mean <= 0:
            return
        variance = mean + model_cv2 * mean * mean
        ratio = min((observed - mean) ** 2 / variance, HUBER_C**2) / _HUBER_KAPPA
        self.excess = self.decay * self.excess + variance * ratio - mean - known_cv2 * mean * mean
        self.weight = self.decay * self.weight + mean * mean
        self.count = self.decay * self.count + 1.0


class Baseline:
    """Causal forecast of hourly counts: ask :meth:`forecast`, then :meth:`admit` the hour."""

    def __init__(self) -> None:
        self.seasonal = Seasonal()
        # Recent level: forgotten sums of admitted counts and of their seasonal rates.
        self.level_counts = 0.0
        self.level_expected = 0.0
        # Spread learned over single hours, over 6-hour windows, and over days.
        self.hour = _Spread(HOUR_SPREAD_PRIOR, PRIOR_HOURS, _SPREAD_DECAY)
        self.block = _Spread(HOUR_SPREAD_PRIOR, PRIOR_HOURS, _SPREAD_DECAY)
        self.day = _Spread(DAY_SPREAD_PRIOR, PRIOR_DAYS, _SPREAD_DECAY**24)
        self.recent: deque[tuple[int, float, float]] = deque(maxlen=BLOCK_HOURS)
        self.day_counts = 0.0
        self.day_expected = 0.0
        self.day_hours = 0

    @property
    def history_hours(self) -> int:
        return self.seasonal.n_all

    def spreads(self) -> tuple[float, float]:
        """(shared, own): the window spread is shared + own / hours, fitted on 1 h and 6 h.

        Forecast errors run together for hours (a busy day, a misjudged slot) and partly
        cancel out (one hour's noise); the two learned spreads tell how much of each.
        """
        one, block = self.hour.value(), self.block.value()
        own = max(0.0, (one - block) * BLOCK_HOURS / (BLOCK_HOURS - 1))
        return max(0.0, one - own), own

    def level(self) -> tuple[float, float]:
        """The recent level (1: as the seasonal rate says) and its relative variance."""
        # Gamma prior of mean 1 and relative variance the day-to-day spread, updated by the
        # recent hours: a few posts barely move it, thousands do.
        shape = 1.0 / max(self.day.value(), 0.002)
        level = (shape + self.level_counts) / (shape + self.level_expected)
        return level, 1.0 / (shape + self.level_counts)

    def forecast(self, hour: int, day: int) -> Forecast:
        seasonal, seasonal_own, seasonal_shared = self.seasonal.rate(hour, day)
        level, level_var = self.level()
        shared, own = self.spreads()
        return Forecast(
            seasonal,
            seasonal * level,
            shared + seasonal_shared + level_var,
            own + seasonal_own,
            shared + own,
        )

    def admit(self, hour: int, day: int, count: int, forecast: Forecast, *, in_spike: bool) -> None:
        """Learn from one hour: capped, or at its forecast if it was part of a spike."""
        mean = forecast.mean
        # The cap leaves out the estimates' uncertainty (wide while history is short) and is
        # bounded: under a loose cap, spikes would widen the spread, loosening the cap further.
        spread = min(forecast.learned_cv2, CAP_CV2)
        cap = mean + CLIP_SD * math.sqrt(mean + spread * mean * mean)
        usual = self.seasonal.s_all / self.seasonal.n_all if self.seasonal.n_all else 0.0
        if count == 0 and not in_spike and max(mean, usual) >= MISSING_MEAN:
            return  # nothing at all where dozens were due: the collector was down, skip it
        learning = self.history_hours < LEARN_HOURS  # the first forecasts are guesses: no cap
        # Spike hours too enter the profile capped, not at their forecast: a forecast that
        # was wrong (a slot learned during an outage) would otherwise flag the same hour as
        # a spike every day and never learn. Quiet hours (holidays) lower it; only rises are
        # capped.
        value = float(count) if learning else min(float(count), cap)
        self.seasonal.add(hour, day, value)
        # The recent level takes the hour as counted (a spike enters at its forecast): it is
        # what lets a new normal in within a day.
        if not learning:  # the first day's forecasts knew nothing to be above or below
            self._learn_level(mean if in_spike else float(count), forecast.seasonal)
        self.recent.append((count if not in_spike else round(mean), mean, forecast.cv2))
        if in_spike or self.history_hours < SETTLE_HOURS:
            return
        shared, own = self.spreads()
        known = forecast.cv2 - shared - own  # the estimates' own uncertainty, already counted
        self.hour.learn(count, mean, forecast.cv2, known)
        if len(self.recent) == BLOCK_HOURS:
            total = sum(c for c, _, _ in self.recent)
            expected = sum(m for _, m, _ in self.recent)
            model = shared + known + own / BLOCK_HOURS
            self.block.learn(total, expected, model, known)
        self.day_counts += value
        self.day_expected += forecast.seasonal
        self.day_hours += 1
        if self.day_hours == 24:
            # A day's total against its seasonal rate measures the day-to-day variation.
            self.day.learn(self.day_counts, self.day_expected, self.day.value(), 0.0)
            self.day_counts = self.day_expected = 0.0
            self.day_hours = 0

    def _learn_level(self, value: float, seasonal: float) -> None:
        self.level_counts = _LEVEL_DECAY * self.level_counts + value
        self.level_expected = _LEVEL_DECAY * self.level_expected + seasonal

    def relevel(self, counts: list[int], forecasts: list[Forecast]) -> None:
        """Take the hours of a long spike as the new normal, from now on.

        The recent level is set to the level those hours ran at, and then follows the next
        hours as always (half-life LEVEL_HALF_LIFE): a new normal stays while the posts keep
        coming and the seasonal profile learns it week after week; a long storm read as a new
        level is forgotten within a day once it has passed, not after four weeks.
        """
        expected = sum(f.seasonal for f in forecasts)
        if expected <= 0:
            return
        factor = sum(counts) / expected
        shape = 1.0 / max(self.day.value(), 0.002)
        # level() = (shape + counts) / (shape + expected) = factor, whatever the prior.
        self.level_expected = expected
        self.level_counts = factor * (shape + expected) - shape
