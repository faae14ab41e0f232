"""A business profile built from what the boss types: checked, normalised, complete.

The web form and ``veille init`` both call :func:`build_profile`; a wrong value raises
:class:`ProfileError` naming the field and, for a commune or a trade, the closest matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from veille.business import BusinessProfile, Competitor
from veille.setup.communes import UnknownCommune, area_around, arrondissements, find_commune
from veille.setup.trades import UnknownTrade, find_trade
from veille.sources import registry
from veille.translations import N_, NP_, Refusal, Words

MAX_RADIUS_KM = 200
_USER = re.compile(r"^@?([A-Za-z0-9_][A-Za-z0-9_.-]{0,252})$")


class ProfileError(Refusal):
    """A profile field that cannot be used; ``field`` names it (the key `veille init` asks
    again by), ``closest`` may help; the message is a msgid and its named values."""

    def __init__(
        self, field: str, message: str, closest: Sequence[str] = (), **values: object
    ) -> None:
        super().__init__(message, **values)
        self.field = field
        self.closest = list(closest)


# The answers a handle is typed in, as a refusal names them.
_WHERE = {
    "compte": NP_("profile field", "accounts"),
    "compte du gérant": NP_("profile field", "owner's accounts"),
    "concurrent": NP_("profile field", "competitors"),
}


@dataclass
class ProfileInput:
    """The raw answers, as typed (handles as NETWORK:USER, competitors as NAME=NET:USER,...)."""

    name: str
    trade: str
    city: str
    radius_km: int = 10
    handles: list[str] = field(default_factory=list)
    owner: str = ""
    owner_handles: list[str] = field(default_factory=list)
    competitors: list[str] = field(default_factory=list)
    website: str = ""
    words: list[str] = field(default_factory=list)  # what it sells, for a trade off the list
    extra_area: list[str] = field(default_factory=list)  # communes served besides the radius


def parse_handle(value: str, where: str) -> str:
    """``x:fleursdumarais`` or ``bluesky:fleurs.bsky.social`` -> the user name."""
    network, sep, user = value.strip().partition(":")
    networks = registry.post_networks()
    if not sep or network.lower() not in networks:
        raise ProfileError(
            where,
            N_("%(where)s: %(value)r: write NETWORK:ACCOUNT, NETWORK among %(networks)s"),
            where=Words(_WHERE.get(where, where)),
            value=value,
            networks=", ".join(networks),
        )
    found = _USER.match(user.strip())
    if not found:
        raise ProfileError(
            where,
            N_("%(where)s: %(value)r: not a valid account name"),
            where=Words(_WHERE.get(where, where)),
            value=value,
        )
    return found.group(1)


def parse_competitor(value: str) -> Competitor:
    """``Fleurs de Lys`` or ``Fleurs de Lys=x:fleursdelys,bluesky:lys.bsky.social``."""
    name, _, handles = value.partition("=")
    name = " ".join(name.split())
    if not name:
        raise ProfileError(
            "concurrent", N_("competitors: %(value)r: the name is missing"), value=value
        )
    return Competitor(
        name=name,
        handles=[parse_handle(h, "concurrent") for h in handles.split(",") if h.strip()],
        aliases=likely_spellings(name),
    )


def likely_spellings(name: str) -> list[str]:
    """Other ways people write a name: joined up, without the final s, one consonant of two.

    Case, accents and hyphens need no variant: the rules fold them.
    """
    words = name.split()
    variants = []
    if len(words) > 1:
        variants.append("".join(words))
    singular = [w[:-1] if _plural(w) else w for w in words]
    variants.append(" ".join(singular))
    for double in list(re.finditer(r"([b-df-hj-np-tv-z])\1", name, flags=re.IGNORECASE))[:3]:
        variants.append(name[: double.start()] + name[double.start() + 1 :])
    seen = {name.lower()}
    out = []
    for variant in variants:
        if variant.lower() not in seen:
            seen.add(variant.lower())
            out.append(variant)
    return out


def _plural(word: str) -> bool:
    """ "Fleurs" -> "Fleur", but "Marais", "Dubois" and "Lys" keep their s."""
    lower = word.lower()
    return len(lower) > 4 and lower.endswith("s") and not lower.endswith(("is", "us", "ss", "ys"))


def _website(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise ProfileError(
            "site web", N_("website: %(value)r is not a website address"), value=value
        )
    return value.rstrip("/")


def build_profile(answers: ProfileInput) -> BusinessProfile:
    name = " ".join(answers.name.split())
    if not name:
        raise ProfileError("nom", N_("name: the business's name is missing"))
    if not 0 <= answers.radius_km <= MAX_RADIUS_KM:
        raise ProfileError("rayon", N_("radius: from 0 to %(most)s km"), most=MAX_RADIUS_KM)
    try:
        trade = find_trade(answers.trade)
        trade_label, words = trade.label, [*trade.names, *trade.words]
    except UnknownTrade as exc:
        if not answers.words:
            message = (
                N_("trade: %(given)r is not in the list of trades; the closest: %(nearest)s")
                if exc.closest
                else N_("trade: %(given)r is not in the list of trades")
            )
            raise ProfileError(
                "métier", message, exc.closest, given=exc.given, nearest=", ".join(exc.closest)
            ) from None
        trade_label, words = " ".join(answers.trade.split()), []  # free text, its own words
    try:
        city = find_commune(answers.city)
        extra = [find_commune(c) for c in answers.extra_area if c.strip()]
    except UnknownCommune as exc:
        message = (
            N_("city: %(given)r is not a French commune; the closest: %(nearest)s")
            if exc.closest
            else N_("city: %(given)r is not a French commune")
        )
        raise ProfileError(
            "commune", message, exc.closest, given=exc.given, nearest=", ".join(exc.closest)
        ) from None
    area = []
    for commune in [*area_around(city, answers.radius_km), *extra]:
        for place in [commune, *arrondissements(commune)]:
            if place.name not in area:
                area.append(place.name)
    services = list(dict.fromkeys(w for w in [*words, *answers.words] if w != trade_label))
    return BusinessProfile(
        name=name,
        handles=[parse_handle(h, "compte") for h in answers.handles if h.strip()],
        owner_name=" ".join(answers.owner.split()),
        owner_handles=[parse_handle(h, "compte du gérant") for h in answers.owner_handles],
        trade=trade_label,
        services=services,
        city=city.name,
        departement=city.departement,
        departement_code=city.departement_code,
        area=area,
        radius_km=answers.radius_km,
        commune_code=city.code,
        competitors=[parse_competitor(c) for c in answers.competitors if c.strip()],
        website=_website(answers.website),
    )
