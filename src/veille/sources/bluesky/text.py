"""How Bluesky counts a post: what the composer and the guard measure."""

from __future__ import annotations

from veille.sources.post_length import grapheme_count

MAX_LENGTH = 300


def bluesky_length(text: str) -> int:
    """Bluesky counts graphemes of the text as written (links count in full)."""
    return grapheme_count(text)
