"""Quality of every classifier on its validation data: per-class F1 with intervals, macro-F1,
confusion matrices, and (--demo) the demo's accuracy against its ground truth.

    .venv/bin/python scripts/eval_understand.py [--data ../shared/data/xlmt-sentiment] [--demo]
    .venv/bin/python scripts/eval_understand.py --demo-only   # the demo's per-class F1 alone
    .venv/bin/python scripts/eval_understand.py --held-out-only  # the small-business posts alone

Language id: accuracy on the FR and EN validation tweets. Sentiment: both tiers on the FR
(target) and EN validation splits, and on the small-business posts of
data/intents/validation2.jsonl (trades that no training file shows; validation.jsonl, read
once for an earlier change, is training data now). Intents: both tiers on those posts, each
read with its business's profile. Every figure has a 95 % interval from 1,000 bootstrap
resamples (tweets one by one; small-business posts by author block and near-copy group; the
demo's posts with their copies).
No choice is made on the validation splits: the training scripts choose by cross-validation
on train and only print these figures once, at the end. Ends with one JSON line of figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

from veille.understand import Analyzer, Tier, detect_language
from veille.understand.analyzer import Counts
from veille.understand.labelled import (
    DATA,
    HELD_OUT,
    READ_HELD_OUT,
    intent_matrix,
    load_posts,
    load_profiles,
    sentiment_labels,
)
from veille.understand.metrics import bootstrap_interval, confusion
from veille.understand.types import INTENT_THRESHOLD, INTENTS, SENTIMENT_LABELS

sys.path.insert(0, str(Path(__file__).parent))
from crossval import ci, merged_groups, show_f1, show_multilabel_f1
from train_sentiment import DEFAULT_DATA, load_split

TIERS: tuple[Tier, ...] = ("fast", "accurate")


def show_matrix(title: str, labels: tuple[str, ...], matrix: np.ndarray) -> None:
    width = max(len(label) for label in labels) + 2
    print(f"  {title} (rows: truth, columns: predicted)")
    print(" " * (width + 2) + "".join(f"{label[:9]:>10}" for label in labels))
    for label, row in zip(labels, matrix, strict=True):
        print(f"  {label:<{width}}" + "".join(f"{v:>10}" for v in row))


def evaluate_sentiment(data: Path, figures: dict[str, object]) -> None:
    analyzer = Analyzer()
    for lang in ("fr", "en"):
        texts, truth = load_split(data, lang, "val")
        for tier in TIERS:
            results = analyzer.analyze(texts, tier=tier)
            predicted = np.array([SENTIMENT_LABELS.index(r.sentiment.label) for r in results])
            show_f1(
                f"sentiment {tier} tier, {lang} val ({len(texts)} tweets)",
                SENTIMENT_LABELS,
                truth,
                predicted,
                None,
                figures,
                f"sentiment_{tier}_{lang}_val_macro_f1",
            )
            if tier == "accurate":
                # The cascade as shipped: the share of these posts the accurate tier embedded.
                share = analyzer.counts.embedded / len(texts)
                figures[f"accurate_{lang}_val_embedded_fraction"] = round(share, 3)
                print(f"  embedded by the cascade: {share:.2f} of the posts")
                analyzer.counts = Counts()
            show_matrix("confusion", SENTIMENT_LABELS, confusion(truth, predicted, 3))


def evaluate_language(data: Path, figures: dict[str, object]) -> None:
    for lang in ("fr", "en"):
        texts, _ = load_split(data, lang, "val")
        found = [detect_language(t) for t in texts]
        right = np.array([f == lang for f in found], dtype=float)
        accuracy = float(right.mean())
        low, high = bootstrap_interval(lambda r, right=right: float(right[r].mean()), len(right))
        figures[f"language_{lang}_val_accuracy"] = round(accuracy, 4)
        figures[f"language_{lang}_val_accuracy_ci95"] = ci((low, high))
        others = sorted({f for f in found if f != lang})
        print(
            f"language id, {lang} val tweets: accuracy {accuracy:.3f} [{low:.3f}, {high:.3f}]"
            f" (also said: {others})"
        )


def evaluate_intents(figures: dict[str, object], held_out: str) -> None:
    posts = load_posts(DATA / held_out)
    profiles = load_profiles()
    truth = intent_matrix(posts) > 0
    feeling = sentiment_labels(posts)
    groups = merged_groups([p.text for p in posts], [p.author for p in posts])
    for tier in TIERS:
        predicted = np.zeros_like(truth)
        felt = np.zeros_like(feeling)
        for business, profile in profiles.items():
            idx = [i for i, p in enumerate(posts) if p.business == business]
            texts = [posts[i].text for i in idx]
            results = Analyzer(profile).analyze(texts, tier=tier)
            for i, r in zip(idx, results, strict=True):
                predicted[i] = [r.intents[name] >= INTENT_THRESHOLD for name in INTENTS]
                felt[i] = SENTIMENT_LABELS.index(r.sentiment.label)
        show_f1(
            f"sentiment {tier} tier, small-business posts ({len(posts)})",
            SENTIMENT_LABELS,
            feeling,
            felt,
            groups,
            figures,
            f"sentiment_{tier}_domain_held_out_macro_f1",
        )
        show_matrix("confusion", SENTIMENT_LABELS, confusion(feeling, felt, 3))
        show_multilabel_f1(
            f"intents {tier} tier, held-out trades ({len(posts)} posts)",
            INTENTS,
            truth,
            predicted,
            groups,
            figures,
            f"intents_{tier}_held_out_macro_f1",
        )


def evaluate_demo(figures: dict[str, object]) -> None:
    """Build the demo (seed 7) in a temporary folder and score it against its ground truth."""
    from rich.console import Console

    from veille.config import Settings
    from veille.demo.accuracy import measure
    from veille.demo.run import build_demo, demo_settings

    with tempfile.TemporaryDirectory() as folder:
        settings = demo_settings(Settings(data_dir=Path(folder)))
        result = build_demo(settings, seed=7, console=Console(stderr=True, quiet=True))
        texts = [str(post["text"]) for post in result.stream.posts]
        print("demo (seed 7), against its ground truth:")
        for score in measure(result.db, result.stream.labels, texts):
            print(
                f"  {score.name:<45} {score.metric:<9} {score.value:.3f}"
                f" [{score.low:.3f}, {score.high:.3f}]  (n={score.support})"
            )
            figures[f"demo {score.name}"] = round(score.value, 4)
            figures[f"demo {score.name} ci95"] = ci((score.low, score.high))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--demo", action="store_true", help="also score the demo's stream")
    parser.add_argument("--demo-only", action="store_true", help="only score the demo's stream")
    parser.add_argument(
        "--held-out-only", action="store_true", help="only the small-business posts (HELD_OUT)"
    )
    parser.add_argument(
        "--held-out",
        default=HELD_OUT,
        help=f"which held-out file of data/intents (default {HELD_OUT}; read ones: "
        f"{', '.join(READ_HELD_OUT)})",
    )
    args = parser.parse_args()
    figures: dict[str, object] = {}
    if not args.demo_only:
        if not args.held_out_only:
            evaluate_language(args.data, figures)
            evaluate_sentiment(args.data, figures)
        evaluate_intents(figures, args.held_out)
    if args.demo or args.demo_only:
        evaluate_demo(figures)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
