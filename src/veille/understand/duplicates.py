"""Near-duplicate grouping: reposts, copies with another link or mention, templated spam.

Texts are normalised (links, mentions, numbers and punctuation dropped), cut into character
5-gram shingles, and compared by Jaccard similarity. MinHash with banding proposes candidate
pairs so a day of posts is not compared pairwise; each candidate is then checked exactly.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from veille.understand.entities import fold

_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+|\brt\b|\d+|[^\w\s]")
_SHINGLE = 5
_BANDS, _ROWS = 24, 4  # 96 hashes; a pair at Jaccard 0.6 becomes a candidate 96% of the time
_PRIME = (1 << 61) - 1
_MAX_CHECKS = 20
_rng = np.random.default_rng(20241124)
_A = _rng.integers(1, 1 << 31, size=_BANDS * _ROWS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=_BANDS * _ROWS, dtype=np.uint64)


def normalise(text: str) -> str:
    return " ".join(_NOISE.sub(" ", fold(text)).split())


def shingles(text: str) -> set[int]:
    norm = normalise(text)
    if len(norm) < _SHINGLE:
        return {zlib.crc32(norm.encode())} if norm else set()
    return {zlib.crc32(norm[i : i + _SHINGLE].encode()) for i in range(len(norm) - _SHINGLE + 1)}


def _signature(items: set[int]) -> np.ndarray:
    h = np.fromiter(items, dtype=np.uint64, count=len(items))[:, None]
    # 32-bit inputs and 31-bit coefficients cannot overflow 64 bits before the modulo.
    signature: np.ndarray = ((h * _A + _B) % np.uint64(_PRIME)).min(axis=0)
    return signature


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def near_duplicates(texts: Sequence[str], *, threshold: float = 0.6) -> list[int]:
    """For each text, the index of the first member of its group (its own index if unique)."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    sets = [shingles(t) for t in texts]
    parent = list(range(len(texts)))
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    exact: dict[str, int] = {}
    for i, items in enumerate(sets):
        if not items:
            # Nothing left after normalising (a bare link): only identical texts group.
            first = exact.setdefault(texts[i].strip(), i)
            if first != i:
                parent[_find(parent, i)] = _find(parent, first)
            continue
        sig = _signature(items)
        for band in range(_BANDS):
            key = (band, sig[band * _ROWS : (band + 1) * _ROWS].tobytes())
            buckets[key].append(i)
    for members in buckets.values():
        for pos, j in enumerate(members[1:], start=1):
            # Earlier members, nearest first; capped so one huge spam bucket stays linear.
            for i in members[max(0, pos - _MAX_CHECKS) : pos][::-1]:
                ri, rj = _find(parent, i), _find(parent, j)
                if ri == rj:
                    break
                a, b = sets[i], sets[j]
                if len(a & b) / len(a | b) >= threshold:
                    parent[max(ri, rj)] = min(ri, rj)
                    break
    return [_find(parent, i) for i in range(len(texts))]
