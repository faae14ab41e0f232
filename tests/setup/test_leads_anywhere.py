"""Leads for any trade and town set up from the commune list: a request for this trade in
the area is a lead; another trade, another town, a job offer or news is not."""

from __future__ import annotations

import pytest

from veille.setup.profile import ProfileInput, build_profile
from veille.understand import Analyzer


def _leads(profile_input: ProfileInput, texts: list[str]) -> list[bool]:
    analyzer = Analyzer(build_profile(profile_input))
    return [u.intents["lead"] >= 0.5 for u in analyzer.analyze(texts)]


@pytest.fixture(scope="module")
def florist() -> ProfileInput:
    return ProfileInput(name="Fleurs du Marais", trade="fleuriste", city="Bordeaux", radius_km=10)


def test_a_florist_in_bordeaux_within_10_km(florist: ProfileInput) -> None:
    texts = {
        "Je cherche un fleuriste à Mérignac pour un mariage": True,
        "Quelqu'un connaît un fleuriste à Pessac ?": True,
        "Vous connaissez un fleuriste sympa à Talence ?": True,
        "Je cherche un garagiste à Bordeaux": False,
        "Un bon fleuriste à Lille ?": False,
        "Je cherche un fleuriste à Arcachon": False,  # same département, 50 km away
        "Le fleuriste de Bordeaux recrute un CDI, envoyez votre CV": False,
        "Bordeaux : ouverture d'un nouveau fleuriste rue Sainte-Catherine": False,
    }
    assert _leads(florist, list(texts)) == list(texts.values())


def test_a_plumber_in_lyon_hears_the_arrondissements_and_the_suburbs() -> None:
    plumber = ProfileInput(name="Plomberie du Rhône", trade="plombier", city="Lyon")
    texts = {
        "Je cherche un plombier sur Lyon 3e, fuite sous l'évier": True,
        "Quelqu'un connaît un plombier à Villeurbanne ?": True,
        "Je cherche un plombier à Marseille": False,
        "Je cherche un électricien à Lyon": False,
    }
    assert _leads(plumber, list(texts)) == list(texts.values())
