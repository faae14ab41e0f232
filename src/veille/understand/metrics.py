"""Quality figures shared by the training and evaluation scripts."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def f1_per_class(truth: np.ndarray, predicted: np.ndarray, k: int) -> list[float]:
    scores = []
    for c in range(k):
        tp = int(((predicted == c) & (truth == c)).sum())
        fp = int(((predicted == c) & (truth != c)).sum())
        fn = int(((predicted != c) & (truth == c)).sum())
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return scores


def macro_f1(truth: np.ndarray, predicted: np.ndarray, k: int) -> float:
    return float(np.mean(f1_per_class(truth, predicted, k)))


def confusion(truth: np.ndarray, predicted: np.ndarray, k: int) -> np.ndarray:
    matrix = np.zeros((k, k), dtype=np.int64)
    np.add.at(matrix, (truth, predicted), 1)
    return matrix


def bootstrap_interval(
    statistic: Callable[[np.ndarray], float],
    n: int,
    *,
    groups: np.ndarray | None = None,
    resamples: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """95 % percentile interval of `statistic(rows)` over bootstrap resamples of the n rows;
    with `groups`, whole groups are drawn (a post and its near-copies move together)."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) if groups is None else groups
    names = np.unique(labels)
    members = [np.flatnonzero(labels == name) for name in names]
    values = []
    for _ in range(resamples):
        drawn = rng.integers(0, len(names), size=len(names))
        values.append(statistic(np.concatenate([members[i] for i in drawn])))
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)
