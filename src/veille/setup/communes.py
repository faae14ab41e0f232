"""Every French commune (and the municipal arrondissements of Paris, Lyon and Marseille),
read from the compact file built by ``scripts/build_communes.py`` from the Etalab
administrative divisions (Licence Ouverte 2.0)."""

from __future__ import annotations

import difflib
import gzip
import math
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
    centre: tuple[float, float] | None  # (lat, lon) of its outline's centre; None for a few
    reach_km: float  # radius of a disc of its area: how far it reaches from its centre

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
        self.given = given
        self.closest = closest


@lru_cache(maxsize=1)
def all_communes() -> tuple[Commune, ...]:
    found = []
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            code, name, dep, postcodes, epci, population, parent, lat, lon, reach = line.rstrip(
                "\n"
            ).split("\t")
            found.append(
                Commune(
                    code,
                    name,
                    dep,
                    tuple(postcodes.split()),
                    epci,
                    int(population),
                    parent,
                    (float(lat), float(lon)) if lat else None,
                    float(reach or 0),
                )
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
    return list(_arrondissements().get(commune.code, ()))


@lru_cache(maxsize=1)
def _arrondissements() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for commune in all_communes():
        if commune.parent:
            index.setdefault(commune.parent, []).append(commune)
    return index


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def area_around(commune: Commune, radius_km: int) -> list[Commune]:
    """The communes that reach within ``radius_km`` of ``commune``'s centre (itself first, then
    the most populous): Pessac's centre is 11 km from Bordeaux's, but the town spreads 3.5 km
    around it, so a Bordeaux business serving 10 km serves Pessac. The few communes without a
    centre (created after the outlines' vintage) are served with their intercommunalité."""
    if radius_km <= 0:
        return [commune]
    if commune.centre is None:
        near = [c for c in all_communes() if c.epci == commune.epci and not c.parent]
    else:
        origin = commune.centre
        near = [
            c
            for c in all_communes()
            if not c.parent
            and (
                c.code == commune.code
                or (c.centre and distance_km(origin, c.centre) - c.reach_km <= radius_km)
            )
        ]
    near.sort(key=lambda c: (c.code != commune.code, -c.population))
    return near or [commune]
