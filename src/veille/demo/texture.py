"""Turning templates into posts that read like people typed them.

Templates use `{slot}` for a fragment drawn from a bank and `[a|b|c]` for inline choices.
Entity slots (the brand, a commune, a competitor ...) become sentinels while the text is
roughened (typos, abbreviations, dropped accents), so a typo never silently turns a post
about "Peintures Martin" into one that is not: labels stay true by construction.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Mapping, Sequence

_SLOT = re.compile(r"\{(\w+)\}")
_CHOICE = re.compile(r"\[([^\[\]]*)\]")
_SENTINEL = re.compile("\x00(\\w+)\x00")
_SPACES = re.compile(r"[ \t]{2,}")

_FR_ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bquelqu'un\b", ("qqn", "qqun", "quelqu un")),
    (r"\bbeaucoup\b", ("bcp",)),
    (r"\bpour\b", ("pr",)),
    (r"\btoujours\b", ("tjrs", "tjs")),
    (r"\bvraiment\b", ("vrmt", "vraimen")),
    (r"\bje sais pas\b", ("jsp", "j'sais pas", "chais pas")),
    (r"\bje ne sais pas\b", ("jsp", "je sais pas")),
    (r"\bs'il te plaît\b", ("stp", "stp", "svp")),
    (r"\bs'il vous plaît\b", ("svp", "svp", "stp")),
    (r"\baujourd'hui\b", ("auj", "ajd", "aujourdhui")),
    (r"\brendez-vous\b", ("rdv",)),
    (r"\bquand\b", ("qd", "quand")),
    (r"\bdans\b", ("ds",)),
    (r"\bc'est\b", ("c", "c'est", "cest")),
    (r"\bje suis\b", ("chui", "jsuis", "je suis")),
    (r"\bmerci\b", ("merci", "mci", "merciii")),
    (r"\btrès\b", ("trop", "tres", "très")),
    (r"\bquoi\b", ("koi", "quoi")),
    (r"\bparce que\b", ("pcq", "parce ke", "pck")),
    (r"\bmaintenant\b", ("mtn", "maintenant")),
    (r"\bpeut-être\b", ("ptet", "p-e", "peut etre")),
    (r"\bd'accord\b", ("dac", "d'acc", "ok")),
)
_EN_ABBREVIATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\byou\b", ("u", "you")),
    (r"\bplease\b", ("pls", "plz")),
    (r"\bthanks\b", ("thx", "thanks!")),
    (r"\bgoing to\b", ("gonna",)),
    (r"\bto be honest\b", ("tbh",)),
    (r"\bbecause\b", ("bc", "cuz")),
    (r"\bI don't know\b", ("idk", "dunno")),
)
_COMPILED = {
    "fr": [(re.compile(p, re.IGNORECASE), alts) for p, alts in _FR_ABBREVIATIONS],
    "en": [(re.compile(p, re.IGNORECASE), alts) for p, alts in _EN_ABBREVIATIONS],
}

EMOJIS = {
    "positive": ("👍", "🙏", "😍", "👌", "💪", "🎨", "✨", "😊", "👏", "❤️", "🥰", "🔥", "💯"),
    "negative": ("😡", "🤬", "😤", "😠", "👎", "🙄", "😞", "💀", "😩", "🤦", "😒"),
    "neutral": ("🤔", "🙂", "😅", "🏠", "🖌️", "👀", "🙃", "😬", "📍", "☕"),
}


class TemplateError(ValueError):
    """A template names a slot no bank provides."""


def expand(
    template: str,
    rng: random.Random,
    banks: Mapping[str, Sequence[str]],
    entities: Mapping[str, str],
) -> str:
    """Fill slots and choices; entity slots are left as sentinels for `finish`."""

    def slot(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in entities:
            return f"\x00{name}\x00"
        if name not in banks:
            raise TemplateError(f"template slot {{{name}}} has no bank (template: {template!r})")
        return rng.choice(banks[name])

    text = template
    for _ in range(6):  # banks may reference banks; six levels is plenty
        if not _SLOT.search(text):
            break
        text = _SLOT.sub(slot, text)
    while True:
        chosen = _CHOICE.sub(lambda m: rng.choice(m.group(1).split("|")), text)
        if chosen == text:
            break
        text = chosen
    return text


def named_entities(text: str) -> list[str]:
    """Entity slots that made it into the expanded text."""
    return _SENTINEL.findall(text)


def finish(text: str, entities: Mapping[str, str]) -> str:
    """Put entity values in place of sentinels and tidy spacing."""
    text = _SENTINEL.sub(lambda m: entities[m.group(1)], text)
    text = _SPACES.sub(" ", text)
    text = re.sub(r" +([,.])", r"\1", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0327")
    return unicodedata.normalize("NFC", kept)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # swapped letters
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # missing letter
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]  # doubled letter


def roughen(text: str, rng: random.Random, *, lang: str, casual: float) -> str:
    """Casual typing: abbreviations, a typo, missing accents and capitals; `casual` in 0..1."""
    for pattern, alternatives in _COMPILED.get(lang, []):
        if pattern.search(text) and rng.random() < casual * 0.55:
            text = pattern.sub(rng.choice(alternatives), text, count=1)
    if rng.random() < casual * 0.35:
        words = text.split(" ")
        candidates = [
            i
            for i, w in enumerate(words)
            if len(w) >= 5 and w.isalpha() and "\x00" not in w and not w[0].isupper()
        ]
        if candidates:
            i = rng.choice(candidates)
            words[i] = _typo(words[i], rng)
            text = " ".join(words)
    if lang == "fr" and rng.random() < casual * 0.3:
        text = strip_accents(text)
    if text and text[0].isupper() and rng.random() < casual * 0.45:
        text = text[0].lower() + text[1:]
    if text.endswith(".") and not text.endswith("..") and rng.random() < casual * 0.6:
        text = text[:-1]
    return text


def add_emoji(text: str, rng: random.Random, sentiment: str, chance: float) -> str:
    if rng.random() >= chance:
        return text
    emoji = rng.choice(EMOJIS[sentiment])
    count = rng.choice((1, 1, 1, 2, 3))
    return f"{text} {emoji * count}"


def add_hashtags(text: str, rng: random.Random, tags: Sequence[str], chance: float) -> str:
    if not tags or rng.random() >= chance:
        return text
    picked = rng.sample(list(tags), k=min(len(tags), rng.choice((1, 1, 2))))
    return text + " " + " ".join(picked)
