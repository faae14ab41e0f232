"""The Analyzer: everything Veille understands of a batch of posts, in one call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from veille.business import BusinessProfile
from veille.understand.cascade import Cascade, shipped_cascade
from veille.understand.embeddings import EmbeddingCache
from veille.understand.entities import extract_entities
from veille.understand.features import feature_ids, has_words
from veille.understand.intents import blended, from_generic, generic_probabilities
from veille.understand.language import detect_language
from veille.understand.sentiment import (
    accurate_probabilities,
    encode,
    fast_probabilities,
    to_sentiments,
)
from veille.understand.types import Understanding

Tier = Literal["fast", "accurate"]
BATCH = 256
# The models read a post's first characters only (far past what any of them weighs), so one
# huge post costs milliseconds; the store keeps the whole text.
MODEL_TEXT_LIMIT = 5000


@dataclass(slots=True)
class Counts:
    """What the accurate tier did so far: how many posts it read and how many it embedded."""

    accurate_posts: int = 0
    embedded: int = 0

    @property
    def embedded_fraction(self) -> float:
        return self.embedded / self.accurate_posts if self.accurate_posts else 0.0


class Analyzer:
    """Language, sentiment, intents and entities. Models load once, on first use.

    The accurate tier embeds only the posts the fast tier is unsure about (cascade.py);
    cascade=EMBED_ALL embeds every post. Embeddings of recent texts are kept (cache_size).
    """

    def __init__(
        self,
        profile: BusinessProfile | None = None,
        *,
        cascade: Cascade | None = None,
        cache_size: int = 4096,
    ) -> None:
        self.profile = profile
        self.cascade = cascade
        self.cache = EmbeddingCache(cache_size)
        self.counts = Counts()

    def analyze(
        self, texts: Sequence[str], *, tier: Tier = "accurate", extras: bool = True
    ) -> list[Understanding]:
        """One Understanding per text, in the same order. ``extras=False`` (fast tier only)
        leaves intents and entities empty: the pipeline's first pass over every post needs
        language and sentiment alone."""
        if tier not in ("fast", "accurate"):
            raise ValueError(f"tier must be 'fast' or 'accurate', got {tier!r}")
        out: list[Understanding] = []
        texts = [t[:MODEL_TEXT_LIMIT] for t in texts]
        for start in range(0, len(texts), BATCH):
            out += self._batch(list(texts[start : start + BATCH]), tier, extras or tier != "fast")
        return out

    def _batch(self, texts: list[str], tier: Tier, extras: bool = True) -> list[Understanding]:
        ids = [feature_ids(t) for t in texts]  # shared by the sentiment and intent heads
        langs = [detect_language(t) for t in texts]
        sentiment = fast_probabilities(texts, ids, langs)
        if not extras:
            return [
                Understanding(lang=lang, sentiment=sent)
                for lang, sent in zip(langs, to_sentiments(sentiment), strict=True)
            ]
        generic = generic_probabilities(texts, None, ids)
        if tier == "accurate":
            self._refine(texts, ids, langs, sentiment, generic)
        intents = from_generic(texts, self.profile, generic)
        return [
            Understanding(
                lang=lang,
                sentiment=sent,
                intents=intent,
                entities=extract_entities(text, self.profile),
            )
            for text, lang, sent, intent in zip(
                texts, langs, to_sentiments(sentiment), intents, strict=True
            )
        ]

    def _refine(
        self,
        texts: list[str],
        ids: list[list[int]],
        langs: list[str],
        sentiment: np.ndarray,
        generic: np.ndarray,
    ) -> None:
        """Overwrite, in place, the fast rows the cascade sends to the embedding heads."""
        cascade = self.cascade or shipped_cascade()
        # A post without words has no embedding worth its cost: both tiers answer alike.
        wordy = np.array([has_words(t) for t in texts], dtype=bool)
        rows = np.flatnonzero(cascade.unsure(sentiment, generic) & wordy)
        self.counts.accurate_posts += len(texts)
        self.counts.embedded += len(rows)
        if not len(rows):
            return
        chosen = [texts[i] for i in rows]
        chosen_langs = [langs[i] for i in rows]
        vectors, tuned = encode(chosen, chosen_langs, self.cache.embed, self.cache.embed_tuned)
        sentiment[rows] = accurate_probabilities(
            chosen, vectors, [ids[i] for i in rows], chosen_langs, tuned
        )
        accurate = generic_probabilities(chosen, vectors, tuned=tuned)
        generic[rows] = blended(generic[rows], accurate)
