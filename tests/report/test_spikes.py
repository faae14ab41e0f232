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


# Busy, overdispersed series: the level varies from day to day (CV 15 %) and from hour to hour
# (CV 10 %) beyond Poisson, with a daily rhythm. The detector has to learn that spread itself.


def busy(
    rate: float, days: int, seed: int, *, shift_at: int = -1, factor: float = 1.0
) -> list[int]:
    rng = random.Random(seed)
    counts = []
    for day in range(days):
        level = rate * rng.gammavariate(1 / 0.15**2, 0.15**2)
        for hour in range(24):
            t = day * 24 + hour
            mean = level * (1 + 0.6 * math.cos(2 * math.pi * (hour - 14) / 24))
            mean *= rng.gammavariate(100.0, 0.01) * (factor if 0 <= shift_at <= t else 1.0)
            counts.append(
                max(0, round(rng.gauss(mean, math.sqrt(mean)))) if mean > 50 else poisson(rng, mean)
            )
    return counts


@pytest.mark.parametrize("rate", [10.0, 1000.0, 10_000.0])
def test_a_crisis_in_a_busy_overdispersed_series_is_caught_in_its_first_two_hours(
    rate: float,
) -> None:
    counts = busy(rate, 18, seed=11)
    onset = 17 * 24 + 9
    for hour in range(onset, onset + 6):
        counts[hour] += round(4 * rate)  # about five times the usual volume
    spikes = detect(as_series(counts))
    begins = START + timedelta(hours=onset)
    caught = [s for s in spikes if s.end > begins]
    assert len(caught) == 1
    assert caught[0].detected_at <= begins + timedelta(hours=1)
    assert caught[0].expected_low <= caught[0].expected <= caught[0].expected_high
    assert caught[0].total > caught[0].expected_high  # seen, against the usual range


@pytest.mark.parametrize("rate", [100.0, 10_000.0])
def test_a_busy_afternoon_and_a_busy_day_are_not_crises(rate: float) -> None:
    counts = busy(rate, 18, seed=12)
    for hour in range(16 * 24, 17 * 24):
        counts[hour] = round(counts[hour] * 1.4)  # a day 40 % busier than usual
    for hour in range(17 * 24 + 13, 17 * 24 + 17):
        counts[hour] = round(counts[hour] * 1.8)  # then an afternoon of news, 80 % busier
    assert [s for s in detect(as_series(counts)) if s.end > START + timedelta(days=15)] == []


@pytest.mark.parametrize("rate", [1.0, 100.0, 10_000.0])
def test_a_new_normal_stops_alerting_within_a_day(rate: float) -> None:
    shift = 15 * 24 + 8
    counts = busy(rate, 21, seed=13, shift_at=shift, factor=3.0)
    spikes = detect(as_series(counts))
    after = [s for s in spikes if s.end > START + timedelta(hours=shift)]
    assert len(after) <= 1
    assert all(s.end <= START + timedelta(hours=shift + 24) and not s.ongoing for s in after)


def test_tiny_and_huge_volumes_use_the_same_defaults() -> None:
    # 0.1 post an hour: a month of quiet raises nothing; ten posts in three hours do.
    tiny = noise(0.1, 30, seed=14)
    assert detect(as_series(tiny)) == []
    tiny[29 * 24 + 10 : 29 * 24 + 13] = [3, 4, 3]
    assert len(detect(as_series(tiny))) == 1
    # 10,000 posts an hour, overdispersed: nothing on its own, a doubling-plus crisis is found.
    huge = busy(10_000.0, 21, seed=15)
    assert detect(as_series(huge)) == []
    for hour in range(20 * 24 + 10, 20 * 24 + 14):
        huge[hour] *= 4
    assert len(detect(as_series(huge))) == 1


def test_a_series_shorter_than_a_week_is_judged_after_its_first_day() -> None:
    counts = noise(2.0, 3, seed=16)
    counts[2 * 24 + 10 : 2 * 24 + 13] = [15, 18, 16]
    (spike,) = detect(as_series(counts))
    assert spike.start == START + timedelta(hours=2 * 24 + 10)
    assert detect(as_series(counts[:20])) == []  # less than a day: nothing to compare with
