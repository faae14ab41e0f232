"""Is a post a lead for this business? Someone asks for what it sells, where it works."""

from __future__ import annotations

import re
from functools import lru_cache

from veille.business import BusinessProfile
from veille.understand.entities import PlaceRef, find_places, fold

# Trades people ask for; naming one the business does not practise rules the lead out.
TRADES = (
    "plombier",
    "electricien",
    "peintre",
    "macon",
    "couvreur",
    "menuisier",
    "carreleur",
    "plaquiste",
    "chauffagiste",
    "serrurier",
    "jardinier",
    "paysagiste",
    "boulanger",
    "boulangerie",
    "patissier",
    "patisserie",
    "traiteur",
    "garagiste",
    "garage",
    "mecanicien",
    "carrossier",
    "carrosserie",
    "developpeur",
    "agence web",
    "informaticien",
    "avocat",
    "comptable",
    "expert comptable",
    "coiffeur",
    "photographe",
    "demenageur",
    "vitrier",
    "architecte",
    "decorateur",
    "ramoneur",
    "epicerie",
    "primeur",
    "fleuriste",
)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith(("s", "x")) else word


def _mentions_any(folded: str, phrases: list[str]) -> bool:
    for phrase in phrases:
        words = [_stem(w) for w in fold(phrase).split()]
        if words and re.search(r"\b" + r"s?\s+".join(map(re.escape, words)) + r"[sx]?\b", folded):
            return True
    return False


# Words of an offer too general to stand for it on their own ("peinture extérieure").
_GENERAL = {"interieur", "interieure", "exterieur", "exterieure", "batiment", "thermique"}


def offer_words(profile: BusinessProfile) -> list[str]:
    return [w for w in [profile.trade, *profile.services] if w.strip()]


def offer_terms(profile: BusinessProfile) -> tuple[list[str], list[str]]:
    """What a request may name to be for this business, and the other trades it may name.

    An offer written as a phrase also answers a request for its own words ("ravalement de
    façade" answers "refaire la façade"), and a trade named inside an offer ("peintre" in
    "peintre en bâtiment") is the business's own, never another trade.
    """
    return _terms(tuple(offer_words(profile)))


@lru_cache(maxsize=64)
def _terms(offers: tuple[str, ...]) -> tuple[list[str], list[str]]:
    # Once per profile, not per post: the checks below compile a regex each.
    words = {
        w for phrase in offers for w in fold(phrase).split() if len(w) >= 5 and w not in _GENERAL
    }
    own = {t for t in TRADES if any(_mentions_any(fold(phrase), [t]) for phrase in offers)}
    terms = [*offers, *sorted(words), *sorted(own)]
    others = [t for t in TRADES if t not in own and not _mentions_any(fold(t), terms)]
    return terms, others


def area_names(profile: BusinessProfile) -> set[str]:
    names = {fold(n) for n in [profile.city, profile.departement, *profile.area] if n}
    return names


def serves_place(profile: BusinessProfile, place: PlaceRef) -> bool:
    if "france" in area_names(profile):
        return True  # a business that sells nationwide
    if profile.commune_code and profile.area and place.kind == "commune":
        # Set up from the commune list: the area is exactly the communes around the town
        # (a florist in Bordeaux within 10 km does not serve Arcachon, in the same département).
        return fold(place.name) in area_names(profile)
    if profile.departement_code and place.departement_code == profile.departement_code:
        return True
    return fold(place.name) in area_names(profile)


def lead_factor(text: str, profile: BusinessProfile | None) -> float:
    """How far the profile keeps a generic request as a lead: 1 keeps it, near 0 drops it."""
    if profile is None:
        return 1.0
    folded = fold(text)
    terms, others = offer_terms(profile)
    ours = _mentions_any(folded, terms) if terms else True
    other_trade = _mentions_any(folded, others)
    if not ours:
        # A request for another trade, or one too vague to tell.
        return 0.05 if other_trade else 0.35
    if _names_area(folded, profile):
        # The profile's own communes first: one missing from the commune list
        # ("Saint-Cyr-sur-Loire") would otherwise be read as the département inside its name.
        return 1.0
    places = find_places(text)
    if places and not any(serves_place(profile, p) for p in places):
        return 0.05
    return 1.0


def elsewhere(text: str, profile: BusinessProfile | None) -> bool:
    """The text names places and the business serves none of them: a conversation in another
    town ("un bon fleuriste à Lille ?" for a florist in Bordeaux)."""
    if profile is None or _names_area(fold(text), profile):
        return False
    places = find_places(text)
    return bool(places) and not any(serves_place(profile, p) for p in places)


def _names_area(folded: str, profile: BusinessProfile) -> bool:
    return _area_pattern((profile.city, *profile.area)).search(folded) is not None


@lru_cache(maxsize=16)
def _area_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # Once per area, not per post: an area of 600 communes would otherwise compile 600
    # patterns for every post and overflow re's own cache.
    words = sorted({fold(n) for n in names if n}, key=len, reverse=True)
    if not words:
        return re.compile(r"(?!)")  # no area: matches nothing
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])")
