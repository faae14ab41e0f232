"""The guard's learned risk model: what word lists cannot see (a candidate supported, scorn
for a group, irony without a cue, a rival's work run down, a contract's amount...).

Multi-label sigmoid heads on the e5 sentence vectors of the draft (the encoder of
understand/embeddings.py), trained by scripts/train_guard.py on data/guard/; thresholds per
risk chosen by grouped cross-validation on the train split (models/guard_risk.json). A risk
found names its span, the sentence that scores highest for it, and says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from veille.understand.embeddings import embed
from veille.understand.linear import LinearHead

MODEL = Path(__file__).resolve().parents[1] / "understand" / "models" / "guard_risk.npz"
THRESHOLDS = MODEL.with_suffix(".json")

# Risk -> the flag kind it raises, and how the explanation names it (fr, en).
RISKS: dict[str, tuple[str, str, str]] = {
    "politics": ("politics", "une prise de position politique", "a political stance"),
    "groups": ("groups", "un jugement sur un groupe de personnes", "a judgement on a group"),
    "religion": ("religion", "un propos sur la religion", "a remark about religion"),
    "insult": ("insult", "une insulte ou une agressivité", "an insult or aggression"),
    "irony": ("sarcasm", "de l'ironie", "irony"),
    "mockery": ("mockery", "une moquerie aux dépens de quelqu'un", "a joke at someone's expense"),
    "denigration": (
        "negative_mention",
        "du dénigrement d'une personne ou d'une entreprise",
        "running down a person or a business",
    ),
    "confidential": (
        "confidential",
        "une information confidentielle (montant, client, salarié)",
        "confidential information (an amount, a client, an employee)",
    ),
    "legal": ("legal", "une affirmation risquée en droit", "a legally risky claim"),
    "crisis_promo": (
        "crisis_promo",
        "de la promotion en pleine crise",
        "promotion during a crisis",
    ),
}
CATEGORIES: tuple[str, ...] = tuple(RISKS)
# Sentence ends: the span of a learned flag is the sentence that scores highest.
_SENTENCE_END = ".!?\n…"


@dataclass(frozen=True)
class LearnedRisk:
    category: str
    kind: str
    probability: float
    start: int
    end: int


@dataclass(frozen=True)
class RiskModel:
    head: LinearHead
    thresholds: dict[str, float]

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """(n, len(CATEGORIES)) probabilities."""
        return self.head.predict_dense(embed(texts))

    def risks(self, text: str, *, open_crisis: bool) -> list[LearnedRisk]:
        """The risks above their threshold, each on the sentence that carries it most."""
        probs = self.probabilities([text])[0]
        found = [
            (category, float(p))
            for category, p in zip(CATEGORIES, probs, strict=True)
            if p >= self.thresholds[category] and (category != "crisis_promo" or open_crisis)
        ]
        if not found:
            return []
        spans = sentence_spans(text)
        per_sentence = self.probabilities([text[s:e] for s, e in spans]) if len(spans) > 1 else None
        out = []
        for category, p in found:
            start, end = spans[0] if spans else (0, len(text))
            if per_sentence is not None:
                best = int(per_sentence[:, CATEGORIES.index(category)].argmax())
                start, end = spans[best]
            out.append(LearnedRisk(category, RISKS[category][0], p, start, end))
        return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence or line with words, surrounding spaces left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for index, char in enumerate(text):
        if char in _SENTENCE_END:
            spans.append((start, index + 1))
            start = index + 1
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        piece = text[s:e]
        stripped = piece.strip()
        if sum(c.isalpha() for c in stripped) >= 3:
            s += len(piece) - len(piece.lstrip())
            out.append((s, s + len(stripped)))
    return out


@lru_cache(maxsize=1)
def shipped_model() -> RiskModel:
    thresholds = json.loads(THRESHOLDS.read_text(encoding="utf-8"))["thresholds"]
    missing = set(CATEGORIES) - set(thresholds)
    if missing:
        raise ValueError(f"{THRESHOLDS}: no threshold for {sorted(missing)}")
    return RiskModel(LinearHead.load(MODEL), {k: float(v) for k, v in thresholds.items()})
