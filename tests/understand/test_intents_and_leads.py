from __future__ import annotations

import numpy as np
import pytest

from veille.business import BusinessProfile
from veille.demo.business import DEMO_BUSINESS
from veille.understand import INTENTS, Analyzer
from veille.understand.intents import calibrate
from veille.understand.labelled import load_profiles
from veille.understand.leads import lead_factor
from veille.understand.types import INTENT_THRESHOLD


def present(analyzer: Analyzer, text: str, tier: str = "accurate") -> list[str]:
    (result,) = analyzer.analyze([text], tier=tier)  # type: ignore[arg-type]
    assert set(result.intents) == set(INTENTS)
    assert all(0.0 <= p <= 1.0 for p in result.intents.values())
    return result.present_intents()


@pytest.mark.parametrize("tier", ["fast", "accurate"])
def test_a_request_for_this_trade_in_this_area_is_a_lead(analyzer: Analyzer, tier: str) -> None:
    assert "lead" in present(analyzer, "Quelqu'un connaît un bon peintre à Angers ?", tier)
    assert "lead" in present(analyzer, "Je cherche un peintre pour mon salon à Trélazé", tier)


@pytest.mark.parametrize("tier", ["fast", "accurate"])
def test_another_trade_or_another_town_is_not_a_lead(analyzer: Analyzer, tier: str) -> None:
    assert "lead" not in present(analyzer, "Je cherche un plombier à Nantes", tier)
    assert "lead" not in present(analyzer, "Je cherche un peintre à Bordeaux", tier)


def test_the_same_post_is_a_lead_only_for_the_business_it_asks_for(
    painter: BusinessProfile,
) -> None:
    plumber = painter.model_copy(
        update={
            "trade": "plombier",
            "services": ["plombier", "plomberie"],
            "city": "Nantes",
            "departement": "Loire-Atlantique",
            "departement_code": "44",
            "area": ["Nantes"],
        }
    )
    text = "Je cherche un plombier à Nantes, urgent"
    assert "lead" in present(Analyzer(plumber), text)
    assert "lead" not in present(Analyzer(painter), text)


def test_without_a_profile_any_request_for_a_provider_is_a_lead() -> None:
    assert "lead" in present(Analyzer(), "Je cherche un plombier à Nantes, urgent")


def test_complaint_praise_job_and_crisis(analyzer: Analyzer) -> None:
    assert "complaint" in present(
        analyzer, "Trois semaines de retard et aucune nouvelle, inadmissible"
    )
    assert "praise" in present(
        analyzer, "Merci pour le chantier, travail impeccable, je recommande"
    )
    assert "job" in present(analyzer, "Nous recrutons un peintre en CDI à Angers, postulez !")
    assert "crisis" in present(
        analyzer, "Votre ouvrier a fait tomber un pot du 2e étage sur ma fille, je porte plainte"
    )
    assert present(analyzer, "Belle journée ensoleillée sur la Loire aujourd'hui") == ["other"]


def test_the_labelled_set_ships_its_profiles_and_validation_split() -> None:
    profiles = load_profiles()
    assert {"painter", "bakery", "garage", "software", "coop", "florist", "locksmith"} <= set(
        profiles
    )
    assert profiles["painter"].departement_code == "49"


@pytest.mark.parametrize("tier", ["fast", "accurate"])
def test_posts_without_words_carry_no_intent(analyzer: Analyzer, tier: str) -> None:
    results = analyzer.analyze(["", "https://t.co/abc @bob", "🙂🙂"], tier=tier)  # type: ignore[arg-type]
    assert [r.present_intents() for r in results] == [["other"]] * 3
    assert {r.sentiment.label for r in results} == {"neutral"}
    assert {r.lang for r in results} == {"und"}


def test_offers_written_as_phrases_still_recognise_requests_for_them() -> None:
    # The demo's painter writes its trade as "peintre en bâtiment" and its services as
    # phrases: "peintre" alone is its own trade, "façade" one of its services.
    lead = Analyzer(DEMO_BUSINESS).analyze(
        [
            "Vous avez un artisan peintre à me recommander sur Angers ?",
            "On cherche une entreprise pour refaire la façade de notre maison à Trélazé",
            "Je cherche un plombier sur Angers pour une fuite, urgent",
            "Vous avez un artisan peintre à me recommander sur Bordeaux ?",
        ],
        tier="fast",
    )
    assert [r.intents["lead"] >= INTENT_THRESHOLD for r in lead] == [True, True, False, False]


def test_a_commune_of_the_area_missing_from_the_commune_list_still_counts() -> None:
    # "Saint-Cyr-sur-Loire" is not in the written commune list; the "Loire" inside its name
    # must not be read as another département that the business does not serve.
    plumber = BusinessProfile(
        name="Plomberie Garnier",
        trade="plombier",
        services=["plomberie", "chaudière"],
        city="Tours",
        departement_code="37",
        area=["Tours", "Saint-Cyr-sur-Loire"],
    )
    assert lead_factor("Un plombier sur Saint-Cyr-sur-Loire à conseiller ?", plumber) == 1.0
    assert lead_factor("Un plombier à Saint-Étienne (Loire) à conseiller ?", plumber) < 0.1


def test_a_chosen_threshold_reads_as_present_at_one_half() -> None:
    at = np.array([0.3, 0.5, 0.7])
    scores = calibrate(np.array([[0.3, 0.5, 0.7], [0.29, 0.49, 0.69], [0.31, 0.51, 0.71]]), at)
    assert np.allclose(scores[0], 0.5)
    assert (scores[1] < 0.5).all() and (scores[2] > 0.5).all()
    assert np.allclose(calibrate(np.array([[0.1, 0.9, 0.42]]), np.full(3, 0.5)), [0.1, 0.9, 0.42])
