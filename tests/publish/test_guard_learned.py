"""The learned risk model: it adds what the word lists miss, each flag on its own sentence with
its reason, it can be left out, and the composer's example is never low risk."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from veille.publish.guard import GuardContext, check
from veille.publish.guard_learned import CATEGORIES, sentence_spans, shipped_model

RANT = (
    "Encore une taxe sur les opticiens ! Ce gouvernement nous étrangle, qu'ils démissionnent tous."
)


def test_the_composer_example_is_not_low_and_names_each_span() -> None:
    text = "Encore un coup des écolos, ces incapables ! Appelez-nous au 06 12 34 56 78"
    report = check(text)
    assert report.risk != "low"
    spans = {(flag.kind, text[flag.start : flag.end]) for flag in report.flags}
    assert ("groups", "des écolos") in spans  # the people, not a product's adjective
    assert ("insult", "ces incapables") in spans
    assert all(flag.explanation for flag in report.flags)


def test_a_learned_flag_spans_the_sentence_that_carries_the_risk_and_says_why() -> None:
    without = check(RANT, context=GuardContext(learned=False))
    assert without.risk == "low"
    report = check(RANT)
    [flag] = [f for f in report.flags if f.severity != "low"]
    assert flag.kind == "politics"
    assert RANT[flag.start : flag.end].startswith("Ce gouvernement nous étrangle")
    assert "modèle appris" in flag.explanation and "probabilité" in flag.explanation
    english = check(RANT, context=GuardContext(lang="en")).flags
    assert any("learned from labelled drafts" in f.explanation for f in english)


def test_promotion_is_only_a_learned_risk_during_a_crisis() -> None:
    model = shipped_model()
    risks = model.risks(
        "Promo flash : -20 % sur les croissants tout le week-end !", open_crisis=False
    )
    assert "crisis_promo" not in {r.category for r in risks}


def test_plain_drafts_stay_low_with_the_model() -> None:
    for text in (
        "Chantier terminé à Avrillé, merci pour votre confiance !",
        "Fermeture de l'atelier du 11 au 18 août, bonnes vacances à tous !",
        "Nos tarifs 2026 : rafraîchissement d'une chambre à partir de 450 € TTC.",
    ):
        assert check(text).risk == "low", text


def test_every_category_has_a_threshold_and_probabilities_are_per_category() -> None:
    model = shipped_model()
    assert set(model.thresholds) == set(CATEGORIES)
    probabilities = model.probabilities(["Bonjour", RANT])
    assert probabilities.shape == (2, len(CATEGORIES))
    assert ((probabilities >= 0) & (probabilities <= 1)).all()


def test_sentences_leave_out_spaces_and_wordless_pieces() -> None:
    text = "Bonjour à tous.  Ce soir on ferme tôt !!! 🙂"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Bonjour à tous.",
        "Ce soir on ferme tôt !",
    ]


def _caught_by() -> dict[str, set[str]]:
    """The flag kinds that count as catching each category (scripts/guard_data.py)."""
    path = Path(__file__).resolve().parents[2] / "scripts" / "guard_data.py"
    spec = importlib.util.spec_from_file_location("guard_data", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("guard_data", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return dict(module.CAUGHT_BY)


CAUGHT_BY = _caught_by()
# The issue's misses, written afresh (in neither the pool nor the held-out set): each is caught
# with a flag of a kind that covers its category, at medium or above (as eval_guard counts it).
ISSUE_EXAMPLES = [
    ("politics", "Aux municipales, toute la boutique soutient Annie Chevalier : votez pour elle !"),
    (
        "groups",
        "Les gauchistes de la mairie ont encore trouvé une taxe à inventer, quelle bande de nuls.",
    ),
    (
        "confidential",
        "Marché signé avec la mairie de Cholet pour la rénovation du gymnase : 128 000 € HT !",
    ),
    (
        "mockery",
        "Les Belges qui demandent des frites avec le magret, on les aime bien quand même 😂",
    ),
    ("groups", "Encore un coup des écolos, ces incapables ! Appelez-nous au 06 12 34 56 78"),
]
SAFE_LOOK_ALIKES = [
    "Notre peinture écologique sans solvant est arrivée en magasin.",
    "Réforme de la taxe foncière : on vous explique ce qui change pour les propriétaires.",
    "Dimanche, jour d'élection, la boutique ferme à 13 h. Bon vote à tous !",
    "Fiers d'avoir été retenus par la mairie de Cholet pour rénover le gymnase.",
]


@pytest.mark.parametrize(("category", "text"), ISSUE_EXAMPLES)
def test_the_issues_misses_are_caught_with_their_category(category: str, text: str) -> None:
    report = check(text)
    serious = {flag.kind for flag in report.flags if flag.severity != "low"}
    assert serious & CAUGHT_BY[category], report.to_json()
    assert all(flag.explanation and flag.start < flag.end for flag in report.flags)


@pytest.mark.parametrize("text", SAFE_LOOK_ALIKES)
def test_safe_look_alikes_stay_low(text: str) -> None:
    assert check(text).risk == "low", check(text).to_json()


def test_a_contract_amount_is_flagged_but_the_contract_alone_is_not() -> None:
    signed = "La mairie de Cholet nous confie la rénovation du gymnase, 128 000 € HT signés !"
    announced = "La mairie de Cholet nous confie la rénovation du gymnase, un beau chantier."
    assert check(signed).risk != "low"
    assert check(announced).risk == "low"


def test_a_run_of_one_letter_is_not_read_by_the_model() -> None:
    assert shipped_model().risks("a" * 300, open_crisis=True) == []
