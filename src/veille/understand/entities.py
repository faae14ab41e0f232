"""Entities in a post: mentions, hashtags, links, phones, e-mails, prices, places, competitors."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from veille.business import BusinessProfile
from veille.understand.places import COMMUNES, DEPARTEMENTS

_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,63}[A-Za-z0-9_]|[A-Za-z0-9_])")
_HASHTAG = re.compile(r"(?<![\w#&])#(\w{1,100})")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
# French numbers: 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78.
_PHONE = re.compile(r"(?<![\w+])(?:\+33\s?|0033\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)")
_PRICE = re.compile(
    r"(?:(?P<cur1>€|\$|£)\s?(?P<a1>\d+(?:[\s\u202f.]\d{3})*(?:[.,]\d{1,2})?)"
    r"|(?P<a2>\d+(?:[\s\u202f.]\d{3})*(?:[.,]\d{1,2})?)\s?(?P<cur2>€|euros?|eur\b|\$|£|k€))",
    re.IGNORECASE,
)
_TRAILING_PUNCT = ".,;:!?)]}'\""

# Place names that are also common words: only taken after a preposition.
_AMBIGUOUS = {
    "orange",
    "lens",
    "sens",
    "gap",
    "nord",
    "var",
    "lot",
    "cher",
    "aube",
    "manche",
    "somme",
    "marne",
    "orne",
    "loire",
    "indre",
    "meuse",
    "jura",
    "vienne",
    "mayenne",
    "ain",
    "eure",
    "dole",
    "paris",
    "rhone",
    "tarn",
    "gers",
    "creuse",
    "doubs",
    "vendome",
}
_PREPOSITION = re.compile(
    r"(?:\b(?:à|a|en|dans|du|de|sur|vers|près|pres|autour)\s+(?:le\s+|la\s+|l')?)$"
)


@dataclass(frozen=True, slots=True)
class Url:
    url: str
    domain: str


@dataclass(frozen=True, slots=True)
class Price:
    text: str
    amount: float
    currency: str


@dataclass(frozen=True, slots=True)
class PlaceRef:
    name: str
    kind: str  # "commune" or "departement"
    departement_code: str


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("-"): " ", ord("'"): " ", ord("’"): " "}
    for code in range(0xC0, 0x2B0):
        char = chr(code)
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if plain != char:
            table[code] = plain
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    """Lower case without accents (Latin letters); hyphens and apostrophes become spaces."""
    return text.lower().translate(_FOLD)


_WORD = re.compile(r"\w+")
_DEPARTEMENT_NUMBER = re.compile(r"\b(?:dans le|en|le)\s+(\d{2,3}|2a|2b)\b|\((\d{2,3})\)")


@lru_cache(maxsize=1)
def _place_index() -> dict[str, list[tuple[tuple[str, ...], PlaceRef]]]:
    """First word of each folded place name -> (all its words, place), longest names first."""
    by_key: dict[tuple[str, ...], PlaceRef] = {}
    for code, name in DEPARTEMENTS.items():
        by_key[tuple(fold(name).split())] = PlaceRef(name, "departement", code)
    for name, code in COMMUNES.items():
        # A commune and a département of the same name: the commune is what people mean.
        by_key[tuple(fold(name).split())] = PlaceRef(name, "commune", code)
    index: dict[str, list[tuple[tuple[str, ...], PlaceRef]]] = {}
    for words, ref in sorted(by_key.items(), key=lambda item: -len(item[0])):
        index.setdefault(words[0], []).append((words, ref))
    return index


def find_places(text: str) -> list[PlaceRef]:
    # Word lookup rather than one big alternation regex: several times faster per post.
    index = _place_index()
    folded = fold(text)
    # Folding keeps offsets when accents are single code points, the usual case.
    same_offsets = len(folded) == len(text)
    words = list(_WORD.finditer(folded))
    found: list[PlaceRef] = []
    for k, m in enumerate(words):
        for key, ref in index.get(m.group(), ()):
            if tuple(w.group() for w in words[k : k + len(key)]) != key:
                continue
            if (
                len(key) == 1
                and key[0] in _AMBIGUOUS
                and (
                    (same_offsets and not text[m.start()].isupper())
                    or not _PREPOSITION.search(folded[: m.start()])
                )
            ):
                break
            if ref not in found:
                found.append(ref)
            break
    for m in _DEPARTEMENT_NUMBER.finditer(folded):
        code = (m.group(1) or m.group(2)).upper()
        if code in DEPARTEMENTS:
            ref = PlaceRef(DEPARTEMENTS[code], "departement", code)
            if ref not in found:
                found.append(ref)
    return found


def _amount(raw: str) -> float:
    digits = re.sub(r"[\s\u202f]", "", raw)
    decimal = re.fullmatch(r"(.*)[.,](\d{1,2})", digits)
    if decimal:
        return float(f"{re.sub(r'[.,]', '', decimal.group(1))}.{decimal.group(2)}")
    return float(re.sub(r"[.,]", "", digits))


def find_prices(text: str) -> list[Price]:
    prices: list[Price] = []
    for m in _PRICE.finditer(text):
        raw = m.group("a1") or m.group("a2")
        cur = (m.group("cur1") or m.group("cur2") or "").lower()
        amount = _amount(raw)
        if cur == "k€":
            amount *= 1000
        currency = {"$": "USD", "£": "GBP"}.get(cur, "EUR")
        prices.append(Price(m.group(0).strip(), amount, currency))
    return prices


def find_urls(text: str) -> list[Url]:
    urls: list[Url] = []
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(_TRAILING_PUNCT)
        host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
        urls.append(Url(url, host.removeprefix("www.")))
    return urls


def find_competitors(text: str, profile: BusinessProfile | None) -> list[str]:
    if profile is None:
        return []
    folded = fold(text)
    handles = {h.lower() for h in _MENTION.findall(text)}
    found: list[str] = []
    for comp in profile.competitors:
        names = [comp.name, *comp.aliases]
        by_name = any(re.search(rf"\b{re.escape(fold(n))}\b", folded) for n in names if n)
        by_handle = any(h.lower().lstrip("@") in handles for h in comp.handles)
        if (by_name or by_handle) and comp.name not in found:
            found.append(comp.name)
    return found


def extract_entities(text: str, profile: BusinessProfile | None = None) -> dict[str, list[Any]]:
    """Every entity kind, each a list (empty when none), in order of appearance."""
    emails = _EMAIL.findall(text)
    without_emails = _EMAIL.sub(" ", text)
    urls = find_urls(without_emails)
    without_urls = _URL.sub(" ", without_emails)
    phones = [re.sub(r"[\s.-]", "", p) for p in _PHONE.findall(without_urls)]
    without_phones = _PHONE.sub(" ", without_urls)
    return {
        "mentions": _MENTION.findall(without_urls),
        "hashtags": _HASHTAG.findall(without_urls),
        "urls": urls,
        "phones": phones,
        "emails": emails,
        "prices": find_prices(without_phones),
        "places": find_places(without_urls),
        "competitors": find_competitors(text, profile),
    }
