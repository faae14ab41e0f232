"""Series of any sampling put on the grid that spike detection reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from veille.report.grid import HOUR, sampling_step, to_grid

START = datetime(2026, 3, 2, tzinfo=UTC)


def every(step: timedelta, n: int, count: int = 1) -> list[tuple[datetime, int]]:
    return [(START + i * step, count) for i in range(n)]


def test_five_minute_counts_are_summed_per_hour_and_gaps_are_missing() -> None:
    points = every(timedelta(minutes=5), 12 * 6, count=2)  # six hours, 24 posts an hour
    points = [p for i, p in enumerate(points) if not 24 <= i < 36]  # hour 2 never came
    points = [p for i, p in enumerate(points) if not (i >= 36 and i % 3 == 0)]  # a third lost
    grid = to_grid(points, None)
    assert grid is not None and grid.step == HOUR
    assert grid.missing == [False, False, True, False, False, False]
    # From hour 4 on, 8 samples of 12 are there, read as the whole hour.
    assert grid.counts == [24, 24, 0, 24, 24, 24]


def test_a_partial_first_hour_is_scaled_or_left_out() -> None:
    points = every(timedelta(minutes=5), 40)
    late = [(m + timedelta(minutes=25), c) for m, c in points]  # 7 samples in the first hour
    grid = to_grid(late, None)
    assert grid is not None and grid.counts[0] == 12 and not grid.missing[0]
    later = [(m + timedelta(minutes=35), c) for m, c in points]  # 5 samples: under half
    grid = to_grid(later, None)
    assert grid is not None and grid.missing[0] and grid.counts[1] == 12


def test_rows_at_odd_times_are_posts_and_empty_hours_count_zero() -> None:
    minutes = [3, 7, 8, 59, 61, 200, 201, 202, 330]
    grid = to_grid([(START + timedelta(minutes=m), 1) for m in minutes], None)
    assert grid is not None and grid.step == HOUR
    assert grid.counts == [4, 1, 0, 3, 0, 1] and not any(grid.missing)


def test_a_regular_daily_series_is_read_day_by_day() -> None:
    points = every(timedelta(days=1), 10, count=50)
    del points[4]  # a day without a row counts zero, as an hour without a row does
    grid = to_grid(points, START + timedelta(days=12, hours=3))
    assert grid is not None and grid.step == timedelta(days=1)
    assert grid.counts == [50] * 4 + [0] + [50] * 5 + [0, 0, 0]
    assert grid.at(2) == START + timedelta(days=2)


@pytest.mark.parametrize(
    ("gaps_minutes", "step"),
    [([5] * 20 + [60, 5, 5], timedelta(minutes=5)), ([5, 17, 2, 44, 5, 9], None), ([5, 5], None)],
)
def test_sampling_step(gaps_minutes: list[int], step: timedelta | None) -> None:
    moments = [START]
    for gap in gaps_minutes:
        moments.append(moments[-1] + timedelta(minutes=gap))
    assert sampling_step(moments) == step


def test_the_stores_hourly_counts_stay_hourly_whatever_their_spacing() -> None:
    points = every(timedelta(hours=2), 6, count=3)  # a post burst every other hour
    coarse = to_grid(points, None)
    assert coarse is not None and coarse.step == timedelta(hours=2)
    grid = to_grid(points, None, hourly=True)
    assert grid is not None and grid.step == HOUR
    assert grid.counts == [3, 0] * 5 + [3]
