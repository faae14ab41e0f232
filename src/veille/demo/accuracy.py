"""How well the pipeline understood the demo stream, measured against its ground-truth labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from veille.demo.generator import DemoLabel
from veille.store import tables
from veille.store.db import Database
from veille.understand import detect_language
from veille.understand.metrics import macro_f1

SENTIMENTS = ("negative", "neutral", "positive")
SCORED_INTENTS = ("question", "complaint", "praise", "lead", "job", "crisis")


@dataclass(frozen=True)
class Score:
    name: str
    metric: str
    value: float
    support: int


def f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def sentiment_macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    """Macro-F1 over negative / neutral / positive, as the training scripts compute it."""
    index = {label: i for i, label in enumerate(SENTIMENTS)}
    truth = np.array([index[t] for t, _ in pairs])
    guess = np.array([index.get(g, -1) for _, g in pairs])
    return macro_f1(truth, guess, len(SENTIMENTS))


def measure(db: Database, labels: Sequence[DemoLabel], texts: Sequence[str]) -> list[Score]:
    """Language, sentiment, intents and watch matching against the demo's labels."""
    truth = {(label.network, label.post_id): label for label in labels}
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
    scores: list[Score] = []

    languages = [
        (label.lang, detect_language(text)) for label, text in zip(labels, texts, strict=True)
    ]
    correct = sum(1 for want, got in languages if want == got)
    scores.append(Score("langue / language", "accuracy", correct / len(languages), len(languages)))

    sentiment: dict[str, list[tuple[str, str]]] = {}
    intents: dict[int, set[str]] = {}
    for row_id, kind, label, model, data in enrichments:
        key = posts[row_id]
        if key not in truth:
            continue
        if kind == "sentiment" and label:
            sentiment.setdefault(model, []).append((truth[key].sentiment, label))
        elif kind == "intents":
            intents[row_id] = set(data.get("present", []))
    for tier, pairs in sentiment.items():
        if pairs:
            value = sentiment_macro_f1(pairs)
            scores.append(Score(f"sentiment ({tier})", "macro-F1", value, len(pairs)))

    for intent in SCORED_INTENTS:
        tp = fp = fn = 0
        for row_id, present in intents.items():
            wanted = intent in truth[posts[row_id]].intents
            found = intent in present
            tp += int(wanted and found)
            fp += int(found and not wanted)
            fn += int(wanted and not found)
        if tp + fn:
            scores.append(Score(f"intention {intent}", "F1", f1(tp, fp, fn), tp + fn))

    matched: dict[str, set[tuple[str, str]]] = {}
    for row_id, name in matches:
        matched.setdefault(name, set()).add(posts[row_id])
    expected: dict[str, set[tuple[str, str]]] = {}
    for key, label in truth.items():
        for name in label.watches:
            expected.setdefault(name, set()).add(key)
    for name in sorted(set(matched) | set(expected)):
        got, want = matched.get(name, set()), expected.get(name, set())
        tp = len(got & want)
        scores.append(
            Score(f"veille {name}", "F1", f1(tp, len(got - want), len(want - got)), len(want))
        )
    return scores
