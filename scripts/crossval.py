"""Honest validation shared by the training and evaluation scripts.

Choices (features, hyper-parameters, blends, epochs) are made by k-fold cross-validation on
training data only, with folds split by group: a text and its near-copies (a template filled
with another town, a repost, a copy with another link) always fall in the same fold, so a
choice is never rewarded for recognising a text it has nearly seen. Figures are printed per
class with 95 % bootstrap intervals, resampling whole groups.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

from veille.understand.duplicates import near_duplicates
from veille.understand.features import Csr
from veille.understand.metrics import bootstrap_interval, f1_per_class, macro_f1

FOLDS = 5
# Looser than the inbox's copy detection (0.6): a template with another town or product in
# it is the same text for validation.
TEMPLATE_SIMILARITY = 0.5


def text_groups(texts: Sequence[str]) -> np.ndarray:
    """A group id per text, the same for a text and its near-copies."""
    return np.array(near_duplicates(texts, threshold=TEMPLATE_SIMILARITY))


def grouped_folds(texts: Sequence[str], k: int = FOLDS) -> np.ndarray:
    """A fold per text in 0..k-1, the same for a text and its near-copies (deterministic)."""
    leaders = text_groups(texts)
    return np.array([zlib.crc32(texts[leader].encode()) % k for leader in leaders])


def merged_groups(texts: Sequence[str], blocks: Sequence[str]) -> np.ndarray:
    """A group id per text: near-copies share one, and so do texts with the same non-empty
    block (an author's block of posts, or every post read for one business)."""
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    for i, leader in enumerate(text_groups(texts)):
        join(i, int(leader))
    first: dict[str, int] = {}
    for i, block in enumerate(blocks):
        if block:
            join(i, first.setdefault(block, i))
    return np.array([root(i) for i in range(len(texts))])


def balanced_folds(groups: np.ndarray, k: int = FOLDS) -> np.ndarray:
    """A fold per row in 0..k-1, whole groups only, largest groups first into the fold with
    the fewest rows so far (deterministic)."""
    sizes = Counter(groups.tolist())
    rows = [0] * k
    fold_of: dict[int, int] = {}
    for group, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        fold_of[group] = rows.index(min(rows))
        rows[fold_of[group]] += size
    return np.array([fold_of[g] for g in groups.tolist()])


def csr_rows(csr: Csr, idx: np.ndarray) -> Csr:
    """The rows `idx` of a CSR matrix, in that order."""
    indptr, indices, values = csr
    starts, ends = indptr[idx], indptr[idx + 1]
    take = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
    lengths = ends - starts
    return (np.concatenate([[0], np.cumsum(lengths)]), indices[take], values[take])


def ci(values: tuple[float, float]) -> list[float]:
    return [round(values[0], 3), round(values[1], 3)]


def show_f1(
    title: str,
    labels: tuple[str, ...],
    truth: np.ndarray,
    predicted: np.ndarray,
    groups: np.ndarray | None,
    figures: dict[str, object],
    key: str,
) -> None:
    """Per-class and macro F1 of a single-label classifier, each with its interval."""
    k = len(labels)
    n = len(truth)
    macro = macro_f1(truth, predicted, k)
    macro_ci = bootstrap_interval(lambda r: macro_f1(truth[r], predicted[r], k), n, groups=groups)
    print(f"{title}: macro-F1 {macro:.3f} [{macro_ci[0]:.3f}, {macro_ci[1]:.3f}]")
    per_class: dict[str, object] = {}
    for c, label in enumerate(labels):
        value = f1_per_class(truth, predicted, k)[c]

        def one(rows: np.ndarray, c: int = c) -> float:
            return f1_per_class(truth[rows], predicted[rows], k)[c]

        low, high = bootstrap_interval(one, n, groups=groups)
        print(f"  {label:<10} F1 {value:.3f} [{low:.3f}, {high:.3f}]")
        per_class[label] = {"f1": round(value, 4), "ci95": ci((low, high))}
    figures[key] = round(macro, 4)
    figures[f"{key}_ci95"] = ci(macro_ci)
    figures[f"{key}_per_class"] = per_class


def show_multilabel_f1(
    title: str,
    labels: Sequence[str],
    truth: np.ndarray,
    predicted: np.ndarray,
    groups: np.ndarray | None,
    figures: dict[str, object],
    key: str,
) -> None:
    """Per-label F1 (each label present or not) and their mean, each with its interval.

    truth, predicted: (n, len(labels)) booleans or 0/1."""
    t_all, p_all = truth.astype(bool), predicted.astype(bool)

    def macro(rows: np.ndarray) -> float:
        return float(
            np.mean(
                [f1_per_class(t_all[rows, k], p_all[rows, k], 2)[1] for k in range(len(labels))]
            )
        )

    print(f"{title}:")
    per_label: dict[str, object] = {}
    for k, name in enumerate(labels):
        t, p = t_all[:, k], p_all[:, k]

        def one(rows: np.ndarray, t: np.ndarray = t, p: np.ndarray = p) -> float:
            return f1_per_class(t[rows], p[rows], 2)[1]

        value = one(np.arange(len(t)))
        low, high = bootstrap_interval(one, len(t), groups=groups)
        counts = (
            f"tp {int((t & p).sum()):>3} fp {int((p & ~t).sum()):>3} fn {int((t & ~p).sum()):>3}"
        )
        print(f"  {name:<10} F1 {value:.3f} [{low:.3f}, {high:.3f}]   {counts}")
        per_label[name] = {"f1": round(value, 4), "ci95": ci((low, high))}
    value = macro(np.arange(len(t_all)))
    low, high = bootstrap_interval(macro, len(t_all), groups=groups)
    print(f"  macro-F1 {value:.3f} [{low:.3f}, {high:.3f}]")
    figures[key] = round(value, 4)
    figures[f"{key}_ci95"] = ci((low, high))
    figures[f"{key}_per_label"] = per_label
