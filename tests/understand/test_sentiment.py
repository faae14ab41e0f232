from __future__ import annotations

import pytest

from veille.understand import Analyzer

CLEAR = [
    ("Merci beaucoup, travail magnifique, je recommande à 100 % !", "positive"),
    ("Service nul, trois semaines de retard et aucune excuse. Honteux.", "negative"),
    ("Absolutely love it, best bakery in town!", "positive"),
    ("Terrible service, never again, total waste of money.", "negative"),
]


@pytest.mark.parametrize("tier", ["fast", "accurate"])
def test_clear_examples_go_the_right_way(analyzer: Analyzer, tier: str) -> None:
    results = analyzer.analyze([text for text, _ in CLEAR], tier=tier)  # type: ignore[arg-type]
    assert [r.sentiment.label for r in results] == [label for _, label in CLEAR]
    assert all(0.34 < r.sentiment.score <= 1.0 for r in results)


def test_unknown_tier_is_refused(analyzer: Analyzer) -> None:
    with pytest.raises(ValueError, match="tier"):
        analyzer.analyze(["x"], tier="slow")  # type: ignore[arg-type]


def test_results_keep_input_order_across_batches(analyzer: Analyzer) -> None:
    texts = [
        "Merci pour ce super travail, bravo !" if i % 2 else "Terrible service, never again."
        for i in range(600)  # more than one internal batch
    ]
    results = analyzer.analyze(texts, tier="fast")
    assert [r.lang for r in results] == ["fr" if i % 2 else "en" for i in range(600)]
    assert [r.sentiment.label for r in results] == [
        "positive" if i % 2 else "negative" for i in range(600)
    ]
