"""Intents, multi-label with probabilities: question, complaint, praise, lead, job, crisis, other.

Trained heads (scripts/train_intents.py) read embeddings (accurate tier) or hashed n-grams
(fast tier), each with the hand-written cues of keywords.py as extra features; on French
posts the accurate tier also reads the intents head of the encoder's French branch
(scripts/train_branch.py). The heads score "seeks": someone looking for a provider. A lead
is that request for what this business sells, where it works, so the profile scales it
(leads.py). "other" is what is left when no named intent is likely.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from veille.business import BusinessProfile
from veille.understand.features import (
    feature_ids,
    featurize,
    featurize_ids,
    has_words,
    hash_features,
    sparse_dot,
)
from veille.understand.keywords import CUES, cue_vector
from veille.understand.leads import lead_factor
from veille.understand.linear import LinearHead
from veille.understand.types import INTENT_THRESHOLD, INTENTS

MODELS = Path(__file__).parent / "models"
FAST_HEAD = MODELS / "intents_fast.npz"
ACCURATE_HEAD = MODELS / "intents_accurate.npz"
# The head on the encoder's French branch (scripts/train_branch.py), for the rows it reads.
TUNED_HEAD = MODELS / "intents_tuned_fr.npz"
# The accurate tier's weight on its embedding head against the fast head (train_intents.py).
BLEND = MODELS / "intents_blend.json"
# What the heads predict, before the profile turns "seeks" into "lead".
GENERIC: tuple[str, ...] = ("question", "complaint", "praise", "seeks", "job", "crisis")


def cue_ids(text: str) -> list[int]:
    cues = [f"K{name}" for name, cue in zip(CUES, cue_vector(text), strict=True) if cue]
    # Counted twice: a hand-written cue weighs more than any single n-gram.
    return hash_features(cues) * 2


def fast_ids(text: str) -> list[int]:
    return feature_ids(text) + cue_ids(text)


def accurate_features(texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
    cues = np.array([cue_vector(t) for t in texts], dtype=np.float32).reshape(len(texts), -1)
    return np.hstack([embeddings, cues])


@lru_cache(maxsize=3)
def _head(path: Path) -> LinearHead:
    return LinearHead.load(path)


@lru_cache(maxsize=1)
def _blend() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(BLEND.read_text(encoding="utf-8"))
    return raw


def embedding_weight() -> float:
    return float(_blend()["embedding_weight"])


def tuned_weight() -> float:
    """The branch head's share of the accurate head on the rows the branch reads."""
    return float(_blend().get("tuned_weight", 0.0))


def thresholds(tier: str) -> np.ndarray:
    """Per generic intent, the score at which a tier's head says present (0.5 if not chosen)."""
    chosen = _blend().get(f"{tier}_thresholds")
    if chosen is None:
        return np.full(len(GENERIC), INTENT_THRESHOLD)
    if not isinstance(chosen, dict) or set(chosen) != set(GENERIC):
        raise ValueError(f"{BLEND}: {tier}_thresholds must give one threshold per {GENERIC}")
    return np.array([float(chosen[name]) for name in GENERIC])


def calibrate(probabilities: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Shift each column's logit so that its chosen threshold lands on 0.5: every reader
    downstream (the inbox, the cascade) keeps reading "present" at 0.5."""
    p = np.clip(probabilities, 1e-6, 1 - 1e-6)
    t = np.clip(at, 1e-6, 1 - 1e-6)
    z = np.log(p / (1 - p)) - np.log(t / (1 - t))
    out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
    return out


def blend(fast: np.ndarray, accurate: np.ndarray, weight: float, at: np.ndarray) -> np.ndarray:
    """The embedding head's raw probabilities blended with the fast tier's calibrated ones."""
    return calibrate(weight * accurate + (1 - weight) * fast, at)


def mixed(accurate: np.ndarray, tuned: np.ndarray, weight: float) -> np.ndarray:
    """The embedding head's probabilities with the branch's head taking `weight` of them."""
    return (1 - weight) * accurate + weight * tuned


def blended(fast: np.ndarray, accurate: np.ndarray) -> np.ndarray:
    """The accurate tier's generic probabilities: its embedding head blended with the fast."""
    return blend(fast, accurate, embedding_weight(), thresholds("accurate"))


def generic_probabilities(
    texts: Sequence[str],
    embeddings: np.ndarray | None,
    ids: Sequence[list[int]] | None = None,
    tuned: np.ndarray | None = None,
) -> np.ndarray:
    """(n, len(GENERIC)) probabilities before the profile is applied. embeddings and tuned:
    the texts' vectors as sentiment.encode gives them (tuned: zeros where the branch did not
    read the text); none: the fast tier."""
    if embeddings is None:
        head = _head(FAST_HEAD)
        if ids is None:
            csr = featurize(texts, fast_ids)
        else:
            csr = featurize_ids([row + cue_ids(t) for row, t in zip(ids, texts, strict=True)])
        return calibrate(head.scores(sparse_dot(csr, head.weights)), thresholds("fast"))
    accurate = _head(ACCURATE_HEAD).predict_dense(accurate_features(texts, embeddings))
    weight = tuned_weight()
    if tuned is None or not weight:
        return accurate
    # A branch vector is unit length: an all-zero row is a text the branch did not read.
    rows = np.flatnonzero(np.abs(tuned).sum(axis=1) > 0)
    if len(rows):
        branch = _head(TUNED_HEAD).predict_dense(tuned[rows])
        accurate[rows] = mixed(accurate[rows], branch, weight)
    return accurate


def finish(generic: np.ndarray, factors: Sequence[float]) -> list[dict[str, float]]:
    """Apply the profile's lead factors and derive "other"."""
    out: list[dict[str, float]] = []
    for row, factor in zip(generic, factors, strict=True):
        scores = {name: float(p) for name, p in zip(GENERIC, row, strict=True)}
        scores["lead"] = scores.pop("seeks") * factor
        # "other" is present exactly when no named intent reaches the threshold.
        scores["other"] = 1.0 - max(scores.values())
        out.append({name: round(scores[name], 4) for name in INTENTS})
    return out


def from_generic(
    texts: Sequence[str], profile: BusinessProfile | None, generic: np.ndarray
) -> list[dict[str, float]]:
    """Final intents from the heads' generic probabilities (changed in place)."""
    # Nothing to read (a bare link, emoji): no intent rather than the heads' guesses.
    generic[[i for i, t in enumerate(texts) if not has_words(t)]] = 0.0
    seeks = generic[:, GENERIC.index("seeks")]
    # The profile check costs dozens of regexes: only where someone might be asking.
    pairs = zip(texts, seeks, strict=True)
    factors = [lead_factor(t, profile) if p > 0.1 else 1.0 for t, p in pairs]
    return finish(generic, factors)
