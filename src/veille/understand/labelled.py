"""The labelled French intents set in data/intents/ and its business profiles."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from veille.business import BusinessProfile
from veille.understand.types import INTENTS, SENTIMENT_LABELS

DATA = Path(__file__).resolve().parents[3] / "data" / "intents"
INFORMAL = "informal.jsonl"  # training posts in the informal register, beside train.jsonl
TRADES = "trades.jsonl"  # training posts for fourteen other trades, every register
TRADES2 = "trades2.jsonl"  # training posts for twelve more trades, mostly the informal register
# The held-out sets of earlier rounds, each read once then; training data since.
EARLIER_HELD_OUT = tuple(f"validation{n}.jsonl" for n in range(2, 6))
# Written for trades that no training file shows, read once at the end (eval_understand.py).
HELD_OUT = "validation6.jsonl"
# Held out too, and already read (none: the previous rounds' sets train since).
READ_HELD_OUT: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LabelledPost:
    text: str
    business: str
    intents: tuple[str, ...]
    seeks: bool  # asks for a provider, whether or not it is this business
    sentiment: str  # negative, neutral or positive: the feeling the author expresses
    # Who wrote it, in the sets written as one author's block of posts (trades.jsonl,
    # trades2.jsonl and the held-out sets): cross-validation and intervals keep a block together.
    author: str = ""


def load_posts(path: Path) -> list[LabelledPost]:
    posts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        unknown = set(record["intents"]) - set(INTENTS)
        if unknown:
            raise ValueError(f"{path}, line {number}: unknown intents {sorted(unknown)}")
        if record.get("sentiment") not in SENTIMENT_LABELS:
            raise ValueError(f"{path}, line {number}: sentiment must be one of {SENTIMENT_LABELS}")
        posts.append(
            LabelledPost(
                record["text"],
                record["business"],
                tuple(record["intents"]),
                record["seeks"],
                record["sentiment"],
                record.get("author", ""),
            )
        )
    return posts


def load_profiles(path: Path = DATA / "profiles.json") -> dict[str, BusinessProfile]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {key: BusinessProfile.model_validate(value) for key, value in raw.items()}


def sentiment_labels(posts: list[LabelledPost]) -> np.ndarray:
    """Index of each post's sentiment in SENTIMENT_LABELS."""
    return np.array([SENTIMENT_LABELS.index(p.sentiment) for p in posts])


def intent_matrix(posts: list[LabelledPost]) -> np.ndarray:
    """(n, len(INTENTS)) 0/1 truth."""
    return np.array([[float(name in p.intents) for name in INTENTS] for p in posts])
