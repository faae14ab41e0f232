"""Train the guard's learned risk model on the train split of data/guard/.

    .venv/bin/python scripts/train_guard.py [--cache DIR]

Multi-label sigmoid heads on the e5 vectors of each draft (guard_learned.py). The L2 weight,
the epochs and one threshold per risk are chosen by 5-fold cross-validation on the train
split, folds split by family (a template and its copies, or a hand-written draft), so no
family is ever on both sides. Each setting is scored on the drafts caught by the rules or
the model, a false alarm costing half a catch, false alarms kept under --max-false-alarms.
Writes src/veille/understand/models/guard_risk.npz and .json. Validation is never read here:
scripts/eval_guard.py reads it once, at the end.
"""

from __future__ import annotations

import os

# One BLAS thread: these small products run ten times faster than with threads fighting
# over the two cores (the encoder keeps its own ONNX Runtime threads).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

from veille.publish.guard import check
from veille.publish.guard_learned import CATEGORIES, MODEL, THRESHOLDS
from veille.understand.linear import LinearHead, fit

sys.path.insert(0, str(Path(__file__).parent))
from guard_data import Row, context_for, load, profiles
from train_sentiment import embed_cached

FOLDS = 5
# No threshold under 0.3: lower ones catch a few more labelled drafts but fire on any text
# unlike the training drafts (a run of letters, a bare list of prices).
GRID = tuple(round(0.05 * i, 2) for i in range(6, 20))  # 0.30 .. 0.95
SEVERE = {"medium", "high"}


def fold_of(row: Row) -> int:
    return zlib.crc32(row.family.encode()) % FOLDS


def targets(rows: list[Row]) -> np.ndarray:
    y = np.array([[float(c in r.categories) for c in CATEGORIES] for r in rows])
    y[:, CATEGORIES.index("crisis_promo")] = [float(r.promotional) for r in rows]
    return y


def train(x: np.ndarray, y: np.ndarray, l2: float, epochs: int) -> LinearHead:
    """Fit on standardised vectors (each dimension centred and scaled, so the L2 penalty
    weighs them alike), then fold the scaling into the head: it reads raw vectors."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    head = fit(
        lambda w: z @ w,
        lambda g: z.T @ g,
        z.shape[1],
        y,
        CATEGORIES,
        multilabel=True,
        l2=l2,
        epochs=epochs,
        learning_rate=0.02,
    )
    weights = head.weights / scale[:, None]
    bias = head.bias - mean @ weights
    return LinearHead(weights.astype(np.float32), bias.astype(np.float32), CATEGORIES, True)


def fires(probs: np.ndarray, thresholds: np.ndarray, crisis: np.ndarray) -> np.ndarray:
    """(n, k) which risks the model raises; promotion only counts during a crisis."""
    out = probs >= thresholds
    out[:, CATEGORIES.index("crisis_promo")] &= crisis
    return out  # type: ignore[no-any-return]


def rates(flagged: np.ndarray, risky: np.ndarray) -> tuple[float, float]:
    return float(flagged[risky].mean()), float(flagged[~risky].mean())


def gain(recall: float, false_alarms: float, ceiling: float) -> float:
    """What a setting is worth: a false alarm costs half a catch (there are about as many
    safe drafts as risky ones), and going over the ceiling costs ten."""
    return recall - 0.5 * false_alarms - 10 * max(0.0, false_alarms - ceiling)


def choose_thresholds(
    probs: np.ndarray, rules: np.ndarray, risky: np.ndarray, crisis: np.ndarray, ceiling: float
) -> tuple[np.ndarray, float, float]:
    """Coordinate ascent on `gain`, from thresholds that raise almost nothing."""
    thresholds = np.full(len(CATEGORIES), 0.95)

    def objective(t: np.ndarray) -> float:
        flagged = rules | fires(probs, t, crisis).any(axis=1)
        recall, false_alarms = rates(flagged, risky)
        return gain(recall, false_alarms, ceiling)

    best = objective(thresholds)
    for _ in range(4):
        for k in range(len(CATEGORIES)):
            for value in GRID:
                trial = thresholds.copy()
                trial[k] = value
                score = objective(trial)
                if score > best + 1e-9:
                    best, thresholds = score, trial
    flagged = rules | fires(probs, thresholds, crisis).any(axis=1)
    recall, false_alarms = rates(flagged, risky)
    return thresholds, recall, false_alarms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings in")
    parser.add_argument("--max-false-alarms", type=float, default=0.08)
    args = parser.parse_args()
    rows = load("train")
    known = profiles()
    texts = [r.text for r in rows]
    x = embed_cached(texts, args.cache, f"guard_train_{len(rows)}")
    y = targets(rows)
    risky = np.array([r.risky for r in rows])
    crisis = np.array([bool(r.context.get("open_crisis")) for r in rows])
    rules = np.array(
        [check(r.text, context=context_for(r, known, learned=False)).risk in SEVERE for r in rows]
    )
    folds = np.array([fold_of(r) for r in rows])
    print(
        f"train: {len(rows)} drafts, {risky.sum()} risky, {len(set(r.family for r in rows))} "
        f"families; rules alone catch {rules[risky].mean():.3f}, "
        f"false alarms {rules[~risky].mean():.3f}",
        flush=True,
    )
    best: tuple[float, float, int, np.ndarray, np.ndarray] | None = None
    for l2 in (0.03, 0.1, 0.3):
        for epochs in (300, 600):
            oof = np.zeros_like(y)
            for f in range(FOLDS):
                head = train(x[folds != f], y[folds != f], l2, epochs)
                oof[folds == f] = head.predict_dense(x[folds == f])
            thresholds, recall, false_alarms = choose_thresholds(
                oof, rules, risky, crisis, args.max_false_alarms
            )
            print(
                f"l2={l2} epochs={epochs}: 5-fold grouped CV recall {recall:.3f}, "
                f"false alarms {false_alarms:.3f}",
                flush=True,
            )
            score = gain(recall, false_alarms, args.max_false_alarms)
            if best is None or score > best[0]:
                best = (score, l2, epochs, thresholds, oof)
    assert best is not None
    _, l2, epochs, thresholds, oof = best
    head = train(x, y, l2, epochs)
    head.save(MODEL)
    per_category = {}
    flagged = fires(oof, thresholds, crisis)
    for k, name in enumerate(CATEGORIES):
        truth = y[:, k] > 0
        if name == "crisis_promo":
            truth &= crisis
        tp = int((flagged[:, k] & truth).sum())
        fp = int((flagged[:, k] & ~truth).sum())
        fn = int((~flagged[:, k] & truth).sum())
        per_category[name] = round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else None
    chosen = {name: float(t) for name, t in zip(CATEGORIES, thresholds, strict=True)}
    THRESHOLDS.write_text(
        json.dumps({"thresholds": chosen, "l2": l2, "epochs": epochs, "folds": FOLDS}, indent=1)
        + "\n",
        encoding="utf-8",
    )
    combined = rules | flagged.any(axis=1)
    recall, false_alarms = rates(combined, risky)
    print(
        json.dumps(
            {
                "chosen": {"l2": l2, "epochs": epochs, "thresholds": chosen},
                "cv_on_train": {
                    "recall": round(recall, 3),
                    "false_alarms": round(false_alarms, 3),
                    "model_f1_per_risk": per_category,
                },
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
