"""Bootstrap intervals: they hold the figure, widen with fewer rows, and draw whole groups."""

from __future__ import annotations

import numpy as np

from veille.understand.metrics import bootstrap_interval, macro_f1


def test_an_interval_holds_the_figure_and_narrows_with_more_rows() -> None:
    rng = np.random.default_rng(3)
    widths = []
    for n in (60, 600):
        truth = rng.integers(0, 3, n)
        predicted = np.where(rng.random(n) < 0.7, truth, rng.integers(0, 3, n))
        value = macro_f1(truth, predicted, 3)
        low, high = bootstrap_interval(lambda r, t=truth, p=predicted: macro_f1(t[r], p[r], 3), n)
        assert low <= value <= high
        widths.append(high - low)
    assert widths[1] < widths[0] / 2


def test_groups_move_together() -> None:
    # Two groups of identical rows: a resample holds either all of a group or none of it.
    right = np.array([1.0] * 5 + [0.0] * 5)
    groups = np.array([0] * 5 + [1] * 5)
    low, high = bootstrap_interval(lambda r: float(right[r].mean()), 10, groups=groups)
    assert (low, high) == (0.0, 1.0)
    rows_low, rows_high = bootstrap_interval(lambda r: float(right[r].mean()), 10)
    assert 0.0 < rows_low < rows_high < 1.0
