"""The official commune list and the trades, as the set-up reads them."""

from __future__ import annotations

import pytest

from veille.rules import parse_rule
from veille.setup.communes import (
    UnknownCommune,
    all_communes,
    area_around,
    arrondissements,
    distance_km,
    find_commune,
    search_communes,
)
from veille.setup.trades import TRADES, UnknownTrade, find_trade


def test_every_commune_is_there_with_its_departement_and_postcodes() -> None:
    communes = [c for c in all_communes() if not c.parent]
    assert 34_000 < len(communes) < 36_000
    bordeaux = find_commune("Bordeaux")
    assert (bordeaux.code, bordeaux.departement, bordeaux.departement_code) == (
        "33063",
        "Gironde",
        "33",
    )
    assert "33800" in bordeaux.postcodes


def test_a_shared_name_takes_the_largest_unless_told_which() -> None:
    assert find_commune("Mérignac").departement_code == "33"
    assert find_commune("Mérignac (16)").departement_code == "16"
    assert find_commune("merignac 17210").departement_code == "17"
    assert find_commune("St-Malo").name == "Saint-Malo"
    assert find_commune("33281").name == "Mérignac"


def test_an_unknown_commune_is_refused_with_the_closest_names() -> None:
    with pytest.raises(UnknownCommune) as refused:
        find_commune("Bordaux")
    assert "Bordeaux (33)" in refused.value.closest
    assert "Bordaux" in str(refused.value)


def test_the_area_around_a_town_is_the_communes_within_the_radius() -> None:
    bordeaux = find_commune("Bordeaux")
    near = [c.name for c in area_around(bordeaux, 10)]
    assert near[0] == "Bordeaux" and {"Mérignac", "Pessac", "Talence", "Bègles"} <= set(near)
    assert "Lille" not in near and "Arcachon" not in near and "Saint-Émilion" not in near
    assert "Mérignac" not in [c.name for c in area_around(bordeaux, 5)]
    assert [c.name for c in area_around(bordeaux, 0)] == ["Bordeaux"]
    wide = {c.name for c in area_around(bordeaux, 60)}
    assert {"Arcachon", "Saint-Émilion", "Libourne"} <= wide and "Agen" not in wide
    # A radius crosses département lines: 40 km around Bordeaux, like a map's circle would.
    assert "Angoulême" not in wide
    assert {c.departement_code for c in area_around(find_commune("Lyon"), 30)} >= {"69", "01", "38"}


def test_every_commune_of_mainland_france_and_its_overseas_departements_has_a_centre() -> None:
    mainland = [
        c for c in all_communes() if not c.departement_code.startswith(("975", "977", "978", "98"))
    ]
    without = [c.label for c in mainland if c.centre is None]
    assert len(without) <= 10, without  # communes restored after the outlines' vintage
    for commune in mainland:
        if commune.centre:
            lat, lon = commune.centre
            assert -22 < lat < 52 and -62 < lon < 56, commune.label
    bordeaux, merignac = find_commune("Bordeaux"), find_commune("Mérignac")
    assert bordeaux.centre and merignac.centre
    assert 7 < distance_km(bordeaux.centre, merignac.centre) < 11
    paris, marseille = find_commune("Paris"), find_commune("Marseille")
    assert paris.centre and marseille.centre
    assert 650 < distance_km(paris.centre, marseille.centre) < 680  # 661 km as the crow flies


def test_paris_lyon_and_marseille_have_their_arrondissements() -> None:
    assert len(arrondissements(find_commune("Paris"))) == 20
    assert len(arrondissements(find_commune("Lyon"))) == 9
    assert len(arrondissements(find_commune("Marseille"))) == 16
    assert arrondissements(find_commune("Bordeaux")) == []


def test_the_town_picker_lists_the_largest_first() -> None:
    assert search_communes("bord")[0].name == "Bordeaux"
    assert search_communes("b") == []


def test_forty_trades_or_more_each_with_its_customers_words() -> None:
    assert len(TRADES) >= 40
    assert len({t.key for t in TRADES}) == len(TRADES)
    families = {t.family for t in TRADES}
    assert {"artisans", "commerce", "alimentation", "sante", "services", "b2b"} <= families
    for trade in TRADES:
        assert trade.names and len(trade.words) >= 3 and trade.sector, trade.key


def test_a_trade_is_found_by_what_people_call_it() -> None:
    assert find_trade("Fleuriste").key == "fleuriste"
    assert find_trade("boulanger").label == "boulangerie"
    assert find_trade("Électricien").key == "electricien"
    with pytest.raises(UnknownTrade) as refused:
        find_trade("fleurist")
    assert refused.value.closest == ["fleuriste"]


def test_the_trades_words_make_valid_rules() -> None:
    for trade in TRADES:
        for word in (*trade.names, *trade.words, *trade.sector):
            parse_rule(f'"{word}"')
