"""Case and accent folding shared by search and alert terms."""

from __future__ import annotations

import unicodedata


class _FoldTable(dict[int, str]):
    """Each character's folded form, computed once: folding is per character (case folding
    and compatibility decomposition are context-free, and combining marks are dropped)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).casefold())
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = folded
        return folded


_FOLDED = _FoldTable()


def fold(value: str) -> str:
    """Lower case without accents: "Rénovation À Angers" -> "renovation a angers"."""
    return value.translate(_FOLDED)
