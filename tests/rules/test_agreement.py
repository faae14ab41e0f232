"""The compiled matcher and the reference evaluator agree on random rules and posts."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.rules.helpers import make_post
from veille.posts import Post
from veille.rules import RuleError, compile_rules, evaluate, parse_rule

WORDS = ["peintre", "Peinture", "angers", "Rénovation", "devis", "l'entreprise", "emploi", "été"]
TEXT_WORDS = [*WORDS, "renovations", "repeint", "ETE", "d’entreprise", "Orange", "orange", "🎨"]
USERS = ["dupont", "marie", "client49"]

leaves = st.sampled_from(
    [
        *WORDS,
        '"peintre angers"',
        '"dupont peinture"',
        '"peintre angers"~2',
        '"devis renovation"~1',
        "renov*",
        "pein*",
        "case:Orange",
        'case:"Peinture Dupont"',
        "#renovation",
        "#peinture",
        "@dupont",
        "from:marie",
        "to:client49",
        "retweets_of:dupont",
        "url:dupont-peinture.fr",
        "place:angers",
        "place_country:FR",
        "point_radius:[-0.55 47.47 10km]",
        "bio:peintre",
        "bio_location:angers",
        "lang:fr",
        "is:retweet",
        "is:reply",
        "is:verified",
        "has:links",
        "has:media",
        "has:images",
        "has:hashtags",
        "has:mentions",
        "has:geo",
        "followers:>=500",
        "followers:100..1000",
        "sample:50",
        "🎨",
    ]
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(children, min_size=2, max_size=3).map(" ".join),
        st.lists(children, min_size=2, max_size=3).map(" OR ".join),
        children.map(lambda c: f"-({c})"),
        children.map(lambda c: f"({c})"),
    )


rule_texts = st.recursive(leaves, _combine, max_leaves=6)


@st.composite
def posts(draw: st.DrawFn) -> Post:
    tokens = draw(st.lists(st.sampled_from(TEXT_WORDS), max_size=8))
    separators = draw(st.lists(st.sampled_from([" ", ", ", " ! ", "'", "\n"]), min_size=8))
    text = "".join(t + s for t, s in zip(tokens, separators, strict=False))
    if draw(st.booleans()):
        text += " #" + draw(st.sampled_from(["Rénovation", "peinture", "deco"]))
    if draw(st.booleans()):
        text += " @" + draw(st.sampled_from(USERS))
    fields: dict[str, Any] = {
        "id": str(draw(st.integers(0, 10_000))),
        "lang": draw(st.sampled_from(["fr", "en", None])),
        "is_retweet": draw(st.booleans()),
        "is_reply": draw(st.booleans()),
        "author": {
            "username": draw(st.sampled_from(USERS)),
            "verified": draw(st.booleans()),
            "followers_count": draw(st.sampled_from([0, 150, 700, 5000])),
            "description": draw(st.sampled_from(["", "Artisan peintre", "Plombier"])),
            "location": draw(st.sampled_from(["", "Angers", "Nantes"])),
        },
    }
    if draw(st.booleans()):
        fields["in_reply_to"] = draw(st.sampled_from(USERS))
    if draw(st.booleans()):
        fields["retweet_of"] = draw(st.sampled_from(USERS))
    if draw(st.booleans()):
        fields["urls"] = ["https://www.dupont-peinture.fr/devis"]
    if draw(st.booleans()):
        fields["media"] = [{"type": draw(st.sampled_from(["photo", "video"]))}]
    if draw(st.booleans()):
        fields["place"] = {"name": "Angers", "country_code": "FR"}
        fields["geo"] = {"lon": -0.56, "lat": draw(st.sampled_from([47.47, 48.5]))}
    return make_post(text, **fields)


def _valid(texts: list[str]) -> list[tuple[str, str]]:
    valid = []
    for number, text in enumerate(texts):
        try:
            parse_rule(text)
        except RuleError:
            continue
        valid.append((f"r{number}", text))
    return valid


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rule_texts, min_size=1, max_size=6), st.lists(posts(), min_size=1, max_size=4))
def test_compiled_matcher_agrees_with_reference(texts: list[str], batch: list[Post]) -> None:
    pairs = _valid(texts)
    matcher = compile_rules(pairs)
    parsed = [(rule_id, parse_rule(text)) for rule_id, text in pairs]
    for post in batch:
        expected = [rule_id for rule_id, rule in parsed if evaluate(rule, post)]
        assert matcher.match(post) == expected, (pairs, post.text)


@settings(max_examples=60, deadline=None)
@given(st.lists(rule_texts, min_size=1, max_size=6))
def test_random_rules_parse_or_fail_with_a_column(texts: list[str]) -> None:
    for text in texts:
        try:
            parse_rule(text)
        except RuleError as exc:
            assert 1 <= exc.column <= len(text) + 1
            assert exc.what.in_language("fr") and exc.what.in_language("en")
