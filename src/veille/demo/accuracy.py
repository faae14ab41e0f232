"""How well the pipeline understood the demo stream, measured against its ground-truth labels.

Every figure has a 95 % interval from 1,000 bootstrap resamples of the demo's posts, drawn by
group: a post and its copies (reposts, templated duplicates) move together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from veille.demo.generator import DemoLabel
from veille.store import tables
from veille.store.db import Database
from veille.understand import detect_language
from veille.understand.metrics import bootstrap_interval, macro_f1

SENTIMENTS = ("negative", "neutral", "positive")
SCORED_INTENTS = ("question", "complaint", "praise", "lead", "job", "crisis")


@dataclass(frozen=True)
class Score:
    name: str
    metric: str
    value: float
    support: int
    low: float  # 95 % bootstrap interval
    high: float


def binary_f1(wanted: np.ndarray, found: np.ndarray) -> float:
    """F1 of boolean predictions against boolean truth (0 when nothing is right)."""
    tp = int((wanted & found).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + int((found ^ wanted).sum()))


def _groups(labels: Sequence[DemoLabel]) -> np.ndarray:
    """A group per original post: a copy is drawn with the post it copies."""
    originals = [label.duplicate_of or label.post_id for label in labels]
    names = {name: i for i, name in enumerate(dict.fromkeys(originals))}
    return np.array([names[name] for name in originals])


def _binary_score(name: str, wanted: np.ndarray, found: np.ndarray, groups: np.ndarray) -> Score:
    low, high = bootstrap_interval(
        lambda r: binary_f1(wanted[r], found[r]), len(wanted), groups=groups
    )
    return Score(name, "F1", binary_f1(wanted, found), int(wanted.sum()), low, high)


def sentiment_macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """Macro-F1 over negative / neutral / positive, as the training scripts compute it."""
    index = {label: i for i, label in enumerate(SENTIMENTS)}
    truth = np.array([index[t] for t, _ in pairs])
    guess = np.array([index.get(g, -1) for _, g in pairs])
    return macro_f1(truth, guess, len(SENTIMENTS))


def measure(db: Database, labels: Sequence[DemoLabel], texts: Sequence[str]) -> list[Score]:
    """Language, sentiment, intents and watch matching against the demo's labels."""
    with db.session() as session:
        posts = {
            row_id: (network, post_id)
            for row_id, network, post_id in session.execute(
                select(tables.Post.id, tables.Post.network, tables.Post.network_post_id)
            )
        }
        enrichments = session.execute(
            select(
                tables.Enrichment.post_id,
                tables.Enrichment.kind,
                tables.Enrichment.label,
                tables.Enrichment.model,
                tables.Enrichment.data,
            )
        ).all()
        matches = session.execute(
            select(tables.Match.post_id, tables.Watch.name).join(
                tables.Watch, tables.Watch.id == tables.Match.watch_id
            )
        ).all()
    position = {(label.network, label.post_id): i for i, label in enumerate(labels)}
    rows = {row_id: position[key] for row_id, key in posts.items() if key in position}
    groups = _groups(labels)
    scores: list[Score] = []

    right = np.array(
        [label.lang == detect_language(t) for label, t in zip(labels, texts, strict=True)]
    )
    low, high = bootstrap_interval(lambda r: float(right[r].mean()), len(right), groups=groups)
    scores.append(
        Score("langue / language", "accuracy", float(right.mean()), len(right), low, high)
    )

    sentiment: dict[str, dict[int, str]] = {}
    intents: dict[int, set[str]] = {}
    for row_id, kind, label, model, data in enrichments:
        if row_id not in rows:
            continue
        if kind == "sentiment" and label:
            sentiment.setdefault(model, {})[rows[row_id]] = label
        elif kind == "intents":
            intents[rows[row_id]] = set(data.get("present", []))
    for tier, felt in sentiment.items():
        at = np.array(sorted(felt))
        pairs = [(labels[i].sentiment, felt[i]) for i in at]

        def resampled(r: np.ndarray, pairs: list[tuple[str, str]] = pairs) -> float:
            return sentiment_macro_f1([pairs[i] for i in r])

        low, high = bootstrap_interval(resampled, len(at), groups=groups[at])
        value = sentiment_macro_f1(pairs)
        scores.append(Score(f"sentiment ({tier})", "macro-F1", value, len(pairs), low, high))

    read = np.array(sorted(intents))
    for intent in SCORED_INTENTS:
        wanted = np.array([intent in labels[i].intents for i in read], dtype=bool)
        found = np.array([intent in intents[i] for i in read], dtype=bool)
        if wanted.any():
            scores.append(_binary_score(f"intention {intent}", wanted, found, groups[read]))

    matched: dict[str, set[int]] = {}
    for row_id, name in matches:
        if row_id in rows:
            matched.setdefault(name, set()).add(rows[row_id])
    names = sorted(set(matched) | {name for label in labels for name in label.watches})
    for name in names:
        wanted = np.array([name in label.watches for label in labels], dtype=bool)
        found = np.array([i in matched.get(name, set()) for i in range(len(labels))], dtype=bool)
        scores.append(_binary_score(f"veille {name}", wanted, found, groups))
    return scores
