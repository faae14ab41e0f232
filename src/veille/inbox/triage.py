"""The priority score of an item, and its one-line explanation.

Parts: intent (crisis first), negative sentiment, the author's reach, business hours waited,
and whether we already dealt with this author (a known customer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from veille.inbox.clock import BusinessHours, business_seconds

INTENT_WEIGHTS: dict[str, float] = {
    "crisis": 50.0,
    "complaint": 30.0,
    "lead": 25.0,
    "question": 20.0,
}
INTENT_NAMES: dict[str, dict[str, str]] = {
    "crisis": {"fr": "signal de crise", "en": "crisis signal"},
    "complaint": {"fr": "réclamation", "en": "complaint"},
    "lead": {"fr": "piste commerciale", "en": "lead"},
    "question": {"fr": "question", "en": "question"},
}
ADDRESSED_POINTS = 15.0
NEGATIVE_POINTS = 10.0
KNOWN_CUSTOMER_POINTS = 10.0
POINTS_PER_WAITING_HOUR = 2.0
MAX_WAITING_POINTS = 30.0
MAX_REACH_POINTS = 20.0


@dataclass(frozen=True)
class Signals:
    """What we know about an item, gathered by the caller from the store."""

    intents: dict[str, float]  # present intents and their scores (0..1)
    sentiment: str | None
    sentiment_score: float
    followers: int
    posted_at: datetime
    addressed: bool  # mentions or answers one of our accounts
    known_customer: bool


# The score in words (lowest score of each level): a person reads "haute", not "53".
LEVELS: tuple[tuple[float, str, str], ...] = (
    (60.0, "urgente", "urgent"),
    (35.0, "haute", "high"),
    (15.0, "normale", "normal"),
    (0.0, "basse", "low"),
)


@dataclass(frozen=True)
class Triage:
    score: float  # orders the inbox; shown as ``level``, never as a bare number
    explanation: str  # what raised the priority, in words
    level: str


def level_of(total: float, lang: str) -> str:
    """The priority level of a score, in words."""
    found = next(level for level in LEVELS if total >= level[0])
    return found[2] if lang == "en" else found[1]


def _words(lang: str) -> dict[str, str]:
    if lang == "en":
        return {
            "addressed": "addressed to us",
            "negative": "negative",
            "followers": "followers",
            "waiting": "waiting {d} business h",
            "known": "known customer",
            "none": "no urgency signal",
        }
    return {
        "addressed": "nous est adressé",
        "negative": "négatif",
        "followers": "abonnés",
        "waiting": "attend depuis {d} h ouvrées",
        "known": "client connu",
        "none": "aucun signal d'urgence",
    }


def score(signals: Signals, *, now: datetime, hours: BusinessHours, lang: str = "fr") -> Triage:
    """Score an item; the explanation names each part that counted, strongest first."""
    words = _words(lang)
    parts: list[tuple[str, float]] = []
    for intent, confidence in sorted(
        signals.intents.items(), key=lambda kv: -INTENT_WEIGHTS.get(kv[0], 0.0)
    ):
        if intent in INTENT_WEIGHTS:
            name = INTENT_NAMES[intent]["en" if lang == "en" else "fr"]
            parts.append((name, INTENT_WEIGHTS[intent] * max(0.5, min(1.0, confidence))))
    if signals.addressed:
        parts.append((words["addressed"], ADDRESSED_POINTS))
    if signals.sentiment == "negative":
        parts.append((words["negative"], NEGATIVE_POINTS * max(0.5, signals.sentiment_score)))
    if signals.followers >= 1000:
        reach = min(MAX_REACH_POINTS, signals.followers / 1000)
        parts.append((f"{signals.followers:,} {words['followers']}".replace(",", " "), reach))
    waited_hours = business_seconds(signals.posted_at, now, hours) / 3600
    if waited_hours >= 1:
        points = min(MAX_WAITING_POINTS, POINTS_PER_WAITING_HOUR * waited_hours)
        parts.append((words["waiting"].format(d=int(waited_hours)), points))
    if signals.known_customer:
        parts.append((words["known"], KNOWN_CUSTOMER_POINTS))
    total = round(sum(points for _, points in parts), 1)
    if not parts:
        return Triage(0.0, words["none"], level_of(0.0, lang))
    ranked = sorted(parts, key=lambda part: -part[1])
    return Triage(total, " · ".join(label for label, _ in ranked), level_of(total, lang))
