"""How long a post is: graphemes (user-perceived characters) and the links the networks
autolink, the pieces each network's own length function is built from."""

from __future__ import annotations

import re
import unicodedata

# --- graphemes -----------------------------------------------------------------------------
# A compact approximation of Unicode extended grapheme clusters (UAX #29), enough for the
# texts people post: combining marks, emoji modifiers and variation selectors, ZWJ sequences,
# flag pairs, tag sequences and CRLF.
_ZWJ = "\u200d"


def _extends(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
        or code == 0x20E3  # keycap
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def graphemes(text: str) -> list[str]:
    """Splits `text` into user-perceived characters."""
    clusters: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        start = index
        char = text[index]
        index += 1
        pairs_with_next = index < length and (
            (char == "\r" and text[index] == "\n") or (_regional(char) and _regional(text[index]))
        )
        if pairs_with_next:
            index += 1
        while index < length:
            nxt = text[index]
            if _extends(nxt):
                index += 1
            elif nxt == _ZWJ:
                index += 2 if index + 1 < length else 1
            else:
                break
        clusters.append(text[start:index])
    return clusters


# Below U+0300 no character joins its neighbour (except CR LF): one code point, one grapheme.
SIMPLE = re.compile(r"[\x00-\x0c\x0e-\u02ff]*")


def grapheme_count(text: str) -> int:
    if SIMPLE.fullmatch(text):
        return len(text)
    return len(graphemes(text))


# --- network lengths -----------------------------------------------------------------------
# URLs the way the networks autolink them: with a scheme, or starting with www.
URL_PATTERN = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"«»]+|\b[a-z][a-z0-9+.-]*:/+[^\s<>\"«»]+"
)


def _strip_trailing_punctuation(url: str) -> str:
    return url.rstrip(".,;:!?)]}'")


def urls(text: str) -> list[tuple[int, int, str]]:
    """Every link in `text` as (start, end, url), trailing punctuation left out."""
    found: list[tuple[int, int, str]] = []
    for match in URL_PATTERN.finditer(text):
        url = _strip_trailing_punctuation(match.group(0))
        if url:
            found.append((match.start(), match.start() + len(url), url))
    return found


def replace_urls(text: str, weight: int) -> tuple[str, int]:
    """Text without its URLs, and how much the URLs weigh on this network."""
    pieces: list[str] = []
    last = 0
    found = urls(text)
    for start, end, _url in found:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces), weight * len(found)
