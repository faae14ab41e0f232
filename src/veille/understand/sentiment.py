"""Sentiment in two tiers: hashed n-grams for every post, e5 embeddings for matched posts.

Heads are trained per language by scripts/train_sentiment.py on the XLM-T tweets and
committed under models/: English posts use the English heads, every other post the French
ones (French first). The accurate tier blends its embedding head with the fast head, with a
weight chosen on the validation split.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from veille.understand.embeddings import embed
from veille.understand.features import feature_ids, featurize_ids, has_words, sparse_dot
from veille.understand.linear import LinearHead
from veille.understand.types import SENTIMENT_LABELS, Sentiment

MODELS = Path(__file__).parent / "models"
HEAD_LANGUAGES: tuple[str, ...] = ("fr", "en")
BLEND = MODELS / "sentiment_blend.json"


def fast_head_path(lang: str) -> Path:
    return MODELS / f"sentiment_fast_{lang}.npz"


def accurate_head_path(lang: str) -> Path:
    return MODELS / f"sentiment_accurate_{lang}.npz"


def head_language(lang: str) -> str:
    return lang if lang in HEAD_LANGUAGES else "fr"


@lru_cache(maxsize=len(HEAD_LANGUAGES))
def _fast(lang: str) -> LinearHead:
    return LinearHead.load(fast_head_path(lang))


@lru_cache(maxsize=len(HEAD_LANGUAGES))
def _accurate(lang: str) -> tuple[LinearHead, float]:
    weight = float(json.loads(BLEND.read_text())[lang])
    return LinearHead.load(accurate_head_path(lang)), weight


def _groups(langs: Sequence[str] | None, n: int) -> dict[str, np.ndarray]:
    """Row indices per head language."""
    heads = np.array([head_language(lang) for lang in langs] if langs else ["fr"] * n)
    return {lang: np.flatnonzero(heads == lang) for lang in HEAD_LANGUAGES if (heads == lang).any()}


def fast_probabilities(
    texts: Sequence[str],
    ids: Sequence[list[int]] | None = None,
    langs: Sequence[str] | None = None,
) -> np.ndarray:
    """(n, 3) probabilities. ids: feature_ids of the texts if known; langs: their languages
    (French heads for all when omitted)."""
    rows = [feature_ids(t) for t in texts] if ids is None else ids
    out = np.zeros((len(texts), len(SENTIMENT_LABELS)), dtype=np.float32)
    for lang, idx in _groups(langs, len(texts)).items():
        head = _fast(lang)
        out[idx] = head.scores(sparse_dot(featurize_ids([rows[i] for i in idx]), head.weights))
    return out


def accurate_probabilities(
    texts: Sequence[str],
    embeddings: np.ndarray | None = None,
    ids: Sequence[list[int]] | None = None,
    langs: Sequence[str] | None = None,
) -> np.ndarray:
    vectors = embed(texts) if embeddings is None else embeddings
    fast = fast_probabilities(texts, ids, langs)
    out = np.zeros_like(fast)
    for lang, idx in _groups(langs, len(texts)).items():
        head, weight = _accurate(lang)
        out[idx] = weight * head.predict_dense(vectors[idx]) + (1 - weight) * fast[idx]
    # The embedding of a post without words is noise; the fast head's prior is safer there.
    wordless = [i for i, t in enumerate(texts) if not has_words(t)]
    out[wordless] = fast[wordless]
    return out


def to_sentiments(probabilities: np.ndarray) -> list[Sentiment]:
    best = probabilities.argmax(axis=1)
    return [
        Sentiment(SENTIMENT_LABELS[int(k)], float(probabilities[i, k])) for i, k in enumerate(best)
    ]
