"""Train the intent heads (fast and accurate) on data/intents/train.jsonl.

    .venv/bin/python scripts/train_intents.py [--without-informal]

Trains on data/intents/train.jsonl and data/intents/informal.jsonl (the informal register:
replies, SMS spelling, reposts, irony). --without-informal keeps the informal posts out of
every training part but still scores them, and writes nothing: it measures what they add.

Hyper-parameters are chosen by 5-fold cross-validation on the train split, folds split by
group: a post and its near-copies (a template with another town, a repost: MinHash over
character 5-grams, scripts/crossval.py) never straddle two folds. Prints the chosen heads'
cross-validated F1 per intent with 95 % bootstrap intervals (by group). The validation split
is not read here: scripts/eval_understand.py measures it, once, at the end.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from veille.understand.embeddings import embed
from veille.understand.features import DIM, featurize, sparse_dot, sparse_transpose_dot
from veille.understand.intents import (
    ACCURATE_HEAD,
    BLEND,
    FAST_HEAD,
    GENERIC,
    accurate_features,
    fast_ids,
    finish,
)
from veille.understand.labelled import (
    DATA,
    INFORMAL,
    LabelledPost,
    intent_matrix,
    load_posts,
    load_profiles,
)
from veille.understand.leads import lead_factor
from veille.understand.linear import LinearHead, fit
from veille.understand.types import INTENT_THRESHOLD, INTENTS

sys.path.insert(0, str(Path(__file__).parent))
from crossval import FOLDS, grouped_folds, show_multilabel_f1, text_groups

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


def choose(
    posts: list[LabelledPost], train: Trainer, score: Scorer, name: str, trainable: np.ndarray
) -> tuple[float, int, np.ndarray]:
    """(l2, epochs) with the best 5-fold cross-validated macro-F1 on the train split, and
    that choice's out-of-fold generic probabilities (before the profile)."""
    folds = grouped_folds([p.text for p in posts])
    y = targets(posts)
    truth = intent_matrix(posts)
    best: tuple[float, float, int, np.ndarray] | None = None
    for l2 in (1e-4, 1e-5, 3e-6):
        for epochs in (1000,):
            generic = np.zeros_like(y)
            for f in range(FOLDS):
                head = train(np.flatnonzero((folds != f) & trainable), l2, epochs)
                generic[folds == f] = score(head, np.flatnonzero(folds == f))
            scores = final_scores(posts, generic)
            cv = macro_f1_multilabel(truth, scores)
            print(f"{name} l2={l2} epochs={epochs}: 5-fold macro-F1 {cv:.3f}", flush=True)
            if best is None or cv > best[0]:
                best = (cv, l2, epochs, generic)
    assert best is not None
    return best[1], best[2], best[3]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--without-informal",
        action="store_true",
        help="measure only: train without the informal posts, score them all the same",
    )
    args = parser.parse_args()
    posts = load_posts(DATA / "train.jsonl")
    informal = np.array([False] * len(posts) + [True] * len(load_posts(DATA / INFORMAL)))
    posts += load_posts(DATA / INFORMAL)
    trainable = ~informal if args.without_informal else np.ones(len(posts), dtype=bool)
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
    groups = text_groups(texts)
    truth = intent_matrix(posts)
    oof: dict[str, np.ndarray] = {}
    for name, train, scorer, path in (
        ("fast", train_fast, score_fast, FAST_HEAD),
        ("accurate", train_accurate, score_accurate, ACCURATE_HEAD),
    ):
        l2, epochs, oof[name] = choose(posts, train, scorer, name, trainable)
        if not args.without_informal:
            train(everything, l2, epochs).save(path)
        report[name] = {"l2": l2, "epochs": epochs}
    # The accurate tier blends its embedding head with the fast head, as sentiment does:
    # character n-grams read SMS spelling that the embedding may miss.
    weights = (1.0, 0.8, 0.7, 0.6, 0.5)
    blends = [
        macro_f1_multilabel(truth, final_scores(posts, w * oof["accurate"] + (1 - w) * oof["fast"]))
        for w in weights
    ]
    weight = weights[int(np.argmax(blends))]
    print(f"accurate blend weights {weights}: 5-fold macro-F1 {np.round(blends, 3)}")
    if not args.without_informal:
        BLEND.write_text(json.dumps({"embedding_weight": weight}) + "\n")
    report["accurate"] = {**report["accurate"], "embedding_weight": weight}
    for name, generic in (
        ("fast", oof["fast"]),
        ("accurate", weight * oof["accurate"] + (1 - weight) * oof["fast"]),
    ):
        scores = final_scores(posts, generic)
        for subset, rows in (
            ("train", np.arange(len(posts))),
            ("informal", np.flatnonzero(informal)),
        ):
            show_multilabel_f1(
                f"intents {name}, 5-fold grouped CV, {subset} posts ({len(rows)})",
                INTENTS,
                truth[rows] > 0,
                scores[rows] >= INTENT_THRESHOLD,
                groups[rows],
                report,
                f"{name}_cv_{subset}_macro_f1",
            )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
