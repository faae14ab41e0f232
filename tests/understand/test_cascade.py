"""The accurate tier embeds only what the fast tier is unsure of, and reposts only once."""

from __future__ import annotations

import numpy as np
import pytest

from veille.understand import Analyzer
from veille.understand.cascade import EMBED_ALL, Cascade, shipped_cascade
from veille.understand.embeddings import EmbeddingCache, embed


def test_unsure_rows_are_low_confidence_or_near_the_intent_threshold() -> None:
    cascade = Cascade(sentiment_confidence=0.6, intent_margin=0.1)
    sentiment = np.array([[0.9, 0.05, 0.05], [0.4, 0.3, 0.3], [0.9, 0.05, 0.05]])
    intents = np.array([[0.02, 0.97], [0.02, 0.97], [0.55, 0.01]])
    assert cascade.unsure(sentiment, intents).tolist() == [False, True, True]


def test_shipped_thresholds_embed_some_posts_but_not_all() -> None:
    shipped = shipped_cascade()
    assert 0.34 < shipped.sentiment_confidence <= 1.0
    assert 0.0 < shipped.intent_margin < 0.5


def test_cascade_keeps_fast_answers_for_confident_posts_and_counts_embeddings() -> None:
    texts = ["Merci beaucoup, travail superbe, je recommande !", "http://example.com", "Bof."]
    nothing = Analyzer(cascade=Cascade(sentiment_confidence=0.0, intent_margin=0.0))
    fast = Analyzer().analyze(texts, tier="fast")
    assert [r.to_json() for r in nothing.analyze(texts)] == [r.to_json() for r in fast]
    assert nothing.counts.embedded == 0 and nothing.counts.accurate_posts == 3
    everything = Analyzer(cascade=EMBED_ALL)
    everything.analyze(texts)
    # The bare link has no words: never worth an embedding.
    assert everything.counts.embedded == 2
    assert everything.counts.embedded_fraction == pytest.approx(2 / 3)


def test_cache_embeds_a_repost_once_and_forgets_the_oldest() -> None:
    cache = EmbeddingCache(size=2)
    first = cache.embed(["Le devis est arrivé", "Le  devis est arrivé "])
    assert (cache.hits, cache.misses) == (1, 1)
    assert np.allclose(first[0], first[1]) and np.allclose(
        first[0], embed(["Le devis est arrivé"])[0]
    )
    cache.embed(["Deux", "Trois"])
    assert len(cache) == 2
    cache.embed(["Le devis est arrivé"])
    assert cache.misses == 4  # evicted, so embedded again


def test_negative_cache_size_is_refused() -> None:
    with pytest.raises(ValueError, match="cache size"):
        EmbeddingCache(size=-1)
