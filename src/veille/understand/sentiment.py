"""Sentiment in two tiers: hashed n-grams for every post, e5 embeddings for matched posts.

Heads are trained per language by scripts/train_sentiment.py on the XLM-T tweets and
committed under models/: English posts use the English heads, every other post the French
ones (French first). The accurate tier blends its embedding head with the fast head and, for
French, with the sentiment head of the encoder's French branch (its top layers fine-tuned
for sentiment and intents by scripts/train_branch.py); the weights are chosen by
cross-validation on train.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from veille.understand.embeddings import embed, embed_tuned
from veille.understand.encoder import DIM
from veille.understand.features import feature_ids, featurize_ids, has_words, sparse_dot
from veille.understand.linear import LinearHead
from veille.understand.types import SENTIMENT_LABELS, Sentiment

MODELS = Path(__file__).parent / "models"
HEAD_LANGUAGES: tuple[str, ...] = ("fr", "en")
BLEND = MODELS / "sentiment_blend.json"
TextEmbedder = Callable[[Sequence[str]], np.ndarray]
PairEmbedder = Callable[[Sequence[str]], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Blend:
    """Weights of the accurate tier's heads; the fast head takes the rest."""

    embedding: float
    tuned: float = 0.0  # the French branch's head, where the language has one

    @property
    def fast(self) -> float:
        return 1.0 - self.embedding - self.tuned


def fast_head_path(lang: str) -> Path:
    return MODELS / f"sentiment_fast_{lang}.npz"


def accurate_head_path(lang: str) -> Path:
    return MODELS / f"sentiment_accurate_{lang}.npz"


def tuned_head_path(lang: str) -> Path:
    return MODELS / f"sentiment_tuned_{lang}.npz"


def head_language(lang: str) -> str:
    return lang if lang in HEAD_LANGUAGES else "fr"


@lru_cache(maxsize=len(HEAD_LANGUAGES))
def _fast(lang: str) -> LinearHead:
    return LinearHead.load(fast_head_path(lang))


@lru_cache(maxsize=len(HEAD_LANGUAGES))
def _accurate(lang: str) -> tuple[LinearHead, LinearHead | None, Blend]:
    blend = Blend(**json.loads(BLEND.read_text())[lang])
    tuned = LinearHead.load(tuned_head_path(lang)) if blend.tuned else None
    return LinearHead.load(accurate_head_path(lang)), tuned, blend


def branched(langs: Sequence[str]) -> np.ndarray:
    """Rows whose language is read by the French branch too."""
    return np.array([_accurate(head_language(lang))[1] is not None for lang in langs], bool)


def encode(
    texts: Sequence[str],
    langs: Sequence[str],
    plain: TextEmbedder = embed,
    both: PairEmbedder = embed_tuned,
) -> tuple[np.ndarray, np.ndarray]:
    """Every text's vector, and the French branch's vector of the texts it reads (zeros
    for the others): one pass through the encoder's shared layers for both."""
    mask = branched(langs)
    vectors = np.zeros((len(texts), DIM), dtype=np.float32)
    tuned = np.zeros((len(texts), DIM), dtype=np.float32)
    rows, others = np.flatnonzero(mask), np.flatnonzero(~mask)
    if len(rows):
        vectors[rows], tuned[rows] = both([texts[int(i)] for i in rows])
    if len(others):
        vectors[others] = plain([texts[int(i)] for i in others])
    return vectors, tuned


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
    tuned: np.ndarray | None = None,
) -> np.ndarray:
    """(n, 3) probabilities. embeddings and tuned: the texts' vectors as `encode` gives them,
    if known."""
    languages = list(langs) if langs else ["fr"] * len(texts)
    if embeddings is None or (tuned is None and branched(languages).any()):
        embeddings, tuned = encode(texts, languages)
    fast = fast_probabilities(texts, ids, languages)
    out = np.zeros_like(fast)
    for lang, idx in _groups(languages, len(texts)).items():
        head, tuned_head, blend = _accurate(lang)
        out[idx] = blend.embedding * head.predict_dense(embeddings[idx]) + blend.fast * fast[idx]
        if tuned_head is not None and tuned is not None:
            out[idx] += blend.tuned * tuned_head.predict_dense(tuned[idx])
    # The embedding of a post without words is noise; the fast head's prior is safer there.
    wordless = [i for i, t in enumerate(texts) if not has_words(t)]
    out[wordless] = fast[wordless]
    return out


def to_sentiments(probabilities: np.ndarray) -> list[Sentiment]:
    best = probabilities.argmax(axis=1)
    return [
        Sentiment(SENTIMENT_LABELS[int(k)], float(probabilities[i, k])) for i, k in enumerate(best)
    ]
