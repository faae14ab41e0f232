"""The guard's learned risk model: what word lists cannot see (a candidate supported, scorn
for a group, irony without a cue, a rival's work run down, a contract's amount...).

Multi-label sigmoid heads on e5 vectors (the encoder of understand/embeddings.py): the
draft's vector beside the element-wise maximum of its sentences' vectors, so one risky
sentence among harmless ones still shows, blended with a head on the guard's own branch of
the encoder (its top layers fine-tuned for these risks, scripts/train_guard_branch.py).
Trained by scripts/train_guard.py on the pool of data/guard/; L2 weight and one threshold
per risk chosen by cross-validation grouped by template and author (models/guard_risk.json).
A risk found names its span, the sentence that scores highest for it, and says why.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from veille.publish.guard_cues import text_cues
from veille.translations import N_
from veille.understand.embeddings import embed, embed_guard
from veille.understand.linear import LinearHead
from veille.understand.mlp import MlpHead

MODEL = Path(__file__).resolve().parents[1] / "understand" / "models" / "guard_risk.npz"
THRESHOLDS = MODEL.with_suffix(".json")
# The head on the guard's branch of the encoder (scripts/train_guard_branch.py).
TUNED_HEAD = MODEL.with_name("guard_tuned.npz")

# Risk -> the flag kind it raises, and how the explanation names it (a msgid).
RISKS: dict[str, tuple[str, str]] = {
    "politics": ("politics", N_("a political stance")),
    "groups": ("groups", N_("a judgement on a group")),
    "religion": ("religion", N_("a remark about religion")),
    "insult": ("insult", N_("an insult or aggression")),
    "irony": ("sarcasm", N_("irony")),
    "mockery": ("mockery", N_("a joke at someone's expense")),
    "denigration": ("negative_mention", N_("running down a person or a business")),
    "confidential": (
        "confidential",
        N_("confidential information (an amount, a client, an employee)"),
    ),
    "legal": ("legal", N_("a legally risky claim")),
    "crisis_promo": ("crisis_promo", N_("promotion during a crisis")),
}
CATEGORIES: tuple[str, ...] = tuple(RISKS)
# The model reads drafts of at least two different words: on anything shorter (« aaaa... »,
# a lone emoji) e5 vectors carry no meaning and the heads answer at random.
MIN_WORDS = 2
_WORD = re.compile(r"[^\W\d_]{2,}")
# Sentence ends: the span of a learned flag is the sentence that scores highest.
_SENTENCE_END = ".!?\n…"


@dataclass(frozen=True)
class LearnedRisk:
    category: str
    kind: str
    probability: float
    start: int
    end: int


def features(
    draft: np.ndarray, sentences: np.ndarray, cues: np.ndarray | None = None
) -> np.ndarray:
    """The model's input for one draft: its vector, then the element-wise maximum of its
    sentences' vectors (the draft's own vector when it has no sentence with words), then its
    cues (guard_cues) when the model reads them."""
    pooled = sentences.max(axis=0) if len(sentences) else draft
    return np.concatenate([draft, pooled] if cues is None else [draft, pooled, cues])


@dataclass(frozen=True)
class RiskModel:
    head: LinearHead | MlpHead
    thresholds: dict[str, float]
    cue_count: int = 0  # how many cues (guard_cues) follow the vectors; 0: vectors only
    # The head on the guard's fine-tuned branch (embed_guard), and its share of each draft's
    # probabilities; a sentence's span is still the one the head above scores highest.
    tuned: LinearHead | None = None
    tuned_share: float = 0.0

    def probabilities(self, texts: list[str], cues: list[np.ndarray] | None = None) -> np.ndarray:
        """(n, len(CATEGORIES)) probabilities."""
        if not texts:
            return np.empty((0, len(CATEGORIES)))
        return self._score(texts, cues)[0]

    def _score(
        self, texts: list[str], cues: list[np.ndarray] | None
    ) -> tuple[np.ndarray, list[tuple[np.ndarray, list[tuple[int, int]]]]]:
        """Probabilities per draft, and per draft each sentence's probabilities and span."""
        if self.cue_count:
            # The last cue_count cues of guard_cues (read without context when not given).
            given = cues if cues is not None else [text_cues(text) for text in texts]
            cues = [c[len(c) - self.cue_count :] for c in given]
        spans = [sentence_spans(text) for text in texts]
        pieces = [text[s:e] for text, found in zip(texts, spans, strict=True) for s, e in found]
        drafts, rest, branch = self._vectors(texts, pieces)
        rows, per_sentence = [], []
        for i, found in enumerate(spans):
            mine, rest = rest[: len(found)], rest[len(found) :]
            cue = cues[i] if self.cue_count and cues is not None else None
            rows.append(features(drafts[i], mine, cue))
            alone = mine
            if len(found):
                # Each sentence read as a draft of its own, with the draft's cues.
                parts = [mine, mine] + ([np.tile(cue, (len(found), 1))] if cue is not None else [])
                alone = self.head.predict_dense(np.hstack(parts))
            per_sentence.append((alone, found))
        probabilities = self.head.predict_dense(np.stack(rows))
        if self.tuned is not None and branch is not None:
            tuned = self.tuned.predict_dense(branch)
            probabilities = (1 - self.tuned_share) * probabilities + self.tuned_share * tuned
        return probabilities, per_sentence

    def _vectors(
        self, texts: list[str], pieces: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The drafts' and the sentences' vectors, and the drafts' branch vectors (None
        without a branch). With a branch, the drafts' plain vectors come from the branch's
        own pass, which computes them on the way, and a one-sentence draft is read once."""
        if self.tuned is None or not self.tuned_share:
            vectors = embed([*texts, *pieces])
            return vectors[: len(texts)], vectors[len(texts) :], None
        drafts, branch = embed_guard(texts)
        row = {text: i for i, text in enumerate(texts)}
        others = [p for p in dict.fromkeys(pieces) if p not in row]
        computed = dict(zip(others, embed(others), strict=True))
        sentences = np.array(
            [drafts[row[p]] if p in row else computed[p] for p in pieces], dtype=np.float32
        ).reshape(len(pieces), drafts.shape[1])
        return drafts, sentences, branch

    def risks(
        self, text: str, *, open_crisis: bool, cues: np.ndarray | None = None
    ) -> list[LearnedRisk]:
        """The risks above their threshold, each on the sentence that carries it most."""
        if len(set(_WORD.findall(text.casefold()))) < MIN_WORDS:
            return []  # a run of letters or a bare number says nothing the vectors can read
        probs, [(per_sentence, spans)] = self._score([text], None if cues is None else [cues])
        out = []
        for k, (category, p) in enumerate(zip(CATEGORIES, probs[0], strict=True)):
            if p < self.thresholds[category] or (category == "crisis_promo" and not open_crisis):
                continue
            start, end = spans[int(per_sentence[:, k].argmax())] if spans else (0, len(text))
            out.append(LearnedRisk(category, RISKS[category][0], float(p), start, end))
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
    settings = json.loads(THRESHOLDS.read_text(encoding="utf-8"))
    thresholds = settings["thresholds"]
    missing = set(CATEGORIES) - set(thresholds)
    if missing:
        raise ValueError(f"{THRESHOLDS}: no threshold for {sorted(missing)}")
    # train_guard.py says which kind of head cross-validation chose.
    head = MlpHead.load(MODEL) if settings.get("head") == "mlp" else LinearHead.load(MODEL)
    share = float(settings.get("tuned_share", 0.0))
    return RiskModel(
        head,
        {k: float(v) for k, v in thresholds.items()},
        int(settings.get("cues", 0)),
        LinearHead.load(TUNED_HEAD) if share else None,
        share,
    )
