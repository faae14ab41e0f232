from __future__ import annotations

from veille.business import BusinessProfile
from veille.understand.entities import PlaceRef, Price, Url, extract_entities


def test_contact_details_links_and_tags(painter: BusinessProfile) -> None:
    text = (
        "Devis reçu de @dupontpeint : 1 250,50 € pour le salon. Appelez le 06 12 34 56 78 "
        "ou écrivez à contact@martin-peinture.fr, "
        "tarifs sur https://www.martin-peinture.fr/tarifs. "
        "#peinture #Angers"
    )
    found = extract_entities(text, painter)
    assert found["mentions"] == ["dupontpeint"]
    assert found["hashtags"] == ["peinture", "Angers"]
    assert found["phones"] == ["0612345678"]
    assert found["emails"] == ["contact@martin-peinture.fr"]
    assert found["urls"] == [Url("https://www.martin-peinture.fr/tarifs", "martin-peinture.fr")]
    assert found["prices"] == [Price("1 250,50 €", 1250.5, "EUR")]
    assert found["competitors"] == ["Dupont Peinture"]


def test_international_phone_and_several_prices() -> None:
    found = extract_entities("Pain à 1,20€, gâteau 25 euros, +33 2 41 00 00 00")
    assert [p.amount for p in found["prices"]] == [1.2, 25.0]
    assert found["phones"] == ["+33241000000"]


def test_communes_and_departements_with_accents_folded() -> None:
    found = extract_entities("Chantier à trelaze puis à Saint-Étienne, et dans le Maine-et-Loire")
    assert PlaceRef("Trélazé", "commune", "49") in found["places"]
    assert PlaceRef("Saint-Étienne", "commune", "42") in found["places"]
    assert PlaceRef("Maine-et-Loire", "departement", "49") in found["places"]


def test_place_names_that_are_common_words_need_context() -> None:
    assert extract_entities("Ça n'a aucun sens, orange pressée")["places"] == []
    names = [p.name for p in extract_entities("Je déménage à Sens puis dans le Nord")["places"]]
    assert names == ["Sens", "Nord"]


def test_competitor_found_by_alias_case_and_accents(painter: BusinessProfile) -> None:
    assert extract_entities("Chez DUPONT c'était moins cher", painter)["competitors"] == [
        "Dupont Peinture"
    ]
    assert extract_entities("Chez Durand c'était moins cher", painter)["competitors"] == []
