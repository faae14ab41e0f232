"""The learned risk model: it adds what the word lists miss, each flag on its own sentence with
its reason, it can be left out, and the composer's example is never low risk."""

from __future__ import annotations

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
    assert ("groups", "écolos") in spans
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
