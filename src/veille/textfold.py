"""Case and accent folding shared by search and alert terms."""

from __future__ import annotations

import unicodedata


def fold(value: str) -> str:
    """Lower case without accents: "Rénovation À Angers" -> "renovation a angers"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
