"""Intents, multi-label with probabilities: question, complaint, praise, lead, job, crisis, other.

A lead is a request for what this business sells where it works: the generic "someone is
looking for a provider" probability is scaled by the business profile (see leads.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from veille.business import BusinessProfile
from veille.understand.keywords import keyword_scores
from veille.understand.leads import lead_factor
from veille.understand.types import INTENT_THRESHOLD, INTENTS


def generic_probabilities(
    texts: Sequence[str], embeddings: np.ndarray | None
) -> list[dict[str, float]]:
    """Intents before the profile is applied."""
    return [keyword_scores(t) for t in texts]


def intent_probabilities(
    texts: Sequence[str],
    profile: BusinessProfile | None,
    *,
    embeddings: np.ndarray | None,
) -> list[dict[str, float]]:
    out: list[dict[str, float]] = []
    for text, generic in zip(texts, generic_probabilities(texts, embeddings), strict=True):
        scores = dict(generic)
        scores["lead"] = scores["lead"] * lead_factor(text, profile)
        named = [n for n in INTENTS if n != "other" and scores[n] >= INTENT_THRESHOLD]
        if named:
            scores["other"] = min(scores["other"], 1 - INTENT_THRESHOLD - 0.01)
        out.append({name: float(scores[name]) for name in INTENTS})
    return out
