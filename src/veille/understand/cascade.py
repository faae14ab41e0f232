"""Which posts the accurate tier embeds: only those the fast tier is unsure about.

Embedding a post costs about a hundred times more than the rest of the analysis, so a post
whose fast sentiment is confident and whose fast intent scores are all far from the 0.5
threshold keeps the fast answer. The two thresholds are chosen by scripts/train_cascade.py
with 5-fold cross-validation on the train splits and stored in models/cascade.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from veille.understand.types import INTENT_THRESHOLD

THRESHOLDS = Path(__file__).parent / "models" / "cascade.json"


@dataclass(frozen=True, slots=True)
class Cascade:
    sentiment_confidence: float  # embed when the fast sentiment's top probability is below
    intent_margin: float  # embed when a fast intent score is this close to the threshold

    def unsure(self, sentiment: np.ndarray, intents: np.ndarray) -> np.ndarray:
        """Boolean mask of the rows to embed. sentiment: (n, 3); intents: (n, k), both fast."""
        low_confidence = sentiment.max(axis=1) < self.sentiment_confidence
        near_threshold = (np.abs(intents - INTENT_THRESHOLD) < self.intent_margin).any(axis=1)
        mask: np.ndarray = low_confidence | near_threshold
        return mask

    def to_json(self) -> dict[str, float]:
        return {
            "sentiment_confidence": self.sentiment_confidence,
            "intent_margin": self.intent_margin,
        }


EMBED_ALL = Cascade(sentiment_confidence=2.0, intent_margin=1.0)


@lru_cache(maxsize=1)
def shipped_cascade() -> Cascade:
    raw = json.loads(THRESHOLDS.read_text(encoding="utf-8"))
    try:
        return Cascade(float(raw["sentiment_confidence"]), float(raw["intent_margin"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{THRESHOLDS}: expected sentiment_confidence and intent_margin") from exc
