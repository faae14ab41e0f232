"""The baseline learns its level and spread from the series, robust to the spikes it must find."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from veille.report.baseline import Baseline
from veille.report.spikes import detect, expected_counts, interval

START = datetime(2026, 3, 2, tzinfo=UTC)


def overdispersed(rng: random.Random, mean: float, cv: float) -> int:
    """A negative binomial count: Poisson around a gamma-distributed rate."""
    rate = mean * rng.gammavariate(1 / cv**2, cv**2) if cv > 0 else mean
    if rate > 50:
        return max(0, round(rng.gauss(rate, math.sqrt(rate))))
    limit, k, product = math.exp(-rate), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def learn(counts: list[int], spikes: set[int] = frozenset()) -> Baseline:  # type: ignore[assignment]
    baseline = Baseline()
    for t, count in enumerate(counts):
        moment = START + timedelta(hours=t)
        forecast = baseline.forecast(moment.hour, moment.weekday())
        baseline.admit(moment.hour, moment.weekday(), count, forecast, in_spike=t in spikes)
    return baseline


def test_spread_is_learned_from_the_series() -> None:
    rng = random.Random(1)
    calm = learn([overdispersed(rng, 200.0, 0.0) for _ in range(14 * 24)])
    bursty = learn([overdispersed(rng, 200.0, 0.3) for _ in range(14 * 24)])
    # Poisson counts teach (almost) no spread beyond Poisson; CV 30 % counts teach about 0.09.
    assert calm.hour.value() < 0.01
    assert 0.05 < bursty.hour.value() < 0.14


def test_spikes_inflate_neither_the_spread_nor_the_expected_rate() -> None:
    rng = random.Random(2)
    counts = [overdispersed(rng, 100.0, 0.1) for _ in range(15 * 24)]
    starts = [day * 24 + 10 for day in range(3, 15, 2)]
    for start in starts:  # a x5 crisis of 6 hours every other day
        for hour in range(start, start + 6):
            counts[hour] *= 5
    series = [(START + timedelta(hours=t), c) for t, c in enumerate(counts)]
    found = detect(series)
    assert [s.start for s in found] == [START + timedelta(hours=t) for t in starts]
    # Flagged, the crises taught the baseline nothing: the last day is expected as if clean.
    expected = [value for _, value in expected_counts(series)[-24:]]
    assert abs(sum(v or 0.0 for v in expected) - 2400) < 0.15 * 2400


def test_the_level_follows_a_new_normal_within_a_day_at_high_volume() -> None:
    rng = random.Random(3)
    counts = [overdispersed(rng, 500.0, 0.1) for _ in range(14 * 24)]
    counts += [overdispersed(rng, 800.0, 0.1) for _ in range(24)]
    baseline = learn(counts)
    assert baseline.forecast(0, 0).mean > 650  # more than half the way, and going on


def test_the_usual_range_widens_with_the_spread() -> None:
    assert interval(0.0, 0.1, 0.9) == (0, 0)
    low, high = interval(10.0, 0.0, 0.9)
    assert (low, high) == (5, 15)  # Poisson(10): 5th and 95th percentiles
    wide_low, wide_high = interval(10.0, 0.3, 0.9)
    assert wide_low <= low and wide_high > high
    big_low, big_high = interval(10_000.0, 0.04, 0.9)  # CV 20 %: about +-3,300
    assert 6_000 < big_low < 7_000 and 13_000 < big_high < 14_000
