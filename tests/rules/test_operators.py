"""Each operator, checked on the reference evaluator and the compiled matcher alike."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.helpers import make_post
from veille.posts import Post
from veille.rules import compile_rules, evaluate, parse_rule


def both(rule: str, post: Post) -> bool:
    """Match with both engines and insist they agree."""
    reference = evaluate(parse_rule(rule), post)
    compiled = compile_rules([("r", rule)]).match(post) == ["r"]
    assert reference == compiled, f"engines disagree on {rule!r}"
    return reference


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        # case and accents
        ("renovation", "Rénovation complète de la façade", True),
        ("Rénovation", "renovation facade", True),
        ("façade", "FACADE", True),
        # word boundaries
        ("peintre", "repeintrerie du centre", False),
        ("peintre", "Un peintre, enfin !", True),
        ("peintre", "peintres", False),
        # French elisions with straight and curly apostrophes
        ("entreprise", "l'entreprise Dupont", True),
        ("entreprise", "un chef d’entreprise", True),
        ("entreprise", "qu’entreprise", True),
        ("appartement", "j'ai repeint mon appart", False),
        # AND, OR, negation, parentheses
        ("peintre angers", "peintre à Angers", True),
        ("peintre angers", "peintre à Nantes", False),
        ("peintre OR plombier", "cherche plombier", True),
        ("peintre -emploi", "peintre en emploi", False),
        ("peintre -emploi", "peintre disponible", True),
        ("(peintre OR plombier) (angers OR nantes)", "plombier Nantes", True),
        ("peintre angers OR plombier nantes", "plombier angers", False),
        ("peintre angers OR plombier nantes", "plombier nantes", True),
        ("-(peintre OR plombier) devis", "devis plombier", False),
        ("-(peintre OR plombier) devis", "devis électricien", True),
        # phrases and proximity
        ('"dupont peinture"', "Merci Dupont Peinture !", True),
        ('"dupont peinture"', "peinture dupont", False),
        ('"peintre angers"~2', "un peintre vers Angers", True),
        ('"peintre angers"~2', "Angers : un peintre", True),
        ('"peintre angers"~1', "peintre du centre d'Angers", False),
        ('"qui connait" peintre', "Qui connaît un bon peintre ?", True),
        ("«\u00a0dupont peinture\u00a0»", "chez dupont peinture", True),
        # wildcard
        ("renov*", "rénovations de l'été", True),
        ("renov*", "la surrénovation", False),
        # emoji and cashtag
        ("🎨 atelier", "Atelier ouvert 🎨🎨", True),
        ("$ORA", "Action $ORA en hausse", True),
        ("$ORA", "ora et labora", False),
        # exact case for brand names that are common words
        ("case:Orange", "Mon forfait Orange", True),
        ("case:Orange", "une orange pressée", False),
        ('case:"Peinture Dupont"', "Peinture Dupont", True),
        ('case:"Peinture Dupont"', "peinture dupont", False),
        # links are not words
        ("dupont", "https://dupont-peinture.fr/devis", False),
    ],
)
def test_text_terms(rule: str, text: str, expected: bool) -> None:
    assert both(rule, make_post(text)) is expected


def test_hashtags_mentions_and_users() -> None:
    post = make_post(
        "Chantier fini #Rénovation avec @Dupont_Peinture",
        author={"username": "Marie_Angers"},
        in_reply_to="Client49",
        retweet_of=None,
    )
    assert both("#renovation", post)
    assert both("renovation", post)  # a word also finds a hashtag's text
    assert not both("#chantier", post)
    assert both("@dupont_peinture", post)
    assert both("from:marie_angers", post)
    assert both("from:@Marie_Angers", post)
    assert both("to:client49", post)
    assert not both("retweets_of:client49", post)
    rt = make_post("RT super", is_retweet=True, retweet_of="dupont_peinture")
    assert both("retweets_of:dupont_peinture", rt)


def test_flags_need_a_standalone_term() -> None:
    rt = make_post("peintre", is_retweet=True, is_reply=True, is_quote=True)
    plain = make_post("peintre")
    for flag in ("is:retweet", "is:reply", "is:quote"):
        assert both(f"peintre {flag}", rt)
        assert not both(f"peintre {flag}", plain)
        assert both(f"peintre -{flag}", plain)
    verified = make_post("peintre", author={"verified": True})
    assert both("peintre is:verified", verified)
    assert not both("peintre is:verified", plain)


def test_has_operators() -> None:
    rich = make_post(
        "peintre https://ex.fr #deco @bob",
        media=[{"type": "photo"}],
        place={"name": "Angers", "country_code": "FR"},
    )
    video = make_post("peintre", media=[{"type": "video"}])
    bare = make_post("peintre")
    for what in ("links", "media", "images", "mentions", "hashtags", "geo"):
        assert both(f"peintre has:{what}", rich)
        assert not both(f"peintre has:{what}", bare)
    assert both("peintre has:media", video)
    assert not both("peintre has:images", video)


def test_lang() -> None:
    assert both("peintre lang:fr", make_post("peintre", lang="fr"))
    assert not both("peintre lang:fr", make_post("peintre", lang="en"))
    assert both("peintre lang:pt", make_post("peintre", lang="pt-BR"))
    assert not both("peintre lang:fr", make_post("peintre", lang=None))


def test_url() -> None:
    post = make_post("Devis en ligne", urls=["https://www.Dupont-Peinture.fr/devis"])
    assert both("url:dupont-peinture.fr", post)
    assert both('url:"dupont-peinture.fr/devis"', post)
    assert not both("url:martin-peinture.fr", post)


def test_place_and_geo() -> None:
    angers: dict[str, Any] = {"name": "Angers, Pays de la Loire", "country_code": "fr"}
    post = make_post("bonjour", place=angers, geo={"lon": -0.5632, "lat": 47.4784})
    assert both("place:angers", post)
    assert both('place:"pays de la loire"', post)
    assert not both("place:nantes", post)
    assert both("place_country:FR", post)
    assert not both("place_country:BE", post)
    # Trélazé is about 8 km from the centre of Angers.
    assert both("point_radius:[-0.4667 47.4458 10km]", post)
    assert not both("point_radius:[-0.4667 47.4458 3km]", post)
    assert both("point_radius:[-0.4667 47.4458 6mi]", post)
    assert not both("point_radius:[-1.5536 47.2184 20km]", post)  # Nantes


def test_bio_and_followers() -> None:
    post = make_post(
        "bonjour",
        author={
            "description": "Artisan peintre décorateur",
            "location": "Angers (49)",
            "followers_count": 1200,
        },
    )
    assert both("bio:peintre", post)
    assert both('bio:"peintre decorateur"', post)
    assert not both("bio:plombier", post)
    assert both("bio_location:angers", post)
    assert both("bonjour followers:>=1000", post)
    assert not both("bonjour followers:>1200", post)
    assert both("bonjour followers:<=1200", post)
    assert both("bonjour followers:100..5000", post)
    assert not both("bonjour followers:2000..5000", post)


def test_sample_is_deterministic_and_proportional() -> None:
    posts = [make_post("peintre", id=str(n)) for n in range(2000)]
    kept = [both("peintre sample:10", p) for p in posts]
    assert 120 <= sum(kept) <= 280
    assert kept == [both("peintre sample:10", p) for p in posts]
    assert all(both("peintre sample:100", p) for p in posts[:50])


def test_matcher_keeps_input_order_and_ids() -> None:
    matcher = compile_rules(
        [("z", "peintre"), ("a", "angers"), ("m", "plombier"), ("b", "peintre angers")]
    )
    assert matcher.match(make_post("Peintre à Angers")) == ["z", "a", "b"]
    assert matcher.match_many([make_post("plombier"), make_post("rien")]) == [["m"], []]


def test_rules_needing_two_things_at_once() -> None:
    # Two groups of anchors: a post must hit both (and the pair index must find it).
    towns = " OR ".join(f"ville{n}" for n in range(12))
    trades = " OR ".join(f"metier{n}" for n in range(12))  # 144 pairs: over the pair limit
    rules = [
        ("small", "(peintre OR plombier) (angers OR nantes) -emploi"),
        ("big", f"({trades}) ({towns})"),
        ("near", '"peintre angers"~2 (devis OR avis)'),
    ]
    matcher = compile_rules(rules)
    cases = {
        "plombier à Nantes": ["small"],
        "plombier à Nantes, offre d'emploi": [],
        "Nantes sous la pluie": [],
        "metier7 ville11": ["big"],
        "metier7 seul": [],
        "un avis sur un peintre vers Angers ?": ["small", "near"],
    }
    for text, expected in cases.items():
        post = make_post(text)
        assert matcher.match(post) == expected, text
        assert [rule_id for rule_id, rule in rules if evaluate(parse_rule(rule), post)] == expected


def test_a_rule_file_shared_by_many_watches() -> None:
    # The same rule under several ids, and ids reported in input order.
    matcher = compile_rules([("w3", "peintre"), ("w1", "peintre"), ("w2", "#peinture")])
    assert matcher.match(make_post("Le peintre #Peinture")) == ["w3", "w1", "w2"]
    assert len(matcher) == 3
