"""The rule flags added for what drafts written by others slipped past: a named business run
down by its products or work, praise next to a setback (irony without a cue word), a person's
private matters, an amount tied to a contract, and religion mentioned for the shop's service.
Each flag names its span and says why; each has a safe look-alike that stays unflagged."""

from __future__ import annotations

from veille.business import BusinessProfile
from veille.publish.guard import GuardContext, GuardReport, check
from veille.publish.guard_cues import SIGNS, text_cues

RULES_ONLY = GuardContext(learned=False)


def kinds(report: GuardReport, at_least: str = "medium") -> set[str]:
    levels = {"medium": ("medium", "high"), "low": ("low", "medium", "high")}[at_least]
    return {flag.kind for flag in report.flags if flag.severity in levels}


def only(report: GuardReport, kind: str, text: str) -> tuple[str, str, str]:
    [flag] = [f for f in report.flags if f.kind == kind]
    return flag.severity, text[flag.start : flag.end], flag.explanation


def test_a_named_business_run_down_by_its_products_is_flagged() -> None:
    text = "Le burger de la brasserie Chez Sam ? Pain industriel et steak surgelé."
    severity, span, why = only(check(text, context=RULES_ONLY), "negative_mention", text)
    assert severity == "high"
    assert span == "brasserie Chez Sam ? Pain industriel"
    assert "brasserie Chez Sam" in why and "industriel" in why and "dénigrer" in why


def test_a_named_business_congratulated_is_not_run_down() -> None:
    text = "Bravo à la brasserie Chez Sam pour ses dix ans, leur burger maison est une merveille."
    assert "negative_mention" not in kinds(check(text, context=RULES_ONLY))


def test_faulty_work_signed_by_a_named_firm_is_flagged_but_not_in_a_plain_boast() -> None:
    text = "Toit refait l'an dernier par Toitures Lebrun : ardoises clouées de travers."
    assert "negative_mention" in kinds(check(text, context=RULES_ONLY))
    safe = "Notre pain n'est pas industriel : tout est pétri ici, de travers parfois !"
    assert "negative_mention" not in kinds(check(safe, context=RULES_ONLY))


def test_the_business_own_name_is_not_someone_it_runs_down() -> None:
    profile = BusinessProfile(name="Martin Peinture", handles=["martinpeinture"])
    text = "Chez Martin Peinture, jamais de peinture industrielle ni de travail à la va-vite."
    report = check(text, context=GuardContext(profile=profile, learned=False))
    assert "negative_mention" not in kinds(report)


def test_praise_next_to_a_setback_reads_as_irony() -> None:
    text = "Le transporteur a encore livré la mauvaise pièce. Une constance admirable."
    severity, span, why = only(check(text, context=RULES_ONLY), "sarcasm", text)
    assert (severity, span) == ("medium", "Une constance admirable")
    assert "encore" in why and "ironie" in why
    english = check(text, context=GuardContext(learned=False, lang="en"))
    assert "irony" in only(english, "sarcasm", text)[2]


def test_praise_without_a_setback_or_with_an_apology_stays_unflagged() -> None:
    praise = "Une rapidité remarquable : notre apprenti a rangé tout l'atelier avant midi !"
    apology = "Désolés pour ce retard de livraison. Toujours un plaisir de travailler avec vous."
    for text in (praise, apology):
        assert "sarcasm" not in kinds(check(text, context=RULES_ONLY)), text


def test_a_persons_private_matters_are_confidential() -> None:
    text = "Notre apprenti arrive souvent en retard parce que ses parents divorcent."
    severity, span, _ = only(check(text, context=RULES_ONLY), "confidential", text)
    assert (severity, span) == ("high", "divorcent")
    safe = "Divorce, succession, donation : l'étude vous accompagne à chaque étape."
    assert "confidential" not in kinds(check(safe, context=RULES_ONLY))


def test_an_amount_tied_to_a_signed_contract_is_medium_a_price_list_low() -> None:
    text = "Contrat signé avec la commune de Brissac : 63 800 € TTC pour les fenêtres de l'école."
    report = check(text, context=RULES_ONLY)
    assert only(report, "price", text)[:2] == ("medium", "63 800 € TTC")
    price_list = "Ourlet de pantalon : 12 €, fermeture éclair changée : 18 €."
    assert "price" not in kinds(check(price_list, context=RULES_ONLY))
    assert "price" in kinds(check(price_list, context=RULES_ONLY), at_least="low")


def test_a_feast_named_for_opening_hours_is_low_a_jab_is_medium() -> None:
    hours = "Pendant le ramadan, la boutique ouvre jusqu'à 21 h pour la rupture du jeûne."
    assert check(hours, context=RULES_ONLY).risk == "low"
    assert "religion" in kinds(check(hours, context=RULES_ONLY), at_least="low")
    jab = "Pendant le ramadan, ceux qui nous font la morale peuvent aller se confesser ailleurs 😂"
    assert "religion" in kinds(check(jab, context=RULES_ONLY))
    bigots = "Les grenouilles de bénitier qui se plaignent de notre vitrine, on s'en passe."
    assert "religion" in kinds(check(bigots, context=RULES_ONLY))


def test_a_treatment_replaced_or_vat_skipped_is_a_legal_risk() -> None:
    claim = "Notre complément au curcuma remplace votre traitement pour le cœur."
    assert "health_claim" in kinds(check(claim, context=RULES_ONLY))
    careful = "Nos compléments ne remplacent pas un avis médical : parlez-en à votre médecin."
    assert "health_claim" not in kinds(check(careful, context=RULES_ONLY))
    undeclared = "Payez en liquide et on oublie la TVA, ça arrange tout le monde."
    assert "accusation" in kinds(check(undeclared, context=RULES_ONLY))
    declared = "Paiement en liquide accepté, avec facture et TVA comprises."
    assert check(declared, context=RULES_ONLY).risk == "low"


def test_a_verdict_on_a_whole_group_is_flagged_a_welcome_is_not() -> None:
    verdict = "Les VTC sont des amateurs qui volent notre travail."
    severity, span, _ = only(check(verdict, context=RULES_ONLY), "groups", verdict)
    assert (severity, span) == ("medium", "Les VTC sont des")
    welcome = "Les VTC sont les bienvenus sur notre parking pour déposer vos proches."
    assert "groups" not in kinds(check(welcome, context=RULES_ONLY))


def test_the_models_cues_see_a_name_beside_a_fault_and_praise_beside_a_setback() -> None:
    def signs(text: str) -> dict[str, float]:
        return dict(zip(SIGNS, text_cues(text)[-len(SIGNS) :].tolist(), strict=True))

    named = signs("Les éclairs de la pâtisserie Lenoir ? Pâte molle et crème industrielle.")
    assert named["business_name"] == named["name_and_negative"] == 1.0
    ironic = signs("Trois semaines de retard pour la farine. Un timing parfait.")
    assert ironic["praise_and_setback"] == 1.0
    plain = signs("Nouveaux éclairs au café en vitrine dès samedi.")
    assert plain["name_and_negative"] == plain["praise_and_setback"] == 0.0


def test_the_model_does_not_overrule_the_rules_on_a_shop_fact_about_a_feast() -> None:
    for text in (
        "Prière de ne pas stationner devant l'atelier.",
        "Pendant le ramadan, la boutique ouvre jusqu'à 21 h pour la rupture du jeûne.",
    ):
        assert check(text).risk == "low", check(text).to_json()
