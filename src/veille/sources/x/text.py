"""How X counts a post (twitter-text v3 weights): what the composer and the guard measure."""

from __future__ import annotations

import unicodedata

from veille.sources.post_length import SIMPLE, graphemes, replace_urls

URL_WEIGHT = 23
MAX_LENGTH = 280

# twitter-text v3: these ranges weigh 1, everything else (CJK, emoji...) weighs 2.
LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def _x_weight(cluster: str) -> int:
    if any(_is_emoji(c) for c in cluster):
        return 2  # an emoji sequence counts 2, whatever its length in code points
    total = 0
    for char in cluster:
        code = ord(char)
        total += 1 if any(low <= code <= high for low, high in LIGHT_RANGES) else 2
    return total


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF


def x_length(text: str) -> int:
    """Length of a post as X counts it (NFC, URLs = 23, wide characters and emoji = 2)."""
    rest, url_weight = replace_urls(unicodedata.normalize("NFC", text), URL_WEIGHT)
    if SIMPLE.fullmatch(rest):
        return url_weight + len(rest)  # all in X's weight-1 range
    return url_weight + sum(_x_weight(cluster) for cluster in graphemes(rest))
