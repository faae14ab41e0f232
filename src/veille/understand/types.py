"""What Veille understands of one post: the shapes returned by the Analyzer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SentimentLabel = Literal["negative", "neutral", "positive"]
SENTIMENT_LABELS: tuple[SentimentLabel, ...] = ("negative", "neutral", "positive")
INTENTS: tuple[str, ...] = ("question", "complaint", "praise", "lead", "job", "crisis", "other")
# An intent is present when its probability reaches this threshold.
INTENT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: SentimentLabel
    score: float  # confidence of the label, in [0, 1]


@dataclass(slots=True)
class Understanding:
    lang: str
    sentiment: Sentiment
    intents: dict[str, float] = field(default_factory=dict)
    entities: dict[str, list[Any]] = field(default_factory=dict)

    def present_intents(self) -> list[str]:
        """Intents whose probability reaches the threshold, most likely first."""
        kept = [(p, name) for name, p in self.intents.items() if p >= INTENT_THRESHOLD]
        return [name for _, name in sorted(kept, reverse=True)]

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "sentiment": {"label": self.sentiment.label, "score": round(self.sentiment.score, 4)},
            "intents": {name: round(p, 4) for name, p in self.intents.items()},
            "entities": asdict_entities(self.entities),
        }


def asdict_entities(entities: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Entities as plain JSON values (dataclass items become dicts)."""
    out: dict[str, list[Any]] = {}
    for kind, items in entities.items():
        out[kind] = [asdict(i) if hasattr(i, "__dataclass_fields__") else i for i in items]
    return out
