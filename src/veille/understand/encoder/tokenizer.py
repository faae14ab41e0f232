"""XLM-RoBERTa's SentencePiece unigram tokenisation, as multilingual-e5 expects it.

Text is normalised codepoint by codepoint (the model file's map), runs of spaces collapse,
a leading space is added and spaces become "▁"; then the most probable split into vocabulary
pieces is found by Viterbi, with an unknown-piece fallback one character wide. No piece holds
a "▁" after its first character, so every word splits on its own and words are cached.
"""

from __future__ import annotations

import re
from functools import lru_cache

from veille.understand.encoder.modelfile import Vocabulary

META = "\u2581"
_SPACES = re.compile(" {2,}")
_UNREACHED = -1e30


class Tokenizer:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._ids = {piece: i for i, piece in enumerate(vocabulary.pieces)}
        self._ids.pop(vocabulary.pieces[vocabulary.unk], None)
        self._scores = [float(s) for s in vocabulary.scores]
        self._unk_score = float(vocabulary.scores.min()) - 10.0
        self._longest = max(len(p) for p in vocabulary.pieces)
        self._table = str.maketrans({chr(cp): out for cp, out in vocabulary.normalise.items()})
        self.word = lru_cache(maxsize=1 << 17)(self._word)

    def content(self, text: str) -> list[int]:
        """Piece ids of text, without the <s> and </s> markers."""
        normal = _SPACES.sub(" ", text.translate(self._table))
        if not normal.startswith(" "):
            normal = " " + normal
        ids: list[int] = []
        for word in normal.replace(" ", META).split(META)[1:]:
            ids.extend(self.word(META + word))
        return ids

    def _word(self, word: str) -> tuple[int, ...]:
        n = len(word)
        best = [_UNREACHED] * (n + 1)
        piece = [-1] * (n + 1)
        start = [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            here = best[i]
            if here == _UNREACHED:
                continue
            for end in range(i + 1, min(n, i + self._longest) + 1):
                idx = self._ids.get(word[i:end])
                if idx is not None:
                    score = here + self._scores[idx]
                    if score > best[end]:
                        best[end], piece[end], start[end] = score, idx, i
            if here + self._unk_score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = here + self._unk_score, -1, i
        out: list[int] = []
        i = n
        while i > 0:
            out.append(self.vocabulary.unk if piece[i] < 0 else piece[i])
            i = start[i]
        return tuple(reversed(out))
