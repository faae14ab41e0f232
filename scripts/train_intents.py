"""Train the intent heads (fast and accurate), their blend and per-intent thresholds.

    .venv/bin/python scripts/train_intents.py [--cache DIR] [--without FILE]
        [--branch-oof BRANCH_CACHE/branch_oof_4_6_0.0001.npz]

Trains on every training file of data/intents/: train.jsonl, informal.jsonl (the informal
register), validation.jsonl and validation2.jsonl to validation5.jsonl (each read once for
the figures of an earlier round, training data since), trades.jsonl (fourteen other trades,
written in author blocks) and trades2.jsonl (twelve more, mostly the informal register).
--without FILE keeps that file's posts out of every training part but still scores them,
and writes nothing: it measures what they add.

--branch-oof reads the out-of-fold intents of the encoder's French branch
(scripts/train_branch.py, same posts, same folds) and chooses what share of the accurate
head its head takes on the rows it reads.

Every choice (L2, the blends, each intent's threshold) is made by 5-fold cross-validation on
those posts, folds split by business: every post read for one business, and its near-copies
anywhere (character 5-gram Jaccard >= 0.5, scripts/crossval.py), sit in one fold, so a
choice is rewarded only for what carries over to a trade it has not seen, which is what the
held-out set (validation6.jsonl, trades and towns that no training file shows) asks of it.
Thresholds are kept only if a nested cross-validation (chosen on four folds' out-of-fold
scores, applied to the fifth) says they help. Prints the chosen heads' cross-validated F1
per intent with 95 % bootstrap intervals (by author block and near-copy group). The
held-out set is not read here: scripts/eval_understand.py reads it, once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import cast

import numpy as np

from veille.understand.embeddings import embed
from veille.understand.features import DIM, featurize, sparse_dot, sparse_transpose_dot
from veille.understand.intents import (
    ACCURATE_HEAD,
    BLEND,
    FAST_HEAD,
    GENERIC,
    accurate_features,
    blend,
    calibrate,
    fast_ids,
    mixed,
)
from veille.understand.labelled import (
    DATA,
    EARLIER_HELD_OUT,
    INFORMAL,
    TRADES,
    TRADES2,
    LabelledPost,
    intent_matrix,
    load_posts,
    load_profiles,
)
from veille.understand.leads import lead_factor
from veille.understand.linear import LinearHead, fit
from veille.understand.types import INTENT_THRESHOLD, INTENTS

sys.path.insert(0, str(Path(__file__).parent))
from crossval import FOLDS, balanced_folds, merged_groups, show_multilabel_f1

TRAINING = ("train.jsonl", INFORMAL, "validation.jsonl", TRADES, *EARLIER_HELD_OUT, TRADES2)
TUNED_WEIGHTS = (0.0, 0.3, 0.5, 0.7, 1.0)
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
UNCHANGED = np.full(len(GENERIC), INTENT_THRESHOLD)
EPOCHS = 1000
# (L2, weigh rare intents up) tried for each head. The fast head's grid is the best two of
# (1e-4, 3e-5, 1e-5, 3e-6) in an earlier run of this cross-validation (0.730, 0.747, 0.747,
# 0.742): each of its fits costs a minute on 2 shared cores.
FAST_GRID = ((3e-5, False), (1e-5, False), (1e-5, True))
ACCURATE_GRID = tuple((l2, w) for l2 in (1e-5, 3e-6, 1e-6) for w in (False, True))

Trainer = Callable[[np.ndarray, float, bool], LinearHead]  # rows, l2, weigh rare intents up
Scorer = Callable[[LinearHead, np.ndarray], np.ndarray]  # head, rows -> probabilities


def targets(posts: list[LabelledPost]) -> np.ndarray:
    return np.array(
        [[float(p.seeks if g == "seeks" else g in p.intents) for g in GENERIC] for p in posts]
    )


def final_matrix(generic: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """intents.finish as one matrix in INTENTS order: lead = seeks x factor, other = the rest."""
    named = generic.copy()
    named[:, GENERIC.index("seeks")] *= factors
    by_name = dict(zip(GENERIC, named.T, strict=True))
    by_name["lead"] = by_name.pop("seeks")
    scores = np.stack([by_name[n] for n in INTENTS if n != "other"], axis=1)
    other = 1.0 - scores.max(axis=1)
    return np.insert(scores, INTENTS.index("other"), other, axis=1)


def final_scores(posts: list[LabelledPost], generic: np.ndarray) -> np.ndarray:
    profiles = load_profiles()
    factors = np.array([lead_factor(p.text, profiles[p.business]) for p in posts])
    return final_matrix(generic, factors)


def macro_f1_multilabel(truth: np.ndarray, probs: np.ndarray) -> float:
    pred = probs >= INTENT_THRESHOLD
    t = truth > 0
    tp, fp, fn = (pred & t).sum(0), (pred & ~t).sum(0), (~pred & t).sum(0)
    denominator = 2 * tp + fp + fn
    return float(np.mean(np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 1.0)))


def choose_thresholds(truth: np.ndarray, generic: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Per generic intent, the threshold with the best macro-F1 (two coordinate passes)."""
    chosen = UNCHANGED.copy()
    for _ in range(2):
        for k in range(len(GENERIC)):
            best = (-1.0, INTENT_THRESHOLD)
            for t in THRESHOLDS:
                trial = chosen.copy()
                trial[k] = t
                f1 = macro_f1_multilabel(truth, final_matrix(calibrate(generic, trial), factors))
                # Ties keep the value nearest 0.5: no shift without a gain.
                if f1 > best[0] + 1e-9 or (
                    abs(f1 - best[0]) <= 1e-9 and abs(t - 0.5) < abs(best[1] - 0.5)
                ):
                    best = (f1, t)
            chosen[k] = best[1]
    return chosen


