"""What reaches the inbox, on texts written for these tests about businesses that are not the
demo's (a plumber in Tours, a bakery in Lyon): the rules must hold beyond the demo's stream."""

from __future__ import annotations

import pytest

from tests.factories import post_json
from veille.business import BusinessProfile, Competitor
from veille.inbox.admission import Admission
from veille.posts import Post, parse_post
from veille.understand import Analyzer

PLUMBER = BusinessProfile(
    name="Plomberie Garnier",
    handles=["plomberiegarnier"],
    owner_name="Yann Garnier",
    owner_handles=["yanngarnier37"],
    trade="plombier chauffagiste",
    services=["plombier", "plomberie", "chauffe-eau", "fuite", "chaudière", "débouchage"],
    city="Tours",
    departement="Indre-et-Loire",
    departement_code="37",
    area=["Tours", "Joué-lès-Tours", "Saint-Cyr-sur-Loire"],
    competitors=[Competitor(name="Aqua Services 37", handles=["aquaservices37"])],
)
BAKERY = BusinessProfile(
    name="Au Pain Doré",
    handles=["aupaindore"],
    trade="boulangerie pâtisserie",
    services=["boulangerie", "pain", "croissant", "gâteau", "pâtisserie"],
    city="Lyon",
    departement="Rhône",
    departement_code="69",
    area=["Lyon", "Villeurbanne"],
)
ANALYZERS = {PLUMBER.name: Analyzer(PLUMBER), BAKERY.name: Analyzer(BAKERY)}


def read(
    profile: BusinessProfile, text: str, post_id: str = "1", **extra: object
) -> tuple[Post, list[str], bool]:
    """The post, its intents read for the business, and whether the inbox lists it."""
    post = parse_post(post_json(post_id, text, **extra))
    admission = Admission(profile)
    understood = admission.in_context(post, ANALYZERS[profile.name].analyze([text])[0])
    return post, understood.present_intents(), admission.admits(post, understood)


@pytest.mark.parametrize(
    "text",
    [
        "Incendie dans un entrepôt de Joué-lès-Tours cette nuit : 40 pompiers mobilisés, "
        "aucun blessé",
        "Fuite de gaz rue Colbert : le quartier évacué deux heures, GRDF sur place",
        "Plombiers : la pénurie d'apprentis s'aggrave en Touraine, alerte la chambre des métiers",
        "Arnaques au dépannage : la DGCCRF met en garde contre les faux plombiers à 800 € "
        "l'intervention",
    ],
)
def test_local_and_sector_news_that_does_not_concern_the_business_is_no_crisis(
    text: str,
) -> None:
    _, intents, _ = read(PLUMBER, text, username="tours_actu")
    assert "crisis" not in intents


def test_news_about_the_business_itself_can_be_a_crisis() -> None:
    text = (
        "Saint-Cyr-sur-Loire : après l'intervention de Plomberie Garnier, un dégât des eaux "
        "a inondé trois appartements, les copropriétaires veulent porter plainte"
    )
    _, intents, admitted = read(PLUMBER, text, username="tours_actu")
    assert "crisis" in intents and admitted


@pytest.mark.parametrize(
    "text",
    [
        "Gagnez des followers réels sur Insta et TikTok, résultats en 24h 👉 lien en bio",
        "@plomberiegarnier achetez 10 000 abonnés pour 19 € seulement, livraison immédiate",
        "Votre page stagne ? On vous trouve +2k followers garantis, DM 📩",
        "1000 likes offerts pour tout pack acheté 🔥 boost ton compte maintenant",
    ],
)
def test_spam_and_follower_selling_never_reach_the_inbox(text: str) -> None:
    _, intents, admitted = read(PLUMBER, text, username="growth_hacker_2026")
    assert not admitted
    assert not {"complaint", "crisis", "lead", "praise"} & set(intents)


def test_a_business_thanking_its_followers_is_not_spam_when_someone_quotes_it() -> None:
    text = "Bravo @aupaindore pour les 1000 abonnés, vos croissants les méritent !"
    _, _, admitted = read(BAKERY, text, username="lyon_gourmande")
    assert admitted


@pytest.mark.parametrize(
    ("network", "username"),
    [
        ("x", "plomberiegarnier"),
        ("mastodon", "plomberiegarnier@piaille.fr"),
        ("x", "YannGarnier37"),
    ],
)
def test_the_business_apology_is_never_a_complaint_against_itself(
    network: str, username: str
) -> None:
    text = (
        "Suite à la fuite chez une cliente de Joué hier soir, toutes nos excuses : notre "
        "technicien a mal serré un raccord. L'assurance est prévenue et nous prenons les "
        "réparations à notre charge."
    )
    _, intents, admitted = read(PLUMBER, text, network=network, username=username)
    assert not {"complaint", "crisis"} & set(intents)
    assert not admitted


