"""Measures the guard on the labelled drafts of data/guard/ and prints JSON.

    .venv/bin/python scripts/eval_guard.py                  # held-out set, read once at the end
    .venv/bin/python scripts/eval_guard.py --split pool --errors   # the training pool (in-sample)

recall: share of risky drafts whose risk is medium or high; false_alarms: share of safe drafts
whose risk is medium or high (also on the safe drafts that look risky, `tricky`); per risk
category: recall (a labelled draft gets a flag of a kind that covers it, at medium or above)
and F1. Each figure comes with a 95 % interval from 1,000 bootstrap resamples of whole
families (a template and its copies move together). `--rules-only` leaves the learned model
out, to see what it adds. Tune lexicons and the model on the pool only (train_guard.py
prints its cross-validated figures).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from veille.publish.guard import GuardReport, check
from veille.publish.guard_learned import CATEGORIES

sys.path.insert(0, str(Path(__file__).parent))
from guard_data import CAUGHT_BY, SPLITS, Row, context_for, load, profiles

AT_LEAST_MEDIUM = {"medium", "high"}
RESAMPLES = 1000


def serious_kinds(report: GuardReport) -> set[str]:
    return {flag.kind for flag in report.flags if flag.severity in AT_LEAST_MEDIUM}


def interval(
    families: np.ndarray, statistic: Callable[[np.ndarray], float | None]
) -> list[float] | None:
    """95 % percentile interval of `statistic` over bootstrap resamples of whole families."""
    names = np.unique(families)
    members = {name: np.flatnonzero(families == name) for name in names}
    rng = np.random.default_rng(0)
    values = []
    for _ in range(RESAMPLES):
        drawn = rng.choice(names, size=len(names), replace=True)
        rows = np.concatenate([members[name] for name in drawn])
        value = statistic(rows)
        if value is not None:
            values.append(value)
    if not values:
        return None
    low, high = np.percentile(values, [2.5, 97.5])
    return [round(float(low), 3), round(float(high), 3)]


def share(mask: np.ndarray, among: np.ndarray) -> Callable[[np.ndarray], float | None]:
    def statistic(rows: np.ndarray) -> float | None:
        chosen = among[rows]
        return float(mask[rows][chosen].mean()) if chosen.any() else None

    return statistic


def f1(flagged: np.ndarray, truth: np.ndarray) -> Callable[[np.ndarray], float | None]:
    def statistic(rows: np.ndarray) -> float | None:
        f, t = flagged[rows], truth[rows]
        tp, fp, fn = int((f & t).sum()), int((f & ~t).sum()), int((~f & t).sum())
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None

    return statistic


def figure(statistic: Callable[[np.ndarray], float | None], families: np.ndarray) -> dict[str, Any]:
    value = statistic(np.arange(len(families)))
    return {
        "value": None if value is None else round(value, 3),
        "ci95": interval(families, statistic),
    }


def evaluate(split: str, show_errors: bool, learned: bool) -> dict[str, Any]:
    known = profiles()
    rows: list[Row] = load(split)
    reports = [check(r.text, context=context_for(r, known, learned=learned)) for r in rows]
    kinds = [serious_kinds(report) for report in reports]
    flagged = np.array([report.risk in AT_LEAST_MEDIUM for report in reports])
    risky = np.array([r.risky for r in rows])
    tricky = np.array([r.tricky for r in rows])
    families = np.array([r.family for r in rows])
    result: dict[str, Any] = {
        "split": split,
        "learned_model": learned,
        "drafts": len(rows),
        "risky": int(risky.sum()),
        "safe": int((~risky).sum()),
        "safe_that_look_risky": int(tricky.sum()),
        "families": len(set(families.tolist())),
        "recall": figure(share(flagged, risky), families),
        "false_alarms": figure(share(flagged, ~risky), families),
        "false_alarms_on_tricky_safe": figure(share(flagged, tricky), families),
        "per_category": {},
    }
    for category in CATEGORIES:
        truth = np.array([category in r.categories for r in rows])
        if not truth.any():
            continue
        caught = np.array([bool(k & CAUGHT_BY[category]) for k in kinds])
        result["per_category"][category] = {
            "drafts": int(truth.sum()),
            "recall": figure(share(caught, truth), families),
            "f1": figure(f1(caught, truth), families),
        }
    if show_errors:
        result["errors"] = [
            {
                "id": r.id,
                "risky": r.risky,
                "expected": list(r.categories),
                "got": sorted(k),
                "text": r.text,
            }
            for r, k, f in zip(rows, kinds, flagged, strict=True)
            if f != r.risky or (r.risky and not all(k & CAUGHT_BY[c] for c in r.categories))
        ]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--split", choices=SPLITS, default="heldout7")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    parser.add_argument("--rules-only", action="store_true", help="leave the learned model out")
    args = parser.parse_args(argv)
    result = evaluate(args.split, args.errors, learned=not args.rules_only)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
