"""Every French commune (and the municipal arrondissements of Paris, Lyon and Marseille),
read from the compact file built by ``scripts/build_communes.py`` from the Etalab
administrative divisions (Licence Ouverte 2.0)."""

from __future__ import annotations

import difflib
import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from veille.textfold import fold
from veille.understand.places import DEPARTEMENTS

DATA = Path(__file__).parent / "data" / "communes.tsv.gz"


@dataclass(frozen=True, slots=True)
class Commune:
    code: str  # INSEE code, e.g. "33063"
    name: str
    departement_code: str
    postcodes: tuple[str, ...]
    epci: str  # the intercommunalité it belongs to ("" for the few outside one)
    population: int
    parent: str  # for a municipal arrondissement, its commune's code

    @property
    def departement(self) -> str:
        return DEPARTEMENTS.get(self.departement_code, "")

    @property
    def label(self) -> str:
        """What a person picks from a list: "Mérignac (33)"."""
        return f"{self.name} ({self.departement_code})"


class UnknownCommune(LookupError):
    """A town that is not a French commune; carries the closest names."""

    def __init__(self, given: str, closest: list[str]) -> None:
        hint = f" ; les plus proches : {', '.join(closest)}" if closest else ""
        super().__init__(f"{given!r} n'est pas une commune française{hint}")
        self.closest = closest


@lru_cache(maxsize=1)
def all_communes() -> tuple[Commune, ...]:
    found = []
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            code, name, dep, postcodes, epci, population, parent = line.rstrip("\n").split("\t")
            found.append(
                Commune(code, name, dep, tuple(postcodes.split()), epci, int(population), parent)
            )
    return tuple(found)


@lru_cache(maxsize=1)
def _by_key() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for commune in all_communes():
        index.setdefault(_key(commune.name), []).append(commune)
    for same in index.values():
        same.sort(key=lambda c: -c.population)  # the largest first: "Mérignac" is in Gironde
    return index


def _key(name: str) -> str:
    words = re.sub(r"[-'’]", " ", fold(name)).split()
    return " ".join("st" if w == "saint" else "ste" if w == "sainte" else w for w in words)


_WITH_CODE = re.compile(r"^(.*?)\s*\((\w{2,3}|\d{5})\)\s*$")


def find_commune(text: str) -> Commune:
    """A commune from "Mérignac", "Mérignac (33)", "Mérignac 33700" or an INSEE code; the
    most populous when a name is shared and nothing says which."""
    text = text.strip()
    if re.fullmatch(r"\d[\dAB]\d{3}", text.upper()):
        for commune in all_communes():
            if commune.code == text.upper():
                return commune
    name, hint = text, ""
    match = _WITH_CODE.match(text) or re.match(r"^(.*?)\s+(\d{5})$", text)
    if match:
        name, hint = match.group(1), match.group(2).upper()
    candidates = _by_key().get(_key(name), [])
    if hint:
        candidates = [c for c in candidates if hint in (c.departement_code, *c.postcodes)]
    if candidates:
        return candidates[0]
    raise UnknownCommune(text, closest_communes(name))


def closest_communes(name: str, limit: int = 5) -> list[str]:
    keys = difflib.get_close_matches(_key(name), list(_by_key()), n=limit, cutoff=0.75)
    return [c.label for key in keys for c in _by_key()[key][:2]][:limit]


def search_communes(prefix: str, limit: int = 10) -> list[Commune]:
    """Communes whose name starts with ``prefix``, the most populous first (the town picker)."""
    key = _key(prefix)
    if len(key) < 2:
        return []
    found = [c for k, same in _by_key().items() if k.startswith(key) for c in same]
    found.sort(key=lambda c: (_key(c.name) != key, -c.population))
    return found[:limit]


def arrondissements(commune: Commune) -> list[Commune]:
    """Paris, Lyon and Marseille's municipal arrondissements (none for other towns)."""
    return [c for c in all_communes() if c.parent == commune.code]


# The area served, from the radius the boss gives. The package carries no coordinates, so
# distances are drawn from the administrative map: a town's intercommunalité is the
# communes around it (Bordeaux Métropole for Bordeaux, ~10-15 km), its département the wider
# ring.
TOWN_ONLY_KM = 0
INTERCOMMUNALITE_KM = 25


def area_around(commune: Commune, radius_km: int) -> list[Commune]:
    """The communes served within ``radius_km`` of ``commune`` (itself first)."""
    if radius_km <= TOWN_ONLY_KM or not commune.epci:
        return [commune]
    if radius_km <= INTERCOMMUNALITE_KM:
        near = [c for c in all_communes() if c.epci == commune.epci and not c.parent]
    else:
        near = [
            c
            for c in all_communes()
            if c.departement_code == commune.departement_code and not c.parent
        ]
    near.sort(key=lambda c: (c.code != commune.code, -c.population))
    return near
