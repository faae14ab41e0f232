"""Quality figures shared by the training and evaluation scripts."""

from __future__ import annotations

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
