"""Is a post a lead for this business? Someone asks for what it sells, where it works."""

from __future__ import annotations

import re

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


def offer_words(profile: BusinessProfile) -> list[str]:
    return [w for w in [profile.trade, *profile.services] if w.strip()]


def area_names(profile: BusinessProfile) -> set[str]:
    names = {fold(n) for n in [profile.city, profile.departement, *profile.area] if n}
    return names


def serves_place(profile: BusinessProfile, place: PlaceRef) -> bool:
    if "france" in area_names(profile):
        return True  # a business that sells nationwide
    if profile.departement_code and place.departement_code == profile.departement_code:
        return True
    return fold(place.name) in area_names(profile)


def lead_factor(text: str, profile: BusinessProfile | None) -> float:
    """How far the profile keeps a generic request as a lead: 1 keeps it, near 0 drops it."""
    if profile is None:
        return 1.0
    folded = fold(text)
    offers = offer_words(profile)
    ours = _mentions_any(folded, offers) if offers else True
    other_trade = any(
        _mentions_any(folded, [t]) for t in TRADES if not _mentions_any(fold(t), offers)
    )
    if not ours:
        # A request for another trade, or one too vague to tell.
        return 0.05 if other_trade else 0.35
    places = find_places(text)
    if places and not any(serves_place(profile, p) for p in places):
        return 0.05
    return 1.0
