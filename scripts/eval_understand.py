"""Quality of every classifier on its validation data: macro-F1 and confusion matrices.

    .venv/bin/python scripts/eval_understand.py [--data ../shared/data/xlmt-sentiment]

Language id: accuracy on the FR and EN validation tweets. Sentiment: both tiers on the FR
(target) and EN validation splits, and on the small-business posts of
data/intents/validation.jsonl. Intents: both tiers on those posts, each read with its
business's profile. Ends with one JSON line of all the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from veille.understand import Analyzer, Tier, detect_language
from veille.understand.analyzer import Counts
from veille.understand.labelled import (
    DATA,
    intent_matrix,
    load_posts,
    load_profiles,
    sentiment_labels,
)
from veille.understand.metrics import confusion, f1_per_class, macro_f1
from veille.understand.types import INTENT_THRESHOLD, INTENTS, SENTIMENT_LABELS

sys.path.insert(0, str(Path(__file__).parent))
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
            per_class = f1_per_class(truth, predicted, 3)
            macro = float(np.mean(per_class))
            figures[f"sentiment_{tier}_{lang}_val_macro_f1"] = round(macro, 4)
            print(f"sentiment {tier} tier, {lang} val ({len(texts)} tweets): macro-F1 {macro:.3f}")
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
        accuracy = sum(f == lang for f in found) / len(found)
        figures[f"language_{lang}_val_accuracy"] = round(accuracy, 4)
        others = sorted({f for f in found if f != lang})
        print(f"language id, {lang} val tweets: accuracy {accuracy:.3f} (also said: {others})")


def evaluate_intents(figures: dict[str, object]) -> None:
    posts = load_posts(DATA / "validation.jsonl")
    profiles = load_profiles()
    truth = intent_matrix(posts) > 0
    feeling = sentiment_labels(posts)
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
        macro = macro_f1(feeling, felt, 3)
        figures[f"sentiment_{tier}_domain_val_macro_f1"] = round(macro, 4)
        print(f"sentiment {tier} tier, small-business posts ({len(posts)}): macro-F1 {macro:.3f}")
        show_matrix("confusion", SENTIMENT_LABELS, confusion(feeling, felt, 3))
        print(f"intents {tier} tier, validation ({len(posts)} posts):")
        scores = []
        for k, name in enumerate(INTENTS):
            t, p = truth[:, k].astype(int), predicted[:, k].astype(int)
            f1 = f1_per_class(t, p, 2)[1]
            scores.append(f1)
            m = confusion(t, p, 2)
            counts = f"tn {m[0, 0]:>3} fp {m[0, 1]:>3} fn {m[1, 0]:>3} tp {m[1, 1]:>3}"
            print(f"  {name:<10} F1 {f1:.3f}   {counts}")
        macro = float(np.mean(scores))
        figures[f"intents_{tier}_val_macro_f1"] = round(macro, 4)
        print(f"  macro-F1 {macro:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    figures: dict[str, object] = {}
    evaluate_language(args.data, figures)
    evaluate_sentiment(args.data, figures)
    evaluate_intents(figures)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
