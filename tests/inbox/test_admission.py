"""What reaches the inbox, read for the business: news is not a crisis unless it concerns the
business, spam never comes in, the business's own posts are never complaints against it,
incident reports read as crisis and complaint, and a lead is listed once."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import post_json
from veille.demo.business import DEMO_BUSINESS
from veille.inbox.admission import Admission, handle_key
from veille.posts import Post, parse_post
from veille.runtime import build_pipeline
from veille.store import repository, tables
from veille.store.db import Database
from veille.understand import Analyzer

ANALYZER = Analyzer(DEMO_BUSINESS)


def read(text: str, **extra: object) -> tuple[Post, list[str]]:
    """The post and its intents as the pipeline stores them."""
    post = parse_post(post_json("1", text, **extra))
    understood = ANALYZER.analyze([text], tier="accurate")[0]
    return post, Admission(DEMO_BUSINESS).in_context(post, understood).present_intents()


def test_handles_are_the_same_account_on_every_network() -> None:
    keys = {handle_key(h) for h in ("@PeinturesMartin", "peinturesmartin.bsky.social")}
    assert keys == {handle_key("peinturesmartin@mastodon.social")} == {"peinturesmartin"}


def test_sector_news_that_does_not_name_the_business_is_not_a_crisis() -> None:
    text = "Fraude à la rénovation énergétique : de faux artisans démarchent en Anjou"
    _, intents = read(text, username="bati_hebdo")
    assert "crisis" not in intents


def test_an_incident_report_about_the_business_reads_as_crisis_and_complaint() -> None:
    text = (
        "RT @sophie_lrt: les peintres de @peinturesmartin ont poncé la façade de l'immeuble "
        "SANS bâche ni aspiration"
    )
    _, intents = read(text, username="voisin_49", mentions=["sophie_lrt", "peinturesmartin"])
    assert {"crisis", "complaint"} <= set(intents)


def test_the_business_apology_is_never_a_complaint_against_itself() -> None:
    text = (
        "Nous avons vu vos messages sur notre chantier rue Bressigny. Le ponçage est arrêté, "
        "un diagnostic plomb est demandé. Nous sommes désolés."
    )
    post, intents = read(text, network="bluesky", username="peinturesmartin.bsky.social")
    assert not {"crisis", "complaint"} & set(intents)
    understood = ANALYZER.analyze([text])[0]
    assert not Admission(DEMO_BUSINESS).admits(post, understood)


def test_praise_with_an_eye_roll_is_not_praise() -> None:
    text = "La peinture de la véranda s'écaille déjà après 4 mois. Merci Atelier Dupuis 🙄"
    _, intents = read(text, username="nathan_d")
    assert "praise" not in intents and "complaint" in intents


def test_spam_and_follower_selling_are_never_admitted() -> None:
    admission = Admission(DEMO_BUSINESS)
    text = "@peinturesmartin boostez votre visibilité : +5000 abonnés en 48h 🚀 https://t.co/x"
    post = parse_post(post_json("9", text, username="facade_express49"))
    understood = admission.in_context(post, ANALYZER.analyze([text])[0])
    assert understood.present_intents() in ([], ["other"])
    assert not admission.admits(post, understood)


def test_a_lead_is_admitted_once_whatever_the_network_or_spelling() -> None:
    admission = Admission(DEMO_BUSINESS)
    text = "Quelqu'un connaît un bon peintre sur Trélazé ? 🙏 C'est pour toute la maison"
    first = parse_post(post_json("1", text, username="julie_b"))
    again = parse_post(
        post_json("2", text + " !!", network="bluesky", username="julieb.bsky.social")
    )
    understood = ANALYZER.analyze([text])[0]
    assert "lead" in understood.present_intents()
    assert admission.admits(first, understood)
    assert not admission.admits(again, understood)
    other = "Je cherche un peintre pour ma cuisine à Avrillé, des recommandations ?"
    third = parse_post(post_json("3", other, username="marc_r"))
    assert admission.admits(third, ANALYZER.analyze([other])[0])


def test_the_pipeline_keeps_news_spam_and_own_posts_out_of_the_inbox(db: Database) -> None:
    with db.session() as session:
        repository.save_profile(session, DEMO_BUSINESS)
        repository.upsert_watch(
            session,
            name="Marque et secteur",
            kind="brand",
            description="",
            rules=['"peintures martin" OR @peinturesmartin OR rénovation OR chantier'],
        )
    posts = [
        post_json(
            "1",
            "Rénovation énergétique : la CAPEB alerte sur la baisse des chantiers",
            username="bati_hebdo",
        ),
        post_json(
            "2",
            "@peinturesmartin boostez votre visibilité : +5000 abonnés en 48h 🚀",
            username="facade_express49",
            mentions=["peinturesmartin"],
        ),
        post_json(
            "3",
            "Chantier rue Bressigny : nous sommes désolés, le ponçage est arrêté.",
            network="bluesky",
            username="peinturesmartin.bsky.social",
        ),
        post_json(
            "4",
            "les peintres de @peinturesmartin ont poncé la façade SANS bâche !",
            username="sophie_lrt",
            mentions=["peinturesmartin"],
        ),
    ]
    build_pipeline(db).process([parse_post(p) for p in posts])
    with db.session() as session:
        listed = {
            post_id: reason
            for post_id, reason in session.execute(
                select(tables.Post.network_post_id, tables.InboxItem.reason).join(
                    tables.InboxItem, tables.InboxItem.post_id == tables.Post.id
                )
            )
        }
    assert set(listed) == {"4"}
    assert "crise" in listed["4"]
