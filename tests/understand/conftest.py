"""Shared, session-scoped analyzers: the models load once for the whole folder."""

from __future__ import annotations

import pytest

from veille.business import BusinessProfile, Competitor
from veille.understand import Analyzer


@pytest.fixture(scope="session")
def painter() -> BusinessProfile:
    return BusinessProfile(
        name="Martin Peinture",
        handles=["martinpeinture"],
        trade="peintre en bâtiment",
        services=["peintre", "peinture", "ravalement", "papier peint", "enduit"],
        city="Angers",
        departement="Maine-et-Loire",
        departement_code="49",
        area=["Angers", "Trélazé", "Avrillé", "Les Ponts-de-Cé"],
        competitors=[
            Competitor(name="Dupont Peinture", handles=["dupontpeint"], aliases=["Dupont"])
        ],
    )


@pytest.fixture(scope="session")
def analyzer(painter: BusinessProfile) -> Analyzer:
    return Analyzer(painter)
