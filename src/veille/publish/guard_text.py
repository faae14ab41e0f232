"""Text helpers for the guard: a folded copy of a draft that maps back to the original offsets,
grapheme counting and each network's own way of counting a post's length."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

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
_SIMPLE = re.compile(r"[\x00-\x0c\x0e-\u02ff]*")


def grapheme_count(text: str) -> int:
    if _SIMPLE.fullmatch(text):
        return len(text)
    return len(graphemes(text))


# --- network lengths -----------------------------------------------------------------------
# URLs the way X, Bluesky and Mastodon autolink them: with a scheme, or starting with www.
URL_PATTERN = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"«»]+|\b[a-z][a-z0-9+.-]*:/+[^\s<>\"«»]+"
)
X_URL_WEIGHT = 23
MASTODON_URL_WEIGHT = 23
_MASTODON_REMOTE_MENTION = re.compile(r"(?<![\w@])(@\w+)@[\w.-]+\w")

# twitter-text v3: these ranges weigh 1, everything else (CJK, emoji...) weighs 2.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def _x_weight(cluster: str) -> int:
    if any(_is_emoji(c) for c in cluster):
        return 2  # an emoji sequence counts 2, whatever its length in code points
    total = 0
    for char in cluster:
        code = ord(char)
        total += 1 if any(low <= code <= high for low, high in _X_LIGHT_RANGES) else 2
    return total


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF


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


def _replace_urls(text: str, weight: int) -> tuple[str, int]:
    """Text without its URLs, and how much the URLs weigh on this network."""
    pieces: list[str] = []
    last = 0
    found = urls(text)
    for start, end, _url in found:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return "".join(pieces), weight * len(found)


def x_length(text: str) -> int:
    """Length of a post as X counts it (NFC, URLs = 23, wide characters and emoji = 2)."""
    rest, url_weight = _replace_urls(unicodedata.normalize("NFC", text), X_URL_WEIGHT)
    if _SIMPLE.fullmatch(rest):
        return url_weight + len(rest)  # all in X's weight-1 range
    return url_weight + sum(_x_weight(cluster) for cluster in graphemes(rest))


def bluesky_length(text: str) -> int:
    """Bluesky counts graphemes of the text as written (links count in full)."""
    return grapheme_count(text)


def mastodon_length(text: str) -> int:
    """Mastodon counts URLs as 23 and a remote mention @user@host as @user only."""
    rest, url_weight = _replace_urls(text, MASTODON_URL_WEIGHT)
    rest = _MASTODON_REMOTE_MENTION.sub(r"\1", rest)
    return url_weight + grapheme_count(rest)


NETWORK_LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500}
NETWORK_LENGTH = {"x": x_length, "bluesky": bluesky_length, "mastodon": mastodon_length}


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around [start, end) in `text`."""
    left = max(text.rfind(mark, 0, start) for mark in ".!?\n…")
    right_candidates = [text.find(mark, end) for mark in ".!?\n…"]
    right = min((pos for pos in right_candidates if pos != -1), default=len(text))
    return left + 1, right
