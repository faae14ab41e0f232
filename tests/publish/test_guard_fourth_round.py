"""What the fourth held-out set showed the word lists missed or raised wrongly, mended on
general patterns and tested here on drafts written for this file: a word inside a compound, a
product's adjective read as a group, a feast's greeting, a blunder of one's own, a person's
private matters, an illegal practice owned up to. Each has a twin that is still flagged."""

from __future__ import annotations

from veille.publish.guard import GuardContext, check

RULES_ONLY = GuardContext(learned=False)


def kinds(text: str, at_least: str = "medium") -> set[str]:
    serious = {"medium", "high"} if at_least == "medium" else {"high"}
    report = check(text, context=RULES_ONLY)
    return {f.kind for f in report.flags if f.severity in serious}


def test_a_word_inside_a_compound_is_not_an_insult() -> None:
    assert "insult" not in kinds("Soleil annoncé samedi : sortez les paniers pour un pique-nique.")
    assert "insult" in kinds("Ce fournisseur, qu'il aille se faire niquer.")


def test_a_green_product_range_is_not_a_group_but_the_greens_scorned_are() -> None:
    for safe in (
        "Notre gamme de vernis écolo arrive en boutique lundi 🌱",
        "Rouler plus écolo : on installe des kits bioéthanol à l'atelier.",
    ):
        assert "groups" not in kinds(safe), safe
    for risky in (
        "Encore un coup des écolos, ces incapables !",
        "La maire écolo veut piétonniser la rue, merci pour nos clients.",
    ):
        assert "groups" in kinds(risky), risky


def test_a_feasts_greeting_and_hours_are_a_fact_not_a_jab() -> None:
    greeting = "Horaires du mois sacré : ouvert jusqu'à 2 h. Ramadan moubarak à tous !"
    assert "religion" not in kinds(greeting)
    # « Pendant le ramadan » reads as the shop's hours until the draft scorns someone.
    jab = kinds("Pendant le ramadan, ils sont encore plus fainéants, ces gens-là.")
    assert {"religion", "groups"} <= jab


def test_a_blunder_of_ones_own_makes_the_joke_self_mockery() -> None:
    own = (
        "J'ai voulu faire le malin avec le chalumeau, résultat : sourcils roussis, "
        "les clients ont bien ri 😂"
    )
    assert not kinds(own) & {"mockery", "sarcasm"}
    theirs = "La cliente voulait un flan « léger » 😂 on a ri toute la soirée"
    assert kinds(theirs) & {"mockery", "sarcasm"}


def test_a_named_persons_health_or_family_matters_are_confidential() -> None:
    for risky in (
        "Plein de courage à Sophie qui commence sa FIV la semaine prochaine 🍀",
        "Bravo à Lucas, 12 en anglais malgré son TDAH !",
        "Léa a raté son contrôle, avec le divorce de ses parents ce n'est pas simple.",
        "@marc_d vous nous devez encore 240 € sur le buffet, on en reparle après.",
    ):
        assert "confidential" in kinds(risky), risky
    assert "confidential" not in kinds("Bravo à Lucas, 12 en anglais ce trimestre !")


def test_an_illegal_practice_owned_up_to_is_a_legal_risk() -> None:
    for risky in (
        "Deux extras ce samedi, payés sans les déclarer, et le mariage était parfait.",
        "Vos papiers ne sont pas en règle ? Venez quand même, on s'arrange.",
        "Maillots de grandes marques, logos refaits à l'identique, 10 € pièce.",
        "Le label n'est pas encore obtenu mais on l'affiche déjà sur nos pots.",
    ):
        assert "accusation" in kinds(risky), risky
    assert "accusation" not in kinds("Extras déclarés, contrats signés : on recrute pour décembre.")
