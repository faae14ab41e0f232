"""Train the intent heads (fast and accurate) on data/intents/train.jsonl.

    .venv/bin/python scripts/train_intents.py

Hyper-parameters are chosen by 5-fold cross-validation on the train split, folds split by
group: near-duplicates (a post and its copies, MinHash over character 5-grams) never straddle
two folds. The validation split is not read here: scripts/eval_understand.py measures it,
once, at the end.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable

import numpy as np

from veille.understand.duplicates import near_duplicates
from veille.understand.embeddings import embed
from veille.understand.features import DIM, featurize, sparse_dot, sparse_transpose_dot
from veille.understand.intents import (
    ACCURATE_HEAD,
    FAST_HEAD,
    GENERIC,
    accurate_features,
    fast_ids,
    finish,
)
from veille.understand.labelled import DATA, LabelledPost, intent_matrix, load_posts, load_profiles
from veille.understand.leads import lead_factor
from veille.understand.linear import LinearHead, fit
from veille.understand.types import INTENT_THRESHOLD

Trainer = Callable[[np.ndarray, float, int], LinearHead]  # rows, l2, epochs
Scorer = Callable[[LinearHead, np.ndarray], np.ndarray]  # head, rows -> probabilities


def targets(posts: list[LabelledPost]) -> np.ndarray:
    return np.array(
        [[float(p.seeks if g == "seeks" else g in p.intents) for g in GENERIC] for p in posts]
    )


def macro_f1_multilabel(truth: np.ndarray, probs: np.ndarray) -> float:
    pred = probs >= INTENT_THRESHOLD
    scores = []
    for k in range(truth.shape[1]):
        t = truth[:, k] > 0
        tp, fp, fn = (pred[:, k] & t).sum(), (pred[:, k] & ~t).sum(), (~pred[:, k] & t).sum()
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0)
    return float(np.mean(scores))


def final_scores(posts: list[LabelledPost], generic: np.ndarray) -> np.ndarray:
    profiles = load_profiles()
    factors = [lead_factor(p.text, profiles[p.business]) for p in posts]
    rows = finish(generic, factors)
    return np.array([list(r.values()) for r in rows])


def grouped_folds(texts: list[str], k: int = 5) -> np.ndarray:
    """A fold per post, the same for a post and its near-duplicates."""
    leaders = near_duplicates(texts)
    return np.array([zlib.crc32(texts[leader].encode()) % k for leader in leaders])


def choose(
    posts: list[LabelledPost], train: Trainer, score: Scorer, name: str
) -> tuple[float, int]:
    """(l2, epochs) with the best 5-fold cross-validated macro-F1 on the train split."""
    folds = grouped_folds([p.text for p in posts])
    y = targets(posts)
    truth = intent_matrix(posts)
    best: tuple[float, float, int] | None = None
    for l2 in (1e-4, 1e-5, 3e-6):
        for epochs in (1000, 2000):
            generic = np.zeros_like(y)
            for f in range(5):
                head = train(np.flatnonzero(folds != f), l2, epochs)
                generic[folds == f] = score(head, np.flatnonzero(folds == f))
            cv = macro_f1_multilabel(truth, final_scores(posts, generic))
            print(f"{name} l2={l2} epochs={epochs}: 5-fold macro-F1 {cv:.3f}", flush=True)
            if best is None or cv > best[0]:
                best = (cv, l2, epochs)
    assert best is not None
    return best[1], best[2]


def main() -> None:
    posts = load_posts(DATA / "train.jsonl")
    texts = [p.text for p in posts]
    y = targets(posts)
    report: dict[str, object] = {}

    csr_all = featurize(texts, fast_ids)

    def rows_of(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return featurize([texts[i] for i in idx], fast_ids)

    def train_fast(idx: np.ndarray, l2: float, epochs: int) -> LinearHead:
        csr = rows_of(idx) if len(idx) < len(texts) else csr_all
        return fit(
            lambda w: sparse_dot(csr, w),
            lambda g: sparse_transpose_dot(csr, g),
            DIM,
            y[idx],
            GENERIC,
            multilabel=True,
            l2=l2,
            epochs=epochs,
            learning_rate=0.05,
        )

    def score_fast(head: LinearHead, idx: np.ndarray) -> np.ndarray:
        return head.scores(sparse_dot(rows_of(idx), head.weights))

    emb = accurate_features(texts, embed(texts))

    def train_accurate(idx: np.ndarray, l2: float, epochs: int) -> LinearHead:
        x = emb[idx]
        return fit(
            lambda w: x @ w,
            lambda g: x.T @ g,
            x.shape[1],
            y[idx],
            GENERIC,
            multilabel=True,
            l2=l2,
            epochs=epochs,
            learning_rate=0.02,
        )

    def score_accurate(head: LinearHead, idx: np.ndarray) -> np.ndarray:
        return head.predict_dense(emb[idx])

    everything = np.arange(len(posts))
    for name, train, scorer, path in (
        ("fast", train_fast, score_fast, FAST_HEAD),
        ("accurate", train_accurate, score_accurate, ACCURATE_HEAD),
    ):
        l2, epochs = choose(posts, train, scorer, name)
        train(everything, l2, epochs).save(path)
        report[name] = {"l2": l2, "epochs": epochs}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
