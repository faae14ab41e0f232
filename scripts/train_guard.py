"""Train the guard's learned risk model on the pool of data/guard/.

    .venv/bin/python scripts/train_guard.py [--cache DIR] [--cues none|signs|all] [--l2 ...]
        [--branch-oof BRANCH_CACHE/guard_tuned_oof_6_4_0.0001_SIZE.npy]

Multi-label sigmoid heads on e5 vectors (guard_learned.features: the draft's vector and the
maximum of its sentences' vectors) and, with --cues, the cues of guard_cues (`signs`: a
named business, a fault word, praise and a setback, an amount next to a name...; `all`: the
rule kinds too). The L2 weight and one threshold per risk are chosen by 5-fold
cross-validation on the pool, folds split by family (a template and its copies, an author's
block of drafts, or a hand-written draft), so near-copies are never on both sides. Each
setting is scored on the drafts caught by the rules or the model, a false alarm costing half
a catch, false alarms kept under --max-false-alarms. Prints the cross-validated figures with
family-bootstrap intervals and writes src/veille/understand/models/guard_risk.npz and .json.
With --branch-oof (scripts/train_guard_branch.py's out-of-fold risks, same folds), the share
of the guard branch's head is chosen the same way. The held-out set is never read here:
scripts/eval_guard.py reads it once, at the end. Embeddings are kept by text in --cache, so
adding drafts embeds only those.
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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from veille.publish.guard import rule_findings, settled
from veille.publish.guard_cues import CUE_NAMES, SIGNS, cues
from veille.publish.guard_learned import (
    CATEGORIES,
    MODEL,
    RISKS,
    THRESHOLDS,
    features,
    sentence_spans,
)
from veille.publish.guard_rules import Draft
from veille.publish.guard_text import fold
from veille.understand.embeddings import embed
from veille.understand.linear import LinearHead, fit
from veille.understand.mlp import MlpHead, fit_mlp

sys.path.insert(0, str(Path(__file__).parent))
from eval_guard import AT_LEAST_MEDIUM, figure, share
from guard_data import CAUGHT_BY, Row, context_for, load, profiles

FOLDS = 5
# No threshold under 0.15: lower ones fire on any text unlike the training drafts.
GRID = tuple(round(0.05 * i, 2) for i in range(3, 20))  # 0.15 .. 0.95
L2_GRID = (0.1, 0.3, 1.0)
# The branch head's shares tried against the head alone (share 0).
BRANCH_SHARES = (0.3, 0.5, 0.7, 1.0)
EPOCHS = 300
# The one-hidden-layer heads compared with the linear ones: (hidden units, L2, epochs).
MLP_GRID = ((64, 0.01, 40), (64, 0.03, 40), (128, 0.01, 40))


@dataclass(frozen=True)
class Setting:
    """One candidate head: linear (hidden 0) or one hidden layer, with its L2 and epochs."""

    l2: float
    epochs: int
    hidden: int = 0

    def train(self, x: np.ndarray, y: np.ndarray) -> LinearHead | MlpHead:
        if not self.hidden:
            return train(x, y, self.l2, self.epochs)
        return fit_mlp(x, y, CATEGORIES, hidden=self.hidden, l2=self.l2, epochs=self.epochs)

    def described(self) -> dict[str, object]:
        kind = "mlp" if self.hidden else "linear"
        return {"head": kind, "l2": self.l2, "epochs": self.epochs, "hidden": self.hidden}

    def __str__(self) -> str:
        shape = f"mlp hidden={self.hidden}" if self.hidden else "linear"
        return f"{shape} l2={self.l2} epochs={self.epochs}"


def settings(l2s: list[float], heads: str) -> list[Setting]:
    linear = [Setting(l2, EPOCHS) for l2 in l2s] if heads in ("linear", "both") else []
    mlp = [Setting(l2, e, h) for h, l2, e in MLP_GRID] if heads in ("mlp", "both") else []
    return linear + mlp


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


def fires(
    probs: np.ndarray, thresholds: np.ndarray, crisis: np.ndarray, quiet: np.ndarray
) -> np.ndarray:
    """(n, k) which risks the model raises; promotion only counts during a crisis, and not a
    risk the rules have settled (`quiet`, guard.settled)."""
    out = (probs >= thresholds) & ~quiet
    out[:, CATEGORIES.index("crisis_promo")] &= crisis
    return out  # type: ignore[no-any-return]


def rates(flagged: np.ndarray, risky: np.ndarray) -> tuple[float, float]:
    return float(flagged[risky].mean()), float(flagged[~risky].mean())


def gain(recall: float, false_alarms: float, ceiling: float) -> float:
    """What a setting is worth: a false alarm costs half a catch (there are about as many
    safe drafts as risky ones), and going over the ceiling costs ten."""
    return recall - 0.5 * false_alarms - 10 * max(0.0, false_alarms - ceiling)


def choose_thresholds(
    probs: np.ndarray,
    rules: np.ndarray,
    risky: np.ndarray,
    crisis: np.ndarray,
    quiet: np.ndarray,
    ceiling: float,
) -> tuple[np.ndarray, float, float]:
    """Coordinate ascent on `gain`, from thresholds that raise almost nothing."""
    thresholds = np.full(len(CATEGORIES), 0.95)

    def objective(t: np.ndarray) -> float:
        flagged = rules | fires(probs, t, crisis, quiet).any(axis=1)
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
    flagged = rules | fires(probs, thresholds, crisis, quiet).any(axis=1)
    recall, false_alarms = rates(flagged, risky)
    return thresholds, recall, false_alarms


def embed_by_text(texts: list[str], cache: Path | None) -> np.ndarray:
    """e5 vectors of `texts`, kept in `cache` by text: adding drafts embeds only the new ones."""
    path = cache / "guard_vectors.npz" if cache else None
    known: dict[str, np.ndarray] = {}
    if path and path.exists():
        stored = np.load(path)
        known = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
    missing = sorted(set(texts) - set(known))
    if missing:
        known.update(zip(missing, embed(missing), strict=True))
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            names = list(known)
            # Written aside, then renamed: a reader never sees a half-written cache.
            partial = path.with_name("guard_vectors.partial.npz")
            np.savez(partial, texts=np.array(names), vectors=np.stack([known[t] for t in names]))
            partial.replace(path)
    return np.stack([known[t] for t in texts])


def draft_features(
    rows: list[Row], cache: Path | None, seen: list[np.ndarray] | None
) -> np.ndarray:
    """guard_learned.features for every draft, from cached e5 vectors (and `seen` cues)."""
    texts = [r.text for r in rows]
    spans = [sentence_spans(t) for t in texts]
    pieces = [t[a:b] for t, found in zip(texts, spans, strict=True) for a, b in found]
    drafts = embed_by_text(texts, cache)
    sentences = embed_by_text(pieces, cache)
    out, at = [], 0
    for i, found in enumerate(spans):
        cue = seen[i] if seen is not None else None
        out.append(features(drafts[i], sentences[at : at + len(found)], cue))
        at += len(found)
    return np.stack(out)


def rule_view(rows: list[Row]) -> tuple[list[set[str]], list[np.ndarray], np.ndarray]:
    """Per draft, the rule kinds raised at medium or above, its cues (guard_cues), and which
    risks the rules have settled (guard.settled: the model's flag would not be raised)."""
    known = profiles()
    kinds, seen, quiet = [], [], []
    for r in rows:
        draft = Draft(r.text, fold(r.text), context_for(r, known, learned=False))
        found = rule_findings(draft) if r.text.strip() else []
        kinds.append({f.kind for f in found if f.severity in AT_LEAST_MEDIUM})
        seen.append(cues(draft, [(f.kind, f.severity) for f in found]))
        quiet.append([settled(category, draft, found) for category in CATEGORIES])
    return kinds, seen, np.array(quiet)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings in")
    parser.add_argument("--max-false-alarms", type=float, default=0.08)
    parser.add_argument(
        "--cues",
        choices=("none", "signs", "all"),
        default="signs",
        help="cues read beside the vectors: none, the signs only, or the rule kinds too",
    )
    parser.add_argument("--l2", type=float, nargs="+", default=list(L2_GRID))
    parser.add_argument(
        "--heads",
        choices=("linear", "mlp", "both"),
        default="both",
        help="which kinds of head cross-validation compares",
    )
    parser.add_argument(
        "--branch-oof",
        type=Path,
        default=None,
        help="the guard branch's out-of-fold risks (scripts/train_guard_branch.py's cache)",
    )
    args = parser.parse_args()
    rows = load("pool")
    kinds, seen, quiet = rule_view(rows)
    count = {"none": 0, "signs": len(SIGNS), "all": len(CUE_NAMES)}[args.cues]
    x = draft_features(rows, args.cache, [c[len(c) - count :] for c in seen] if count else None)
    y = targets(rows)
    risky = np.array([r.risky for r in rows])
    tricky = np.array([r.tricky for r in rows])
    crisis = np.array([bool(r.context.get("open_crisis")) for r in rows])
    rules = np.array([bool(k) for k in kinds])
    folds = np.array([fold_of(r) for r in rows])
    families = np.array([r.family for r in rows])
    print(
        f"pool: {len(rows)} drafts, {risky.sum()} risky, {tricky.sum()} safe that look risky, "
        f"{len(set(families.tolist()))} families; rules alone catch {rules[risky].mean():.3f}, "
        f"false alarms {rules[~risky].mean():.3f}",
        flush=True,
    )
    best: tuple[float, Setting, np.ndarray, np.ndarray] | None = None
    for setting in settings(args.l2, args.heads):
        oof = np.zeros_like(y)
        for f in range(FOLDS):
            head = setting.train(x[folds != f], y[folds != f])
            oof[folds == f] = head.predict_dense(x[folds == f])
        thresholds, recall, false_alarms = choose_thresholds(
            oof, rules, risky, crisis, quiet, args.max_false_alarms
        )
        print(
            f"{setting}: 5-fold grouped CV recall {recall:.3f}, false alarms {false_alarms:.3f}",
            flush=True,
        )
        score = gain(recall, false_alarms, args.max_false_alarms)
        if best is None or score > best[0]:
            best = (score, setting, thresholds, oof)
    assert best is not None
    score, setting, thresholds, oof = best
    branch = 0.0
    if args.branch_oof:
        tuned = np.load(args.branch_oof)
        if tuned.shape != y.shape:
            raise SystemExit(f"{args.branch_oof}: risks for {tuned.shape}, the pool {y.shape}")
        head_oof = oof
        for branch_share in BRANCH_SHARES:
            mixed = (1 - branch_share) * head_oof + branch_share * tuned
            found, recall, false_alarms = choose_thresholds(
                mixed, rules, risky, crisis, quiet, args.max_false_alarms
            )
            print(
                f"{setting} with the branch's head at {branch_share}: 5-fold grouped CV recall "
                f"{recall:.3f}, false alarms {false_alarms:.3f}",
                flush=True,
            )
            if gain(recall, false_alarms, args.max_false_alarms) > score:
                score = gain(recall, false_alarms, args.max_false_alarms)
                branch, thresholds, oof = branch_share, found, mixed
    setting.train(x, y).save(MODEL)
    chosen = {name: float(t) for name, t in zip(CATEGORIES, thresholds, strict=True)}
    described = {**setting.described(), "folds": FOLDS, "cues": count, "tuned_share": branch}
    THRESHOLDS.write_text(
        json.dumps({"thresholds": chosen, **described}, indent=1) + "\n", encoding="utf-8"
    )
    fired = fires(oof, thresholds, crisis, quiet)
    flagged = rules | fired.any(axis=1)
    per_category = {}
    for k, name in enumerate(CATEGORIES):
        truth = np.array([name in r.categories for r in rows])
        if name == "crisis_promo":
            truth &= crisis
        caught = np.array([bool(kinds[i] & CAUGHT_BY[name]) for i in range(len(rows))]) | (
            fired[:, k] & (RISKS[name][0] in CAUGHT_BY[name])
        )
        per_category[name] = {
            "drafts": int(truth.sum()),
            "recall": figure(share(caught, truth), families),
        }
    print(
        json.dumps(
            {
                "chosen": {**described, "thresholds": chosen},
                "cv_on_pool": {
                    "note": "out-of-fold model scores, thresholds chosen on them",
                    "recall": figure(share(flagged, risky), families),
                    "false_alarms": figure(share(flagged, ~risky), families),
                    "false_alarms_on_tricky_safe": figure(share(flagged, tricky), families),
                    "rules_only_recall": figure(share(rules, risky), families),
                    "rules_only_false_alarms": figure(share(rules, ~risky), families),
                    "per_category_recall": per_category,
                },
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
