"""A profile built from the boss's answers, and the watches proposed from it."""

from __future__ import annotations

import pytest

from tests.factories import post_json
from veille.posts import parse_post
from veille.publish.drafts import check_variants
from veille.rules import compile_rules, parse_rule
from veille.setup.actions import do_save_profile
from veille.setup.profile import ProfileError, ProfileInput, build_profile, likely_spellings
from veille.setup.proposals import propose_watches
from veille.store.db import Database
from veille.store.tables_publish import DraftVariant
from veille.translations import said

FLORIST = ProfileInput(
    name="Fleurs du Marais",
    trade="fleuriste",
    city="Bordeaux",
    radius_km=10,
    handles=["x:fleursdumarais", "bluesky:fleursdumarais.bsky.social"],
    owner="Claire Dubois",
    competitors=["Au Jardin de Lys=x:jardindelys", "Rose & Sauge"],
    website="fleursdumarais.fr",
)


def _matches(rules: list[str], text: str, username: str = "someone") -> bool:
    matcher = compile_rules([(str(i), r) for i, r in enumerate(rules)])
    post = parse_post(post_json("1", text, username=username))
    return bool(matcher.match(post))


def test_a_florist_in_bordeaux() -> None:
    profile = build_profile(FLORIST)
    assert profile.trade == "fleuriste" and "bouquet" in profile.services
    assert (profile.city, profile.departement_code, profile.commune_code) == (
        "Bordeaux",
        "33",
        "33063",
    )
    assert "Mérignac" in profile.area and "Lille" not in profile.area
    assert profile.handles == ["fleursdumarais", "fleursdumarais.bsky.social"]
    assert profile.website == "https://fleursdumarais.fr"
    assert [c.name for c in profile.competitors] == ["Au Jardin de Lys", "Rose & Sauge"]
    assert profile.competitors[0].handles == ["jardindelys"]


def test_lyon_brings_its_arrondissements_into_the_area() -> None:
    profile = build_profile(ProfileInput(name="Plomberie Rhône", trade="plombier", city="Lyon"))
    assert "Lyon 3e Arrondissement" in profile.area and "Villeurbanne" in profile.area


@pytest.mark.parametrize(
    ("change", "field", "closest"),
    [
        ({"city": "Bordaux"}, "commune", "Bordeaux (33)"),
        ({"trade": "fleurist"}, "métier", "fleuriste"),
        ({"handles": ["fleursdumarais"]}, "compte", None),
        ({"handles": ["myspace:fleurs"]}, "compte", None),
        ({"name": "  "}, "nom", None),
        ({"radius_km": 500}, "rayon", None),
        ({"website": "pas un site"}, "site web", None),
    ],
)
def test_bad_answers_are_refused_naming_the_field(
    change: dict[str, object], field: str, closest: str | None
) -> None:
    answers = ProfileInput(**{**FLORIST.__dict__, **change})  # type: ignore[arg-type]
    with pytest.raises(ProfileError) as refused:
        build_profile(answers)
    assert refused.value.field == field
    assert said(refused.value, "fr").startswith(field)  # the French page names it so
    if closest:
        assert closest in refused.value.closest


def test_a_trade_off_the_list_is_accepted_with_its_own_words() -> None:
    answers = ProfileInput(name="Atelier Vélo", trade="réparateur de vélos", city="Nantes")
    answers.words = ["vélo", "crevaison", "révision vélo"]
    profile = build_profile(answers)
    assert profile.trade == "réparateur de vélos" and profile.services == answers.words


def test_likely_spellings() -> None:
    assert likely_spellings("Fleurs du Marais") == ["FleursduMarais", "Fleur du Marais"]
    assert "Pizeria Bella" in likely_spellings("Pizzeria Bella")


def test_the_proposed_watches_are_valid_and_match_what_they_promise() -> None:
    watches = {w.kind: w for w in propose_watches(build_profile(FLORIST), max_length=1024)}
    assert set(watches) == {"brand", "owner", "competitor", "leads", "sector", "local"}
    for watch in watches.values():
        for rule in watch.rules:
            assert len(rule) <= 1024
            parse_rule(rule)
    assert _matches(watches["brand"].rules, "Super bouquet chez fleurs du marais !")
    assert _matches(watches["brand"].rules, "merci @fleursdumarais")
    assert _matches(watches["brand"].rules, "Superbe boutique FleursDuMarais")
    leads = watches["leads"].rules
    assert _matches(leads, "Je cherche un fleuriste à Mérignac pour un mariage")
    assert not _matches(leads, "Je cherche un garagiste à Bordeaux")
    assert not _matches(leads, "Un bon fleuriste à Lille ?")
    assert not _matches(leads, "Fleuriste à Bordeaux recrute en CDI, cherche vendeur")
    assert _matches(watches["owner"].rules, "Claire Dubois a fait un bouquet magnifique")
    assert not _matches(watches["owner"].rules, "Claire Dubois élue au conseil")


def test_a_large_area_is_split_across_rules_under_the_limit() -> None:
    profile = build_profile(
        ProfileInput(name="Pain d'Anjou", trade="boulanger", city="Angers", radius_km=80)
    )
    leads = next(w for w in propose_watches(profile, max_length=600) if w.kind == "leads")
    assert len(leads.rules) > 3 and all(len(r) <= 600 for r in leads.rules)
    assert _matches(leads.rules, "Qui connait une bonne boulangerie à Saumur ?")


def test_the_guard_on_drafts_reads_the_profile_the_set_up_saved(db: Database) -> None:
    profile = build_profile(FLORIST)
    with db.session() as session:
        do_save_profile(session, profile)
        variant = DraftVariant(
            draft_id=0,
            account_id=1,
            network="mastodon",
            text="Au Jardin de Lys, des escrocs : leurs fleurs fanent en deux jours, arnaque !",
        )
        (check,) = check_variants(session, [variant], scheduled_at=None)
    named = [f for f in check.report.flags if "Au Jardin de Lys" in str(f.to_json())]
    assert named, check.report.to_json()
