"""The word lists' false alarms cut this round: a scare-quoted word or a wry emoji in a joke
at one's own expense, a quote that belongs to two quoted phrases, the shop's own address and
religious objects in an exhibition. Each has a hostile twin that is still flagged, with its span
and the reason."""

from __future__ import annotations

from veille.publish.guard import GuardContext, GuardReport, check
from veille.publish.guard_cues import SIGNS, text_cues

RULES_ONLY = GuardContext(learned=False)


def flags_of(report: GuardReport, kind: str, text: str) -> list[tuple[str, str, str]]:
    return [
        (f.severity, text[f.start : f.end], f.explanation) for f in report.flags if f.kind == kind
    ]


def test_a_scare_quote_in_a_blunder_of_ones_own_is_a_joke_not_sarcasm() -> None:
    text = 'Hier j\'ai confondu le sel et le sucre : les clients ont eu un gravlax "dessert" 😅'
    [(severity, span, why)] = flags_of(check(text, context=RULES_ONLY), "sarcasm", text)[:1]
    assert (severity, span) == ("low", '"dessert"')
    assert "à vos dépens" in why and "j'ai confondu" in why
    assert check(text, context=RULES_ONLY).risk == "low"


def test_a_scare_quote_aimed_at_others_is_still_sarcasm() -> None:
    text = 'Leur "expert" est passé trois fois sans trouver la fuite.'
    [(severity, span, why)] = flags_of(check(text, context=RULES_ONLY), "sarcasm", text)
    assert (severity, span) == ("medium", '"expert"')
    assert "ironique" in why


def test_a_wry_emoji_after_ones_own_fall_is_low_but_after_a_jab_it_is_medium() -> None:
    own = "On a renversé tout le portant en faisant la vitrine. On est des pros 🤡"
    [(severity, span, _)] = flags_of(check(own, context=RULES_ONLY), "sarcasm", own)
    assert (severity, span) == ("low", "🤡")
    jab = "La mairie a encore fermé la rue un samedi. Des pros 🤡"
    [(severity, span, _)] = flags_of(check(jab, context=RULES_ONLY), "sarcasm", jab)
    assert (severity, span) == ("medium", "🤡")


def test_the_quotes_of_two_quoted_phrases_do_not_make_a_scare_quote() -> None:
    text = 'J\'ai traduit "cheese board" par "planche de fromages" dans un menu.'
    assert flags_of(check(text, context=RULES_ONLY), "sarcasm", text) == []
    quoted = 'Ils appellent ça du "fait maison".'
    assert flags_of(check(quoted, context=RULES_ONLY), "sarcasm", quoted) == []
    sneer = 'Le "service" après-vente ne répond jamais.'
    [(severity, span, _)] = flags_of(check(sneer, context=RULES_ONLY), "sarcasm", sneer)
    assert (severity, span) == ("medium", '"service"')


def test_the_shops_own_address_is_low_and_a_persons_address_is_medium() -> None:
    for own in (
        "Nouvelle adresse : 4 place de l'Église, juste en face de la boulangerie.",
        "Ourlets en 24 heures. Venez me voir au 8 rue Plantagenêt.",
    ):
        [(severity, _, why)] = flags_of(check(own, context=RULES_ONLY), "personal_data", own)
        assert severity == "low" and "la vôtre" in why, own
    someone = "Mme Girard, qui habite au 8 rue Plantagenêt, a oublié son parapluie."
    [(severity, span, _)] = flags_of(check(someone, context=RULES_ONLY), "personal_data", someone)
    assert (severity, span) == ("medium", "8 rue Plantagenêt")


def test_religious_objects_in_an_exhibition_are_low_but_scorned_they_are_medium() -> None:
    shown = "Exposition « Objets de dévotion » : croix, bénitiers, reliquaires, jusqu'au 30."
    severities = {s for s, _, _ in flags_of(check(shown, context=RULES_ONLY), "religion", shown)}
    assert severities == {"low"}
    scorned = "Exposition de bénitiers : de quoi rire des bigots 😂"
    severities = {
        s for s, _, _ in flags_of(check(scorned, context=RULES_ONLY), "religion", scorned)
    }
    assert "medium" in severities


def test_the_models_cues_tell_a_joke_about_someone_from_a_joke_about_oneself() -> None:
    def signs(text: str) -> dict[str, float]:
        return dict(zip(SIGNS, text_cues(text)[-len(SIGNS) :].tolist(), strict=True))

    about = signs("L'ado qui voulait la coupe de Mbappé avec trois cheveux sur le crâne 😂")
    assert (about["joke_about_someone"], about["self_joke"]) == (1.0, 0.0)
    own = signs("Ma première fournée : des baguettes plates comme des limandes, le client a ri 😂")
    assert (own["joke_about_someone"], own["self_joke"]) == (0.0, 1.0)
    plain = signs("Le client a reçu sa commande mardi, merci à lui.")
    assert plain["joke_about_someone"] == plain["self_joke"] == 0.0


def test_a_joke_with_someone_else_in_it_is_mockery_a_blunder_of_ones_own_is_not() -> None:
    text = "L'ado qui voulait la coupe de Mbappé avec trois cheveux sur le crâne 😂"
    [(severity, span, why)] = flags_of(check(text, context=RULES_ONLY), "mockery", text)
    assert (severity, span) == ("medium", "L'ado")
    assert "aux dépens de quelqu'un" in why
    own = "Ma première coupe à 15 ans : j'ai raté la frange de ma sœur, elle a pleuré 😂"
    assert flags_of(check(own, context=RULES_ONLY), "mockery", own) == []