def nested_thresholds(
    truth: np.ndarray, generic: np.ndarray, factors: np.ndarray, folds: np.ndarray
) -> np.ndarray:
    """Out-of-fold scores calibrated with thresholds chosen on the other folds only."""
    out = np.zeros_like(generic)
    for f in range(FOLDS):
        fit_rows, held = folds != f, folds == f
        at = choose_thresholds(truth[fit_rows], generic[fit_rows], factors[fit_rows])
        out[held] = calibrate(generic[held], at)
    return out


def choose(
    y: np.ndarray,
    truth: np.ndarray,
    factors: np.ndarray,
    folds: np.ndarray,
    train: Trainer,
    score: Scorer,
    name: str,
    trainable: np.ndarray,
    grid: tuple[tuple[float, bool], ...],
) -> tuple[float, bool, np.ndarray]:
    """(l2, weighted) with the best 5-fold cross-validated macro-F1, and that choice's
    out-of-fold generic probabilities (before the profile)."""
    best: tuple[float, float, bool, np.ndarray] | None = None
    for l2, weighted in grid:
        generic = np.zeros_like(y)
        for f in range(FOLDS):
            head = train(np.flatnonzero((folds != f) & trainable), l2, weighted)
            generic[folds == f] = score(head, np.flatnonzero(folds == f))
        cv = macro_f1_multilabel(truth, final_matrix(generic, factors))
        print(f"{name} l2={l2} weighted={weighted}: 5-fold macro-F1 {cv:.3f}", flush=True)
        if best is None or cv > best[0]:
            best = (cv, l2, weighted, generic)
    assert best is not None
    return best[1], best[2], best[3]


