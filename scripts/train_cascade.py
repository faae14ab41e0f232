"""Choose the accurate tier's cascade thresholds by 5-fold cross-validation on the train splits.

    .venv/bin/python scripts/train_cascade.py [--data ../shared/data/xlmt-sentiment] [--cache DIR]
        [--tolerance 0.0] [--branch-oof BRANCH_CACHE/branch_oof_4_6_0.0001.npz]

Out-of-fold fast and accurate probabilities are computed on the French XLM-T train tweets
(sentiment) and on data/intents/train.jsonl (intents); the French branch's share of each
comes from its own out-of-fold file (--branch-oof, scripts/train_branch.py); each threshold
is the one that embeds the fewest posts while keeping the cross-validated macro-F1 within
--tolerance of embedding every post. The shipped thresholds give up nothing (tolerance 0):
the encoder runs the accurate tier well above its 100 posts/s target; on a slower machine
--tolerance 0.005 trades ~0.005 macro-F1 for a third fewer embeddings. Writes
src/veille/understand/models/cascade.json. Validation is never read.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path

import numpy as np

from veille.understand.cascade import THRESHOLDS, Cascade
from veille.understand.features import DIM, featurize, sparse_dot, sparse_transpose_dot
from veille.understand.intents import (
    GENERIC,
    accurate_features,
    blended,
    calibrate,
    fast_ids,
    mixed,
    thresholds,
    tuned_weight,
)
from veille.understand.labelled import DATA, LabelledPost, intent_matrix, load_posts
from veille.understand.linear import LinearHead, fit
from veille.understand.metrics import macro_f1
from veille.understand.sentiment import BLEND, Blend
from veille.understand.types import INTENT_THRESHOLD

sys.path.insert(0, str(Path(__file__).parent))
from crossval import FOLDS, grouped_folds
from train_intents import TRAINING, final_scores, macro_f1_multilabel, targets
from train_sentiment import DEFAULT_DATA, embed_cached, load_split, train_dense, train_fast

CONFIDENCES = tuple(round(0.40 + 0.02 * i, 2) for i in range(31))  # 0.40 .. 1.00
MARGINS = tuple(round(0.02 * i, 2) for i in range(26))  # 0 .. 0.50


def out_of_fold_sentiment(
    data: Path, cache: Path | None, branch_oof: Path | None
) -> tuple[np.ndarray, ...]:
    texts, y = load_split(data, "fr", "train")
    vectors = embed_cached(texts, cache, "fr_train")
    blend = Blend(**json.loads(BLEND.read_text())["fr"])
    tuned = np.zeros((len(texts), 3))
    if blend.tuned:
        if branch_oof is None:
            raise SystemExit(
                "the French blend uses the French branch: give its out-of-fold probabilities"
                " with --branch-oof (branch_oof_*.npz in scripts/train_branch.py's cache)"
            )
        with np.load(branch_oof) as saved:
            tuned = saved["fr_train"]  # the same folds: grouped_folds of the same tweets
    folds = grouped_folds(texts)
    fast = np.zeros((len(texts), 3), dtype=np.float32)
    accurate = np.zeros_like(fast)
    for f in range(FOLDS):
        fit_idx, held = np.flatnonzero(folds != f), np.flatnonzero(folds == f)
        head = train_fast(featurize([texts[i] for i in fit_idx]), y[fit_idx], 1e-4, 300)
        fast[held] = head.scores(sparse_dot(featurize([texts[i] for i in held]), head.weights))
        dense = train_dense(vectors[fit_idx], y[fit_idx], 1e-4, 600)
        accurate[held] = (
            blend.embedding * dense.predict_dense(vectors[held])
            + blend.fast * fast[held]
            + blend.tuned * tuned[held]
        )
        print(f"sentiment fold {f + 1}/{FOLDS}", flush=True)
    return y, fast, accurate


def out_of_fold_intents(
    cache: Path | None, branch_oof: Path | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[LabelledPost]]:
    posts = load_posts(DATA / "train.jsonl")
    texts = [p.text for p in posts]
    y = targets(posts)
    tuned = np.zeros_like(y)
    if tuned_weight():
        if branch_oof is None:
            raise SystemExit("the intents blend uses the French branch: give --branch-oof")
        # train.jsonl comes first among the posts the branch's folds (by business) were cut
        # on: each post's branch prediction comes from a branch that never saw it.
        assert TRAINING[0] == "train.jsonl"
        with np.load(branch_oof) as saved:
            tuned = saved["intents"][: len(posts)]
    emb = accurate_features(texts, embed_cached(texts, cache, "intents_train"))
    folds = grouped_folds(texts)
    fast = np.zeros_like(y)
    accurate = np.zeros_like(y)
    for f in range(FOLDS):
        fit_idx, held = np.flatnonzero(folds != f), np.flatnonzero(folds == f)
        csr = featurize([texts[i] for i in fit_idx], fast_ids)
        head: LinearHead = fit(
            partial(sparse_dot, csr),
            partial(sparse_transpose_dot, csr),
            DIM,
            y[fit_idx],
            GENERIC,
            multilabel=True,
            l2=1e-5,
            epochs=1000,
            learning_rate=0.05,
        )
        held_rows = featurize([texts[i] for i in held], fast_ids)
        fast[held] = calibrate(head.scores(sparse_dot(held_rows, head.weights)), thresholds("fast"))
        x = emb[fit_idx]
        dense = fit(
            x.__matmul__,
            x.T.__matmul__,
            x.shape[1],
            y[fit_idx],
            GENERIC,
            multilabel=True,
            l2=1e-4,
            epochs=1000,
            learning_rate=0.02,
        )
        frozen = dense.predict_dense(emb[held])
        accurate[held] = blended(fast[held], mixed(frozen, tuned[held], tuned_weight()))
        print(f"intents fold {f + 1}/{FOLDS}", flush=True)
    truth = intent_matrix(posts)
    return truth, final_scores(posts, fast), final_scores(posts, accurate), fast, posts


def cheapest(
    curve: list[tuple[float, float, float]], full: float, tolerance: float
) -> tuple[float, float, float]:
    """(threshold, fraction, F1) embedding the fewest posts within tolerance of full."""
    good = [point for point in curve if point[2] >= full - tolerance]
    return min(good, key=lambda point: (point[1], -point[2]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings in")
    parser.add_argument(
        "--tolerance", type=float, default=0.0, help="macro-F1 the cascade may give up"
    )
    parser.add_argument(
        "--branch-oof", type=Path, default=None, help="the French branch's out-of-fold file"
    )
    args = parser.parse_args()

    y, fast, accurate = out_of_fold_sentiment(args.data, args.cache, args.branch_oof)
    full = macro_f1(y, accurate.argmax(1), 3)
    curve = []
    for threshold in CONFIDENCES:
        unsure = fast.max(axis=1) < threshold
        cascaded = np.where(unsure[:, None], accurate, fast)
        curve.append((threshold, float(unsure.mean()), macro_f1(y, cascaded.argmax(1), 3)))
        print(
            f"sentiment confidence < {threshold:.2f}: embeds {unsure.mean():.2f}, "
            f"5-fold macro-F1 {curve[-1][2]:.3f} (all embedded {full:.3f})"
        )
    sentiment = cheapest(curve, full, args.tolerance)

    truth, fast_i, accurate_i, generic_fast, _ = out_of_fold_intents(args.cache, args.branch_oof)
    full_i = macro_f1_multilabel(truth, accurate_i)
    curve = []
    for margin in MARGINS:
        unsure = np.asarray((np.abs(generic_fast - INTENT_THRESHOLD) < margin).any(axis=1))
        cascaded = np.where(unsure[:, None], accurate_i, fast_i)
        curve.append((margin, float(unsure.mean()), macro_f1_multilabel(truth, cascaded)))
        print(
            f"intent margin < {margin:.2f}: embeds {unsure.mean():.2f}, "
            f"5-fold macro-F1 {curve[-1][2]:.3f} (all embedded {full_i:.3f})"
        )
    intents = cheapest(curve, full_i, args.tolerance)

    chosen = Cascade(sentiment_confidence=sentiment[0], intent_margin=intents[0])
    THRESHOLDS.write_text(json.dumps(chosen.to_json()) + "\n")
    report = {
        "cascade": chosen.to_json(),
        "sentiment_fr_train_cv": {
            "embedded": round(sentiment[1], 3),
            "macro_f1": round(sentiment[2], 4),
            "all_embedded_macro_f1": round(full, 4),
        },
        "intents_train_cv": {
            "embedded": round(intents[1], 3),
            "macro_f1": round(intents[2], 4),
            "all_embedded_macro_f1": round(full_i, 4),
        },
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
