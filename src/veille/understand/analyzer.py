"""The Analyzer: everything Veille understands of a batch of posts, in one call."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from veille.business import BusinessProfile
from veille.understand.embeddings import embed
from veille.understand.entities import extract_entities
from veille.understand.features import feature_ids
from veille.understand.intents import intent_probabilities
from veille.understand.language import detect_language
from veille.understand.sentiment import accurate_probabilities, fast_probabilities, to_sentiments
from veille.understand.types import Understanding

Tier = Literal["fast", "accurate"]
BATCH = 256


class Analyzer:
    """Language, sentiment, intents and entities. Models load once, on first use."""

    def __init__(self, profile: BusinessProfile | None = None) -> None:
        self.profile = profile

    def analyze(self, texts: Sequence[str], *, tier: Tier = "accurate") -> list[Understanding]:
        """One Understanding per text, in the same order."""
        if tier not in ("fast", "accurate"):
            raise ValueError(f"tier must be 'fast' or 'accurate', got {tier!r}")
        out: list[Understanding] = []
        for start in range(0, len(texts), BATCH):
            out += self._batch(list(texts[start : start + BATCH]), tier)
        return out

    def _batch(self, texts: list[str], tier: Tier) -> list[Understanding]:
        ids = [feature_ids(t) for t in texts]  # shared by the sentiment and intent heads
        langs = [detect_language(t) for t in texts]
        if tier == "fast":
            sentiments = to_sentiments(fast_probabilities(texts, ids, langs))
            intents = intent_probabilities(texts, self.profile, embeddings=None, ids=ids)
        else:
            vectors = embed(texts)
            sentiments = to_sentiments(accurate_probabilities(texts, vectors, ids, langs))
            intents = intent_probabilities(texts, self.profile, embeddings=vectors)
        return [
            Understanding(
                lang=lang,
                sentiment=sentiment,
                intents=intent,
                entities=extract_entities(text, self.profile),
            )
            for text, lang, sentiment, intent in zip(texts, langs, sentiments, intents, strict=True)
        ]
