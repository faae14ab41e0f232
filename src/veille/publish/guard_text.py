"""Text helpers for the guard: a folded copy of a draft that maps back to the original offsets,
and the sentence around a finding (graphemes and links: ``veille.sources.post_length``)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from veille.sources.post_length import URL_PATTERN, grapheme_count, graphemes, urls

__all__ = ["URL_PATTERN", "Folded", "fold", "fold_term", "grapheme_count", "graphemes", "urls"]

# Letters that NFD does not split but French writers type both ways.
_EXTRA_FOLDS = {"œ": "oe", "æ": "ae", "’": "'", "‘": "'", "ʼ": "'", "…": "...", "\u00a0": " "}
_EXTRA_FOLDS.update({"\u202f": " ", "\u2009": " ", "«": '"', "»": '"', "“": '"', "”": '"'})


@dataclass(frozen=True)
class Folded:
    """`text` lower-cased, without accents; `origin[i]` is the index in the original of text[i]."""

    text: str
    origin: tuple[int, ...]
    original_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Maps a [start, end) span of the folded text back onto the original text."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else self.original_length
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> Folded:
    """Case- and accent-insensitive copy of `text` that keeps a map back to the original."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded_char in _fold_char(char):
            out.append(folded_char)
            origin.append(index)
    return Folded("".join(out), tuple(origin), len(text))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char.casefold())
    # A lone combining mark (typed after its letter) folds to nothing.
    kept = (c for c in decomposed if not unicodedata.combining(c))
    return "".join(_EXTRA_FOLDS.get(c, c) for c in kept)


def fold_term(term: str) -> str:
    """The folded form of a lexicon term or a name given by the user."""
    return fold(term).text


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around [start, end) in `text`."""
    left = max(text.rfind(mark, 0, start) for mark in ".!?\n…")
    right_candidates = [text.find(mark, end) for mark in ".!?\n…"]
    right = min((pos for pos in right_candidates if pos != -1), default=len(text))
    return left + 1, right