@pytest.mark.parametrize(
    "text",
    [
        "Le technicien de Plomberie Garnier a découpé le vieux tuyau en fibrociment sans "
        "masque ni bâche, la poussière est partout dans la cave",
        "@plomberiegarnier votre gars est reparti en laissant le raccord qui goutte, résultat "
        "le plafond du voisin s'est effondré ce matin !!",
        "Une baguette achetée ce matin chez Au Pain Doré avec un morceau de verre dedans. "
        "Ma fille a failli se blesser.",
    ],
)
def test_incident_reports_about_the_business_read_as_crisis_or_complaint(text: str) -> None:
    profile = BAKERY if "Pain" in text else PLUMBER
    _, intents, admitted = read(profile, text, username="riverain_tours")
    assert {"crisis", "complaint"} & set(intents)
    assert admitted


@pytest.mark.parametrize(
    "text",
    [
        "@plomberiegarnier fuite sous l'évier depuis ce matin, vous pouvez passer à Tours ?",
        "Plomberie Garnier bonjour, vous intervenez pour un dégât des eaux ? Le plafond goutte",
    ],
)
def test_a_call_for_help_naming_the_harm_is_not_a_crisis(text: str) -> None:
    # A plumber's customers name the very harm an incident report names: asking for help is
    # a request, not a crisis.
    _, intents, admitted = read(PLUMBER, text, username="camille_t")
    assert not {"crisis", "complaint"} & set(intents) and admitted


def test_harm_put_down_to_the_business_is_a_crisis_even_in_a_question() -> None:
    text = "Plomberie Garnier, ça sent le gaz chez moi depuis votre passage, une fuite de gaz ?"
    _, intents, _ = read(PLUMBER, text, username="camille_t")
    assert {"crisis", "complaint"} <= set(intents)


@pytest.mark.parametrize(
    "text",
    [
        "Au Pain Doré : commande de 40 € payée, jamais rappelée, gâteau jamais livré. Arnaque.",
        "Plomberie Garnier, devis à 300 et facture à 900 sans prévenir. À fuir.",
    ],
)
def test_dissatisfaction_named_outright_is_a_complaint(text: str) -> None:
    profile = BAKERY if "Pain" in text else PLUMBER
    _, intents, admitted = read(profile, text, username="client_mecontent")
    assert "complaint" in intents and "praise" not in intents and admitted


def test_one_lead_is_listed_once_even_reworded_on_another_network() -> None:
    admission = Admission(PLUMBER)
    analyzer = ANALYZERS[PLUMBER.name]
    asked = (
        "Besoin d'un plombier sur Tours pour changer un chauffe-eau de 200 L, dispo cette semaine"
    )
    texts = [asked + " ?", asked + " svp 🙏 #Tours"]
    first = parse_post(post_json("1", texts[0], username="lea_37"))
    again = parse_post(post_json("2", texts[1], network="bluesky", username="lea37.bsky.social"))
    read_first, read_again = (
        admission.in_context(post, understood)
        for post, understood in zip((first, again), analyzer.analyze(texts), strict=True)
    )
    assert "lead" in read_first.present_intents()
    assert admission.admits(first, read_first)
    assert not admission.admits(again, read_again)
    other_text = (
        "Qui connaît un plombier sérieux à Saint-Cyr-sur-Loire ? La chaudière fait du bruit"
    )
    other = parse_post(post_json("3", other_text, username="marc_37"))
    other_read = admission.in_context(other, analyzer.analyze([other_text])[0])
    assert "lead" in other_read.present_intents()
    assert admission.admits(other, other_read)


FLORIST = BusinessProfile(
    name="Fleurs du Marais",
    handles=["fleursdumarais"],
    trade="fleuriste",
    services=["fleuriste", "bouquet", "composition florale"],
    city="Bordeaux",
    departement="Gironde",
    departement_code="33",
    commune_code="33063",
    radius_km=10,
    area=["Bordeaux", "Mérignac", "Pessac", "Talence", "Villenave-d'Ornon"],
)
ANALYZERS[FLORIST.name] = Analyzer(FLORIST)


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("Un bon fleuriste à Lille ? Pour un anniversaire", False),
        ("Qui peut me conseiller un fleuriste à Arcachon ?", False),
        ("Cherche fleuriste à Villenave-d'Ornon pour un baptême, devis bienvenu", True),
        ("Fleurs du Marais a livré mon bouquet à Lille avec deux jours de retard", True),
        ("Vous livrez jusqu'à Mérignac ? J'aimerais une composition pour samedi", True),
    ],
)
def test_a_conversation_in_another_town_is_not_the_florists_to_answer(
    text: str, listed: bool
) -> None:
    _post, _intents, admitted = read(FLORIST, text)
    assert admitted is listed
