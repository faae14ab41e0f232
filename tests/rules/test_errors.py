"""Errors say what is wrong and where, in French and English, with a caret line."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.rules import RuleError, check_rule, compile_rules, format_tree, parse_rule


def error_of(rule: str, **kwargs: int) -> RuleError:
    with pytest.raises(RuleError) as caught:
        parse_rule(rule, **kwargs)
    return caught.value


def test_unclosed_parenthesis_points_at_it() -> None:
    rule = "peintre angers (devis OR estimation"
    error = error_of(rule)
    assert error.column == 16
    assert error.message_in("fr") == "parenthèse non fermée, colonne 16"
    assert error.message_in("en") == "unclosed parenthesis, column 16"
    assert error.render(rule).splitlines() == [
        "parenthèse non fermée, colonne 16",
        "  peintre angers (devis OR estimation",
        "                 ^",
    ]
    assert isinstance(error, ValueError)


def test_column_17_example_from_the_issue() -> None:
    assert "parenthèse non fermée, colonne 17" in str(error_of("peintre -emploi (devis"))


@pytest.mark.parametrize(
    ("rule", "column", "french"),
    [
        ("peintre lang:français", 14, "lang: attend un code de langue"),
        ("peintre is:blue", 12, "is: attend retweet, reply, quote ou verified"),
        ("peintre has:photos", 13, "has: attend links, media"),
        ('"dupont peinture', 1, "guillemet non fermé"),
        ("peintre)", 8, "parenthèse fermante sans parenthèse ouvrante"),
        ("peintre ()", 9, "parenthèses vides"),
        ("peintre OR", 9, "OR attend un terme de chaque côté"),
        ("OR peintre", 1, "OR attend un terme de chaque côté"),
        ("peintre OR OR plombier", 9, "OR attend un terme de chaque côté"),
        ("peintre - emploi", 9, "le signe - doit être collé"),
        ("peintre AND angers", 9, "AND n'existe pas"),
        ("peintre fromm:dupont", 9, "opérateur inconnu « fromm: » (vouliez-vous from: ?)"),
        ("re*nov", 3, "le joker * ne se met qu'à la fin d'un mot"),
        ("re*", 1, "au moins 3 lettres"),
        ('"peintre angers"~', 17, "~ attend un nombre de mots"),
        ("peintre followers:beaucoup", 19, "followers: attend une comparaison"),
        ("peintre followers:500..100", 19, "intervalle à l'envers"),
        ("peintre sample:0", 16, "sample: attend un pourcentage de 1 à 100"),
        ("point_radius:[47.47 -0.55]", 14, "point_radius: attend [longitude latitude rayon]"),
        ("point_radius:[-0.55 47.47 500km]", 14, "rayon entre 0 et 100 km"),
        ("peintre place_country:FRA", 23, "code pays à deux lettres"),
        ("peintre !!!", 9, "ne contient ni lettre, ni chiffre, ni emoji"),
        ("from:", 6, "from: attend un nom d'utilisateur"),
        ('peintre url:"a b.fr"', 13, "url: attend un morceau d'adresse web, sans espace"),
        ("", 1, "règle vide"),
    ],
)
def test_errors_name_what_and_where(rule: str, column: int, french: str) -> None:
    error = error_of(rule)
    assert french in error.what.in_language("fr")
    assert error.column == column
    assert error.what.in_language("en")  # every error has its English twin
    assert error.render(rule, "en").startswith(error.message_in("en"))


@pytest.mark.parametrize(
    ("rule", "column"),
    [
        ("is:retweet", 1),
        ("lang:fr", 1),
        ("has:media is:reply", 1),
        ("sample:10", 1),
        ("followers:>=100", 1),
        ("peintre OR lang:fr", 12),
        ("(peintre OR has:links) -emploi", 13),
    ],
)
def test_conjunction_operators_cannot_stand_alone(rule: str, column: int) -> None:
    error = error_of(rule)
    assert "ne peut pas être employé seul" in error.what.in_language("fr")
    assert error.column == column


@pytest.mark.parametrize("rule", ["-emploi", "-emploi -stage", "-(peintre OR plombier)", "-#pub"])
def test_negations_only_are_refused(rule: str) -> None:
    error = error_of(rule)
    assert "que d'exclusions" in error.what.in_language("fr")
    assert "exclusions only" in error.what.in_language("en")


def test_operators_with_a_standalone_term_are_fine() -> None:
    for rule in ["peintre lang:fr", "from:dupont is:reply", "#peinture has:images sample:10"]:
        parse_rule(rule)
    # A phone's capital letter at the start of a rule is forgiven.
    assert format_tree(parse_rule("From:dupont")) == "opérateur from:dupont"


def test_length_limit_is_configurable() -> None:
    rule = "peintre " * 200
    error = error_of(rule)
    assert error.column == 1025
    assert "règle trop longue : 1600 caractères, 1024 au plus" in error.what.in_language("fr")
    parse_rule(rule, max_length=2000)
    assert error_of("peintre angers", max_length=10).column == 11


def test_compile_names_the_bad_rule() -> None:
    with pytest.raises(RuleError) as caught:
        compile_rules([("ok", "peintre"), ("leads-49", "peintre (angers")])
    assert caught.value.rule_id == "leads-49"
    assert str(caught.value).startswith("règle leads-49 : parenthèse non fermée, colonne 9")
    matcher = compile_rules(
        [("ok", "peintre"), ("bad", "lang:fr"), ("ok2", "angers")], collect_errors=True
    )
    assert matcher.ids == ["ok", "ok2"]
    assert [e.rule_id for e in matcher.errors] == ["bad"]


def test_tree_shows_the_structure() -> None:
    rule = parse_rule('("Dupont Peinture" OR @dupont_peinture) -is:retweet lang:fr')
    assert format_tree(rule) == "\n".join(
        [
            "ET",
            "├── OU",
            '│   ├── expression "dupont peinture"',
            "│   └── mention @dupont_peinture",
            "├── SAUF",
            "│   └── opérateur is:retweet",
            "└── opérateur lang:fr",
        ]
    )
    assert format_tree(rule, lang="en").splitlines()[0] == "AND"


def test_check_rule_for_the_web_editor() -> None:
    good = check_rule("peintre angers")
    assert good["ok"] is True and good["error"] is None
    assert "mot peintre" in good["tree"]
    bad = check_rule("peintre (angers", lang="en")
    assert bad == {
        "ok": False,
        "tree": None,
        "error": {
            "column": 9,
            "message": "unclosed parenthesis, column 9",
            "caret": "  peintre (angers\n          ^",
        },
    }


PIECES = [*'ab é()"“”«»-*~:#@$ []0123456789.\t', "OR ", "AND", "from:", "lang:", "is:"]
PIECES += ["has:", "point_radius:", "followers:", "case:", "url:", "sample:", "km", ">=", ".."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20).map("".join))
def test_any_text_parses_or_fails_with_a_column(text: str) -> None:
    try:
        rule = parse_rule(text)
    except RuleError as error:
        assert 1 <= error.column <= len(text) + 1
        assert error.render(text).count("\n") == 2
        return
    assert format_tree(rule)
    assert compile_rules([("x", text)]).ids == ["x"]
