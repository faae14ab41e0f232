"""Understanding posts: language, sentiment (two tiers), intents and leads, entities, dedup."""

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
