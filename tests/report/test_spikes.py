"""Spike detection on constructed hourly series."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from veille.report.spikes import (
    Spike,
    detect,
    expected_counts,
    overdispersed_log10_sf,
    poisson_log10_sf,
)

START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday


def poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def noise(rate: float, days: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    return [poisson(rng, rate) for _ in range(days * 24)]


def as_series(counts: list[int], start: datetime = START) -> list[tuple[datetime, int]]:
    return [(start + timedelta(hours=i), c) for i, c in enumerate(counts)]


def test_poisson_tail_matches_direct_sum() -> None:
    # P(X >= 5) for X ~ Poisson(1) = 1 - sum_{k<5} e^-1 / k!
    direct = 1 - sum(math.exp(-1) / math.factorial(k) for k in range(5))
    assert poisson_log10_sf(5, 1.0) == pytest.approx(math.log10(direct), rel=1e-9)
    assert poisson_log10_sf(1, 3.0) == 0.0  # not above the mean: not evidence at all
    # Uncertainty about the mean widens the tail, and vanishes as cv goes to 0.
    assert overdispersed_log10_sf(60, 30.0, 0.2) > poisson_log10_sf(60, 30.0)
    assert overdispersed_log10_sf(9, 2.0, 1e-6) == pytest.approx(poisson_log10_sf(9, 2.0), 1e-4)


def test_a_spike_at_one_post_an_hour_is_found_early() -> None:
    counts = noise(1.0, 21, seed=3)
    spike_start = 18 * 24 + 10
    for hour in range(spike_start, spike_start + 6):
        counts[hour] += 5
    spikes = detect(as_series(counts))
    assert len(spikes) == 1
    spike = spikes[0]
    assert isinstance(spike, Spike)
    begins = START + timedelta(hours=spike_start)
    assert begins - timedelta(hours=2) <= spike.start <= begins + timedelta(hours=1)
    assert spike.detected_at <= begins + timedelta(hours=2)
    assert begins + timedelta(hours=4) <= spike.end <= begins + timedelta(hours=8)
    assert spike.peak_count >= 5
    assert spike.total > 3 * spike.expected
    assert spike.score >= 3.0
    assert not spike.ongoing


@pytest.mark.parametrize("rate", [0.2, 1.0])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_flat_noise_for_thirty_days_raises_at_most_one_alert(rate: float, seed: int) -> None:
    assert len(detect(as_series(noise(rate, 30, seed)))) <= 1


def test_the_floor_holds_even_when_the_test_is_sure() -> None:
    counts = [0] * (14 * 24)
    counts[13 * 24 + 3] = 4  # four posts at 3 am after two silent weeks
    assert detect(as_series(counts)) == []
    assert len(detect(as_series(counts), floor=4)) == 1
    assert detect(as_series(counts), floor=5, sensitivity="high") == []


def test_gaps_are_zero_and_until_keeps_a_spike_open() -> None:
    counts = noise(1.0, 14, seed=5)
    counts.extend([9, 9, 9])
    series = [item for item in as_series(counts) if item[1] > 0]  # store only non-empty hours
    spikes = detect(series)
    assert len(spikes) == 1 and spikes[0].ongoing
    last_hour = START + timedelta(hours=len(counts) - 1)
    later = detect(series, until=last_hour + timedelta(hours=8))
    assert len(later) == 1 and not later[0].ongoing


def test_spike_times_come_back_in_the_series_zone() -> None:
    paris = ZoneInfo("Europe/Paris")
    counts = [*noise(1.0, 14, seed=6), 8, 8, 8]
    spikes = detect(as_series(counts, START.astimezone(paris)))
    assert spikes and spikes[0].start.tzinfo is paris


def test_each_method_finds_a_large_spike() -> None:
    counts = noise(1.0, 15, seed=7)
    for hour in range(14 * 24 + 12, 14 * 24 + 18):
        counts[hour] += 8
    begins = START + timedelta(hours=14 * 24 + 12)
    for method in ("default", "poisson", "cusum", "zscore"):
        found = [s for s in detect(as_series(counts), method=method) if s.end > begins]
        assert len(found) == 1, method
        assert begins <= found[0].detected_at <= begins + timedelta(hours=2), method


def test_expected_counts_follow_the_daily_rhythm() -> None:
    rng = random.Random(9)
    counts = [poisson(rng, 3.0 if 9 <= (i % 24) < 18 else 0.3) for i in range(21 * 24)]
    expected = expected_counts(as_series(counts))
    assert expected[0][1] is None  # no history yet
    last_day = [value for _, value in expected[-24:]]
    assert all(value is not None for value in last_day)
    assert last_day[14] > 4 * last_day[3]  # type: ignore[operator]


@pytest.mark.parametrize(
    ("series", "kwargs", "message"),
    [
        ([(datetime(2026, 1, 1), 1)], {}, "no time zone"),
        ([(START, -1)], {}, "count must be"),
        ([(START, 1)], {"sensitivity": "paranoid"}, "sensitivity must be"),
        ([(START, 1)], {"method": "magic"}, "method must be"),
        ([(START, 1)], {"floor": 0}, "floor must be"),
    ],
)
def test_bad_input_is_named(series: list[tuple[datetime, int]], kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        detect(series, **kwargs)


def test_empty_series_has_no_spike() -> None:
    assert detect([]) == []
    assert detect([(START.astimezone(timezone(timedelta(hours=2))), 0)]) == []
