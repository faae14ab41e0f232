"""Text folding shared by the parser, the reference evaluator and the compiled matcher.

A text is folded character by character: lower case, compatibility decomposition (NFKD), accents
and other combining marks dropped, a few ligatures spelled out (œ → oe), every punctuation mark,
symbol and separator turned into a space, and each pictograph (emoji) set apart as a word of its
own. Apostrophes are separators, so the elided forms of French (l', d', qu', j', n', s', c', m',
t') fall off as one-letter words and "entreprise" is found in "l'entreprise" and "d’entreprise".
``_`` and ``$`` stay inside words so that handles and cashtags keep their shape.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD keeps whole but that French (and its neighbours) spell with plain letters.
_LETTERS = {
    "œ": "oe",
    "æ": "ae",
    "ß": "ss",
    "ø": "o",
    "đ": "d",
    "ł": "l",
    "ı": "i",
    "ð": "d",
    "þ": "th",
    "ŋ": "n",
    "ħ": "h",
}
_KEPT_SYMBOLS = "_$"

_ASCII_MAP = bytes(
    (c + 32 if 65 <= c <= 90 else c)
    if (chr(c).isalnum() or chr(c) in _KEPT_SYMBOLS) and c < 128
    else (32 if c < 128 else c)
    for c in range(256)
)
_ASCII_TABLE = {c: chr(_ASCII_MAP[c]) for c in range(128) if _ASCII_MAP[c] != c}
# After NFKD, a string made only of ASCII and combining accents (the usual French post) takes
# the fast path; anything else is folded one run of unusual characters at a time.
_UNUSUAL = re.compile(r"[^\x00-\x7f\u0300-\u036f]")
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    """The folded form of one character of an NFKD-decomposed, lower-cased text."""
    if char.isascii():
        return chr(_ASCII_MAP[ord(char)])
    if char in _LETTERS:
        return _LETTERS[char]
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf"):
        return ""
    if category[0] in "LN":
        return char.lower()
    if category == "So":
        return f" {char} "
    return " "


def _fold_run(match: re.Match[str]) -> str:
    return "".join([_fold_char(c) for c in match.group()])


def fold(text: str) -> str:
    """Lower-case, accent-free text with separators as spaces (not collapsed)."""
    low = text.lower()
    if low.isascii():
        return low.translate(_ASCII_TABLE)
    if "’" in low:
        low = low.replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", low)
    if _UNUSUAL.search(decomposed) is None:
        # Only combining marks remain beyond ASCII: dropping them is the whole job.
        return decomposed.encode("ascii", "ignore").translate(_ASCII_MAP).decode("ascii")
    return _NON_ASCII_RUN.sub(_fold_run, decomposed).encode().translate(_ASCII_MAP).decode()


def fold_slow(text: str) -> str:
    """The definition ``fold`` implements faster: fold every character on its own."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(_fold_char(c) for c in decomposed)


def strip_urls(text: str) -> str:
    """Links are matched by url:, not by words, so they are taken out of the text."""
    if "http" in text or "www." in text:
        return _URL.sub(" ", text)
    return text


class _TokenCache(dict[str, str]):
    """Folded form of whitespace-separated tokens, each followed by a space ("" for a token
    with nothing to match): social text repeats the same few thousand tokens, so most are
    folded once and then looked up."""

    limit = 200_000

    def __missing__(self, token: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        folded = " ".join(fold(token).split())
        value = folded + " " if folded else ""
        self[token] = value
        return value


_TOKENS = _TokenCache()
_folded_token = _TOKENS.__getitem__


def words(text: str) -> list[str]:
    """The folded words of a text, in order (``fold(text).split()``, through the cache)."""
    return "".join(map(_folded_token, text.split())).split()


def post_text(text: str) -> str:
    """A post's words (links removed), space-separated with a space at each end.

    Equal to ``" " + "".join(w + " " for w in fold(strip_urls(text)).split())``: folding works
    character by character and whitespace folds to a space, so tokens fold one at a time.
    """
    if "http" in text or "www." in text:
        text = strip_urls(text)
    return " " + "".join(map(_folded_token, text.split()))


def post_words(text: str) -> list[str]:
    """The words a post's text is matched on (links removed)."""
    return post_text(text).split()


# Exact-case matching keeps case and accents but splits words exactly as ``fold`` does.
@lru_cache(maxsize=65536)
def _case_char(char: str) -> str:
    if char.isascii():
        return char if (char.isalnum() or char in _KEPT_SYMBOLS) else " "
    category = unicodedata.category(char)
    if category in ("Me", "Cf") or char == "\ufe0f":
        return ""
    if category[0] in "LNM":
        return char
    if category == "So":
        return f" {char} "
    return " "


def case_words(text: str) -> list[str]:
    """Words with their case and accents kept (NFC), for exact-case terms."""
    composed = unicodedata.normalize("NFC", text)
    return "".join([_case_char(c) for c in composed]).split()


class _CaseTokenCache(dict[str, str]):
    """Like the folded token cache, for exact-case words."""

    limit = 100_000

    def __missing__(self, token: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        kept = " ".join(case_words(token))
        value = kept + " " if kept else ""
        self[token] = value
        return value


_case_token = _CaseTokenCache().__getitem__


def post_case_text(text: str) -> str:
    """Exact-case words of a post (links removed), as ``post_text`` gives folded ones."""
    if "http" in text or "www." in text:
        text = strip_urls(text)
    return " " + "".join(map(_case_token, text.split()))


def post_case_words(text: str) -> list[str]:
    return case_words(strip_urls(text))