def embed_cached(texts: list[str], cache: Path | None) -> np.ndarray:
    path = cache / "intents_training.npz" if cache else None
    if path and path.exists():
        saved = np.load(path, allow_pickle=False)
        if list(saved["texts"]) == texts:
            return np.asarray(saved["vectors"])
    vectors = embed(texts)
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, texts=np.array(texts), vectors=vectors)
    return vectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings in")
    parser.add_argument(
        "--without",
        choices=TRAINING[1:],
        default=None,
        help="measure only: train without this file's posts, score them all the same",
    )
    parser.add_argument(
        "--branch-oof",
        type=Path,
        default=None,
        help="the French branch's out-of-fold file (scripts/train_branch.py's cache)",
    )
    args = parser.parse_args()
    if args.branch_oof and args.without:
        parser.error("--without measures heads trained without a file; the branch saw them all")
    posts: list[LabelledPost] = []
    source: list[str] = []
    for name in TRAINING:
        more = load_posts(DATA / name)
        posts += more
        source += [name] * len(more)
    sources = np.array(source)
    trainable = sources != args.without
    texts = [p.text for p in posts]
    y = targets(posts)
    truth = intent_matrix(posts)
    profiles = load_profiles()
    factors = np.array([lead_factor(p.text, profiles[p.business]) for p in posts])
    folds = balanced_folds(merged_groups(texts, [p.business for p in posts]))
    groups = merged_groups(texts, [p.author for p in posts])
    print(f"{len(posts)} posts, {len({p.business for p in posts})} businesses, folds of", end="")
    print(f" {np.bincount(folds).tolist()} posts", flush=True)
    write = args.without is None
    report: dict[str, object] = {}

    csr_all = featurize(texts, fast_ids)

    def rows_of(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return featurize([texts[i] for i in idx], fast_ids)

    # Rare intents (job, crisis) weigh up to as much as the common ones, tempered by a root.
    positives = np.maximum(y.sum(axis=0), 1.0)
    rare_up = np.sqrt((len(y) - positives) / positives)

    def train_fast(idx: np.ndarray, l2: float, weighted: bool) -> LinearHead:
        csr = rows_of(idx) if len(idx) < len(texts) else csr_all
        return fit(
            lambda w: sparse_dot(csr, w),
            lambda g: sparse_transpose_dot(csr, g),
            DIM,
            y[idx],
            GENERIC,
            multilabel=True,
            l2=l2,
            epochs=EPOCHS,
            learning_rate=0.05,
            class_weights=rare_up if weighted else None,
        )

    def score_fast(head: LinearHead, idx: np.ndarray) -> np.ndarray:
        return head.scores(sparse_dot(rows_of(idx), head.weights))

    emb = accurate_features(texts, embed_cached(texts, args.cache))

    def train_accurate(idx: np.ndarray, l2: float, weighted: bool) -> LinearHead:
        x = emb[idx]
        return fit(
            lambda w: x @ w,
            lambda g: x.T @ g,
            x.shape[1],
            y[idx],
            GENERIC,
            multilabel=True,
            l2=l2,
            epochs=EPOCHS,
            learning_rate=0.02,
            class_weights=rare_up if weighted else None,
        )

    def score_accurate(head: LinearHead, idx: np.ndarray) -> np.ndarray:
        return head.predict_dense(emb[idx])

    everything = np.arange(len(posts))
    oof: dict[str, np.ndarray] = {}
    for name, train, scorer, path, grid in (
        ("fast", train_fast, score_fast, FAST_HEAD, FAST_GRID),
        ("accurate", train_accurate, score_accurate, ACCURATE_HEAD, ACCURATE_GRID),
    ):
        l2, weighted, oof[name] = choose(
            y, truth, factors, folds, train, scorer, name, trainable, grid
        )
        if write:
            train(everything, l2, weighted).save(path)
        report[name] = {"l2": l2, "weighted": weighted, "epochs": EPOCHS}

    def keep_if_nested_gain(name: str, generic: np.ndarray) -> np.ndarray:
        plain = macro_f1_multilabel(truth, final_matrix(generic, factors))
        nested = macro_f1_multilabel(
            truth, final_matrix(nested_thresholds(truth, generic, factors, folds), factors)
        )
        at = choose_thresholds(truth, generic, factors)
        print(
            f"{name} thresholds {dict(zip(GENERIC, at.tolist(), strict=True))}: "
            f"5-fold macro-F1 at 0.5 {plain:.3f}, nested with chosen thresholds {nested:.3f}"
        )
        return at if nested > plain else UNCHANGED.copy()

    fast_at = keep_if_nested_gain("fast", oof["fast"])
    fast = calibrate(oof["fast"], fast_at)
    # The accurate tier blends its embedding head with the (calibrated) fast head, as
    # sentiment does: character n-grams read SMS spelling that the embedding may miss. On
    # the rows the French branch reads, its intents head takes `tuned` of the embedding head's
    # share.
    tuned_oof = np.zeros_like(y)
    if args.branch_oof:
        with np.load(args.branch_oof) as saved:
            tuned_oof = saved["intents"]
        if tuned_oof.shape != y.shape:
            raise SystemExit(f"{args.branch_oof}: intents for {tuned_oof.shape}, posts {y.shape}")
    weights = (1.0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3)
    tried = {
        (t, w): macro_f1_multilabel(
            truth,
            final_matrix(blend(fast, mixed(oof["accurate"], tuned_oof, t), w, UNCHANGED), factors),
        )
        for t in (TUNED_WEIGHTS if args.branch_oof else (0.0,))
        for w in weights
    }
    tuned, weight = max(tried, key=lambda k: (tried[k], -k[0]))
    for (t, w), f1 in tried.items():
        print(f"accurate blend: branch head {t}, embedding share {w}: 5-fold macro-F1 {f1:.3f}")
    accurate_oof = mixed(oof["accurate"], tuned_oof, tuned)
    accurate_at = keep_if_nested_gain("accurate", blend(fast, accurate_oof, weight, UNCHANGED))
    if write:
        chosen = {
            "embedding_weight": weight,
            "tuned_weight": tuned,
            "fast_thresholds": dict(zip(GENERIC, fast_at.tolist(), strict=True)),
            "accurate_thresholds": dict(zip(GENERIC, accurate_at.tolist(), strict=True)),
        }
        BLEND.write_text(json.dumps(chosen) + "\n")
    chosen_head = cast(dict[str, object], report["accurate"])
    report["accurate"] = {**chosen_head, "embedding_weight": weight, "tuned": tuned}
    for name, generic in (
        ("fast", fast),
        ("accurate", blend(fast, accurate_oof, weight, accurate_at)),
    ):
        scores = final_matrix(generic, factors)
        for subset, rows in (
            ("training", everything),
            *((f"{n}", np.flatnonzero(sources == n)) for n in TRAINING),
        ):
            show_multilabel_f1(
                f"intents {name}, 5-fold CV by business, {subset} posts ({len(rows)})",
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
