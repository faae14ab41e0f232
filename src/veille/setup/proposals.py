"""The watches Veille proposes for a profile: the brand, the boss, each competitor, the
leads for its trade in its area, its sector and its town's news.

Each rule stays under the configured rule length: a long area is split across several rules
of the same watch. A wide area (hundreds of communes) names its most populous communes and the
town's département; a request naming a smaller commune of the area still counts as a lead when it
is caught otherwise (the leads detector checks the whole area, understand/leads.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from veille.business import BusinessProfile
from veille.setup.profile import likely_spellings
from veille.setup.trades import UnknownTrade, find_trade
from veille.textfold import fold

# How people ask for a recommendation; jobs, retweets and adverts are not requests.
ASKING = (
    'cherche* OR "quelqu\'un connait" OR "qqn connait" OR "vous connaissez" OR recommand* '
    'OR conseil* OR devis OR "un bon" OR "une bonne" OR "anyone know"'
)
NOT_A_REQUEST = "-recrut* -#emploi -alternance -embauche -cdi -is:retweet"
# Past this many communes the leads watch names the most populous ones and the département:
# 150 communes is four or five rules a boss can still read and edit.
LEAD_PLACES = 150
LOCAL_NEWS = "(travaux OR mairie OR quartier OR commerces OR municipal* OR ouverture OR fermeture)"


@dataclass(frozen=True)
class ProposedWatch:
    name: str
    kind: str
    description: str
    rules: list[str]


def _term(text: str) -> str:
    """One rule term: a bare word, or a quoted phrase."""
    words = fold(text).replace('"', " ").split()
    cleaned = " ".join(w for w in words if w)
    if " " in cleaned or any(not c.isalnum() for c in cleaned):
        return f'"{text.replace(chr(34), " ").strip()}"'
    return cleaned


def _any(terms: Iterable[str]) -> str:
    unique = list(dict.fromkeys(t for t in terms if t))
    return unique[0] if len(unique) == 1 else "(" + " OR ".join(unique) + ")"


def _chunks(template: str, items: Sequence[str], max_length: int) -> list[str]:
    """``template`` with ``{}`` filled by an OR of as many items as fit, repeated."""
    rules: list[str] = []
    current: list[str] = []
    for item in items:
        trial = template.format(_any([*current, item]))
        if current and len(trial) > max_length:
            rules.append(template.format(_any(current)))
            current = []
        current.append(item)
    if current:
        rules.append(template.format(_any(current)))
    return [r for r in rules if len(r) <= max_length]


def _account_terms(handles: Sequence[str]) -> list[str]:
    return [f"@{h}" for h in handles] + [f"from:{h}" for h in handles]


def _request_terms(profile: BusinessProfile) -> list[str]:
    try:
        names = list(find_trade(profile.trade).names)
    except UnknownTrade:
        names = [profile.trade]
    return [_term(n) for n in [*names, *profile.services] if n.strip()]


def _sector_terms(profile: BusinessProfile) -> list[str]:
    try:
        sector = list(find_trade(profile.trade).sector)
    except UnknownTrade:
        sector = []
    return [_term(w) for w in [*sector, profile.trade] if w.strip()]


def propose_watches(profile: BusinessProfile, *, max_length: int) -> list[ProposedWatch]:
    """The starting watches for ``profile``, every rule valid and under ``max_length``."""
    watches = []
    brand = [_term(profile.name), *(_term(a) for a in likely_spellings(profile.name))]
    brand += _account_terms(profile.handles)
    watches.append(
        ProposedWatch(
            profile.name,
            "brand",
            "Ce qui est dit de l'entreprise : son nom, ses comptes, ses fautes de frappe.",
            _chunks("{} -is:retweet", brand, max_length),
        )
    )
    if profile.owner_name:
        context = _any([_term(profile.name), *_request_terms(profile)[:6]])
        owner = [f"{_term(profile.owner_name)} {context}", *_account_terms(profile.owner_handles)]
        watches.append(
            ProposedWatch(
                profile.owner_name,
                "owner",
                "Le gérant, cité par son nom avec son métier ou son entreprise, ou son compte.",
                _chunks("{}", owner, max_length),
            )
        )
    for competitor in profile.competitors:
        terms = [_term(n) for n in [competitor.name, *competitor.aliases]]
        watches.append(
            ProposedWatch(
                f"Concurrent : {competitor.name}",
                "competitor",
                f"Ce qui est dit de {competitor.name}, et ce qu'il publie.",
                _chunks("{}", [*terms, *_account_terms(competitor.handles)], max_length),
            )
        )
    # A profile saved without a trade or a town (the CLI, an older version) proposes no
    # watch on them rather than a rule with empty parentheses.
    requests = _request_terms(profile)[:12]
    area = [profile.city, *profile.area]
    if len(area) > LEAD_PLACES:
        area = [*area[:LEAD_PLACES], profile.departement]
    places = list(dict.fromkeys(_term(p) for p in area if p))
    if requests and places:
        lead_template = f"{_any(requests)} ({ASKING}) {{}} {NOT_A_REQUEST}"
        watches.append(
            ProposedWatch(
                f"Demandes de {profile.trade} ({profile.city})",
                "leads",
                f"Quelqu'un cherche un {profile.trade} à {profile.city} ou autour.",
                _chunks(lead_template, places, max_length),
            )
        )
    watches.append(
        ProposedWatch(
            f"Secteur : {profile.trade}",
            "sector",
            "L'actualité du métier : prix, règles, aides, tendances.",
            _chunks("{} -is:retweet", _sector_terms(profile), max_length),
        )
    )
    if profile.city:
        town = [_term(profile.city), f"#{fold(profile.city).replace(' ', '').replace('-', '')}"]
        watches.append(
            ProposedWatch(
                f"Actualité locale {profile.city}",
                "local",
                f"La vie de {profile.city} : travaux, commerces, mairie, quartiers.",
                _chunks(f"{{}} {LOCAL_NEWS} -is:retweet", town, max_length),
            )
        )
    return [w for w in watches if w.rules]
