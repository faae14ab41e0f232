"""The guard as a user meets it: each kind of risk is flagged on the right words, explained in
French and English, and safe drafts stay low."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from veille.business import BusinessProfile, Competitor
from veille.publish.guard import MAX_TEXT_CHARS, GuardContext, GuardInputError, GuardReport, check

PROFILE = BusinessProfile(
    name="Martin Peinture",
    handles=["martinpeinture"],
    website="https://martin-peinture.fr",
    competitors=[
        Competitor(name="Dupont Peinture", handles=["dupont_peinture"], aliases=["Dupont"])
    ],
)


def flagged(report: GuardReport, text: str, kind: str) -> list[tuple[str, str]]:
    """(severity, flagged text) for each flag of `kind`."""
    return [(f.severity, text[f.start : f.end]) for f in report.flags if f.kind == kind]


def assert_flag(text: str, kind: str, span_text: str, severity: str, **context: object) -> None:
    report = check(text, context=GuardContext(**context))  # type: ignore[arg-type]
    assert (severity, span_text) in flagged(report, text, kind), report.to_json()


# --- one or more per kind, spans read on the original text ----------------------------------


def test_politics_named_person_is_medium_and_a_stance_is_high() -> None:
    assert_flag("Franchement Bardella a raison sur les charges.", "politics", "Bardella", "medium")
    text = "Votez pour Mélenchon ! Honte au gouvernement."
    report = check(text)
    assert ("high", "Votez pour") in flagged(report, text, "politics")
    assert ("medium", "Mélenchon") in flagged(report, text, "politics")
    assert report.risk == "high"


def test_politics_matches_without_accents_or_case() -> None:
    assert_flag("MELENCHON encore à la télé", "politics", "MELENCHON", "medium")
    assert_flag("le rassemblement NATIONAL", "politics", "rassemblement NATIONAL", "medium")


def test_religion_is_medium_and_a_shop_fact_is_low() -> None:
    assert_flag("Le ramadan, très peu pour nous.", "religion", "ramadan", "medium")
    # A feast greeted or its opening hours given: a fact about the shop, noted low.
    assert_flag("Bon ramadan à tous nos clients !", "religion", "ramadan", "low", learned=False)
    assert_flag("Viande halal le jeudi.", "religion", "halal", "low")


def test_sarcasm_cues() -> None:
    assert_flag("Bravo la poste... trois jours de retard", "sarcasm", "Bravo la poste...", "medium")
    assert_flag("Merci pour rien à la mairie.", "sarcasm", "Merci pour rien", "medium")
    assert_flag("Super journée 🙄", "sarcasm", "🙄", "medium")
    assert_flag("Merci au « support » de l'hébergeur.", "sarcasm", "« support »", "medium")
    assert_flag("Tout va bien /s", "sarcasm", "/s", "medium")


def test_insult_profanity_and_aggression() -> None:
    assert_flag("Le client qui ne paie pas, quel connard.", "insult", "connard", "high")
    assert_flag("Putain de météo.", "insult", "Putain", "high")
    assert_flag("@jean apprenez à lire avant de poster.", "aggression", "apprenez à lire", "medium")


def test_negative_statement_about_a_competitor_spans_the_sentence() -> None:
    text = "Super chantier. Chez Dupont Peinture ils bâclent tout. Appelez-nous !"
    report = check(text, context=GuardContext(profile=PROFILE))
    assert flagged(report, text, "negative_mention") == [
        ("high", "Dupont Peinture ils bâclent tout")
    ]
    assert "Dupont Peinture" in report.flags[0].explanation


def test_apology_to_a_customer_is_not_a_negative_mention() -> None:
    text = "@claire désolés pour cette mauvaise expérience, on vous rappelle."
    assert flagged(check(text), text, "negative_mention") == []


def test_personal_data() -> None:
    assert_flag(
        "Appelez Kevin sur son portable : 06 12 45 78 90.",
        "personal_data",
        "06 12 45 78 90",
        "medium",
    )
    assert_flag(
        "Virement sur FR76 3000 6000 0112 3456 7890 189 merci",
        "personal_data",
        "FR76 3000 6000 0112 3456 7890 189",
        "high",
    )
    assert_flag(
        "Facture envoyée à paul.girard@gmail.com",
        "personal_data",
        "paul.girard@gmail.com",
        "medium",
    )
    assert_flag(
        "Carte 4970 1012 3456 7890 à débiter", "personal_data", "4970 1012 3456 7890", "high"
    )
    # Without the word "carte", a number passing the Luhn check is still a card number.
    assert_flag("Débiter 4111 1111 1111 1111 lundi", "personal_data", "4111 1111 1111 1111", "high")


def test_own_contact_details_are_only_noted() -> None:
    text = "Appelez-nous au 02 41 87 45 12 ou contact@martin-peinture.fr"
    report = check(text, context=GuardContext(profile=PROFILE))
    assert report.risk == "low"
    assert {severity for severity, _ in flagged(report, text, "personal_data")} == {"low"}


def test_client_names_from_the_context_and_titled_names() -> None:
    assert_flag(
        "Merci à Sophie Tessier pour sa confiance",
        "client_name",
        "Sophie Tessier",
        "high",
        client_names=["sophie tessier"],
    )
    assert_flag("Chantier fini chez Mme Lefèvre.", "client_name", "Mme Lefèvre", "medium")


def test_public_price_is_low_and_a_quote_is_medium() -> None:
    assert_flag("Baguette tradition 1,30 €.", "price", "1,30 €", "low")
    assert_flag("Devis de 3 450 € HT accepté.", "price", "3 450 € HT", "medium")


def test_confidential_information() -> None:
    assert_flag("Mot de passe du wifi : Fournil2026", "confidential", "Mot de passe", "high")


def test_legal_risks() -> None:
    assert_flag("Ce fournisseur, ce sont des escrocs.", "accusation", "escrocs", "high")
    assert_flag("Notre pain guérit la toux.", "health_claim", "guérit", "high")
    assert_flag("Résultat garanti à vie !", "guarantee", "Résultat garanti à vie", "medium")


def test_promotion_is_only_a_risk_while_a_crisis_is_open() -> None:
    text = "Promo : -20 % sur tout le magasin !"
    assert flagged(check(text), text, "crisis_promo") == []
    report = check(text, context=GuardContext(open_crisis=True))
    assert ("high", "Promo") in flagged(report, text, "crisis_promo")
    assert report.risk == "high"


def test_tone_capitals_and_exclamations_are_a_note() -> None:
    text = "ATTENTION LA BOUTIQUE SERA FERMÉE DEMAIN"
    assert_flag(text, "tone", text, "low")
    assert check(text).risk == "low"
    assert_flag("Les fraisiers sont là !!!!", "tone", "!!!!", "low")
    # What is aggressive in a shouted post is flagged by its words.
    shouted = "APPRENEZ À LIRE AVANT DE COMMENTER !!!"
    assert check(shouted).risk != "low"
    # Acronyms are not shouting.
    text = "Artisan RGE, devis TTC, paiement CB."
    assert flagged(check(text), text, "tone") == []


def test_links_malformed_and_costly_on_x() -> None:
    text = "Voir htps://martin-peinture.fr/couleurs et https://martin-peinture.fr/ok"
    report = check(text, context=GuardContext(networks=["x"]))
    assert ("medium", "htps://martin-peinture.fr/couleurs") in flagged(report, text, "link")
    cost = flagged(report, text, "link_cost")
    assert cost == [("low", "https://martin-peinture.fr/ok")]
    cost_flag = next(f for f in report.flags if f.kind == "link_cost")
    assert "plusieurs fois" in cost_flag.explanation
    mastodon = check(text, context=GuardContext(networks=["mastodon"]))
    assert flagged(mastodon, text, "link_cost") == []


def test_too_many_hashtags() -> None:
    text = "Avant/après #peinture #renovation #deco #angers #artisan #maison"
    tags = "#peinture #renovation #deco #angers #artisan #maison"
    assert_flag(text, "hashtags", tags, "medium")
    text = "Avant/après #peinture #renovation #deco #angers"
    assert_flag(text, "hashtags", "#peinture #renovation #deco #angers", "low")
    text = "Avant/après #peinture #renovation #angers"
    assert flagged(check(text), text, "hashtags") == []


def test_a_role_mailbox_is_the_business_s_own() -> None:
    text = "Nous recrutons ! Candidatures : recrutement@creditclair.fr"
    assert_flag(text, "personal_data", "recrutement@creditclair.fr", "low")
    text = "Écrivez à julie.martin@gmail.com pour la réserver."
    assert_flag(text, "personal_data", "julie.martin@gmail.com", "medium")


def test_a_booking_told_during_a_crisis_is_no_promotion() -> None:
    crisis = GuardContext(open_crisis=True)
    text = "La salle est fermée ; les couples qui y avaient réservé sont contactés un par un."
    assert flagged(check(text, context=crisis), text, "crisis_promo") == []
    text = "Réservez dès maintenant votre table pour samedi !"
    assert ("high", "Réservez") in flagged(check(text, context=crisis), text, "crisis_promo")


# --- spans with accents and emojis ----------------------------------------------------------


def test_spans_are_offsets_into_the_original_text_after_emojis_and_accents() -> None:
    text = "👩‍🎨🎨 Éclatant ! Mais ces escrocs d'À-côté…"
    report = check(text)
    flag = next(f for f in report.flags if f.kind == "accusation")
    assert text[flag.start : flag.end] == "escrocs"
    assert (flag.start, flag.end) == (text.index("escrocs"), text.index("escrocs") + 7)


def test_ligature_and_decomposed_accents_map_back() -> None:
    text = "Le Sœur ? Non : Me\u0301lenchon a parlé."
    report = check(text)
    assert ("medium", "Me\u0301lenchon") in flagged(report, text, "politics")


# --- safe drafts stay low --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Le mur de gauche est fini, on attaque le plafond demain.",
        "La peinture du salon est sèche, on remet les meubles.",
        "Cette peinture dégage très peu d'odeur.",
        "Travail soigné et finitions impeccables.",
        "Chili con carne maison en plat du jour.",
        "PS : pensez à réserver vos bûches.",
        "Prière de ne pas stationner devant l'atelier.",
        "Rendez-vous place de l'Église pour le marché de Noël.",
        "Avis aux amateurs de chocolat : les œufs sont en vitrine.",
        "Merci à tous... vous êtes formidables !",
        "Promo sur les pneus hiver : -20 % jusqu'à dimanche !",
    ],
)
def test_safe_drafts_stay_low(text: str) -> None:
    report = check(text, context=GuardContext(profile=PROFILE))
    assert report.risk == "low", report.to_json()


# --- explanations ----------------------------------------------------------------------------


def test_every_flag_is_explained_in_french_and_in_english() -> None:
    text = "Votez Bardella, ces escrocs de Dupont Peinture bâclent tout !!! 🙄 #a #b #c #d"
    fr = check(text, context=GuardContext(profile=PROFILE, lang="fr"))
    en = check(text, context=GuardContext(profile=PROFILE, lang="en"))
    assert [f.kind for f in fr.flags] == [f.kind for f in en.flags]
    assert len({f.kind for f in fr.flags}) >= 6
    for french, english in zip(fr.flags, en.flags, strict=True):
        assert french.explanation and english.explanation
        assert french.explanation != english.explanation
    kinds_fr = {f.kind: f.explanation for f in fr.flags}
    kinds_en = {f.kind: f.explanation for f in en.flags}
    assert "politique" in kinds_fr["politics"] and "politic" in kinds_en["politics"]


def test_report_json_has_exactly_the_documented_shape() -> None:
    data = check("Putain !", context=GuardContext()).to_json()
    assert set(data) == {"risk", "flags"}
    assert data["risk"] == "high"
    assert all(
        set(flag) == {"kind", "severity", "start", "end", "explanation"} for flag in data["flags"]
    )


# --- length per network ----------------------------------------------------------------------


def test_length_limits_per_network() -> None:
    just_x = "a" * 280
    assert check(just_x, context=GuardContext(networks=["x"])).risk == "low"
    over = "a" * 281
    report = check(over, context=GuardContext(networks=["x", "bluesky", "mastodon"]))
    assert [(f.kind, f.severity) for f in report.flags] == [("length", "high")]
    assert "281" in report.flags[0].explanation and "280" in report.flags[0].explanation


def test_each_network_over_its_limit_gets_its_own_flag() -> None:
    report = check("a" * 350, context=GuardContext(lang="en"))
    assert [f.explanation.split(":")[0] for f in report.flags] == [
        "Too long for X",
        "Too long for Bluesky",
    ]


def test_x_counts_a_url_as_23() -> None:
    text = "a" * 250 + " https://example.fr/" + "p" * 100
    assert check(text, context=GuardContext(networks=["x"])).risk == "low"  # 250 + 1 + 23
    assert check(text, context=GuardContext(networks=["bluesky"])).risk == "high"


def test_bluesky_counts_graphemes_not_code_points() -> None:
    family = "👨‍👩‍👧‍👦"  # 7 code points, one grapheme
    text = family * 300
    assert check(text, context=GuardContext(networks=["bluesky"])).risk == "low"
    assert check(text + "a", context=GuardContext(networks=["bluesky"])).risk == "high"


def test_mastodon_limit_is_500() -> None:
    assert check("é" * 500, context=GuardContext(networks=["mastodon"])).risk == "low"
    assert check("é" * 501, context=GuardContext(networks=["mastodon"])).risk == "high"


# --- late at night, in the local time zone ----------------------------------------------------


def test_late_night_uses_the_local_wall_clock_across_daylight_saving() -> None:
    # 21:30 UTC is 22:30 in Paris in winter (UTC+1) and 23:30 in summer (UTC+2): both late.
    winter = datetime(2026, 1, 15, 21, 30, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 21, 30, tzinfo=UTC)
    for when, shown in ((winter, "22:30"), (summer, "23:30")):
        report = check("Bonne soirée !", context=GuardContext(scheduled_at=when))
        assert [f.kind for f in report.flags] == ["late_night"]
        assert shown in report.flags[0].explanation
    # 20:30 UTC: 21:30 in Paris in winter (fine) but 22:30 in summer (late).
    assert check("x", context=GuardContext(scheduled_at=winter.replace(hour=20))).risk == "low"
    assert check("x", context=GuardContext(scheduled_at=summer.replace(hour=20))).risk == "medium"


def test_late_night_on_the_night_clocks_change_and_in_another_zone() -> None:
    # 29 March 2026, Paris jumps from 02:00 to 03:00; 01:30 UTC is 03:30 local: still night.
    report = check(
        "Hop", context=GuardContext(scheduled_at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
    )
    assert report.risk == "medium" and "03:30" in report.flags[0].explanation
    # Naive times are read in the context's zone; 23:00 in Montreal is late there.
    naive = datetime(2026, 5, 1, 23, 0)
    montreal = check("Hop", context=GuardContext(scheduled_at=naive, time_zone="America/Montreal"))
    assert montreal.risk == "medium"
    # 08:00 in Paris is fine.
    assert check("Hop", context=GuardContext(scheduled_at=datetime(2026, 5, 1, 8))).risk == "low"


def test_unknown_time_zone_or_network_is_a_clear_error() -> None:
    with pytest.raises(GuardInputError, match="time_zone: 'Europe/Angers'"):
        GuardContext(time_zone="Europe/Angers")
    with pytest.raises(GuardInputError, match="unknown network 'facebook'"):
        GuardContext(networks=["facebook"])


# --- hostile input ---------------------------------------------------------------------------


def test_empty_draft_is_flagged_not_silently_passed() -> None:
    for text in ("", "   \n "):
        report = check(text)
        assert report.risk == "high"
        assert report.flags[0].kind == "empty"
        assert "vide" in report.flags[0].explanation


def test_a_100_kb_draft_is_read_and_reported_too_long() -> None:
    text = ("Bonne journée à tous, le chantier avance bien. " * 2200)[:100_000]
    report = check(text, context=GuardContext(networks=["x"]))
    assert [f.kind for f in report.flags] == ["length"]
    assert "100000" in report.flags[0].explanation


def test_text_beyond_the_limit_is_refused_with_its_size() -> None:
    with pytest.raises(GuardInputError, match=f"at most {MAX_TEXT_CHARS}"):
        check("a" * (MAX_TEXT_CHARS + 1))


def test_control_and_bidi_characters_are_flagged_at_their_position() -> None:
    text = "Mise à jour \u202e cliquez ici\x00"
    report = check(text)
    spans = [(f.start, f.end) for f in report.flags if f.kind == "control_chars"]
    assert spans == [(12, 13), (len(text) - 1, len(text))]
    assert "U+202E" in report.flags[0].explanation
    assert report.risk == "medium"


def test_lone_surrogate_does_not_crash() -> None:
    report = check("Bonjour \ud800 à tous")
    assert "control_chars" in report.kinds()


def test_non_string_text_is_refused() -> None:
    with pytest.raises(GuardInputError, match="expected a string"):
        check(None)  # type: ignore[arg-type]
