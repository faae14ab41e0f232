"""Sentiment in two tiers: hashed n-grams for every post, e5 embeddings for matched posts.

Both heads are trained by scripts/train_sentiment.py on the XLM-T tweets (FR and EN) and
committed under models/. The accurate tier blends both heads with a weight chosen on val.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from veille.understand.embeddings import embed
from veille.understand.features import featurize, sparse_dot
from veille.understand.linear import LinearHead
from veille.understand.types import SENTIMENT_LABELS, Sentiment

MODELS = Path(__file__).parent / "models"
FAST_HEAD = MODELS / "sentiment_fast.npz"
ACCURATE_HEAD = MODELS / "sentiment_accurate.npz"
BLEND = MODELS / "sentiment_blend.json"


@lru_cache(maxsize=1)
def _fast() -> LinearHead:
    return LinearHead.load(FAST_HEAD)


@lru_cache(maxsize=1)
def _accurate() -> tuple[LinearHead, float]:
    weight = float(json.loads(BLEND.read_text())["embedding_weight"])
    return LinearHead.load(ACCURATE_HEAD), weight


def fast_probabilities(texts: Sequence[str]) -> np.ndarray:
    head = _fast()
    return head.scores(sparse_dot(featurize(texts), head.weights))


def accurate_probabilities(
    texts: Sequence[str], embeddings: np.ndarray | None = None
) -> np.ndarray:
    head, weight = _accurate()
    vectors = embed(texts) if embeddings is None else embeddings
    return weight * head.predict_dense(vectors) + (1 - weight) * fast_probabilities(texts)


def to_sentiments(probabilities: np.ndarray) -> list[Sentiment]:
    best = probabilities.argmax(axis=1)
    return [
        Sentiment(SENTIMENT_LABELS[int(k)], float(probabilities[i, k])) for i, k in enumerate(best)
    ]
