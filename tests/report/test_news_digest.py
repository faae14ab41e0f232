"""The brief's sector and local news: news a sector word caught, never a customer's request,
a review or a job offer that the same word caught (a florist in Bordeaux, texts written here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.factories import post_json
from veille.business import BusinessProfile
from veille.ingest import ingest_posts
from veille.posts import parse_post
from veille.report.brief import news_digest
from veille.runtime import build_pipeline
from veille.store import queries, repository
from veille.store.db import Database

FLORIST = BusinessProfile(
    name="Fleurs du Marais",
    handles=["fleursdumarais"],
    trade="fleuriste",
    services=["fleuriste", "bouquet"],
    city="Bordeaux",
    departement="Gironde",
    departement_code="33",
    area=["Bordeaux", "Mérignac"],
)
NEWS = "Les fleuristes bordelais face à la hausse du prix des roses importées cet hiver"
CONVERSATIONS = [
    "Quelqu'un connaît un bon fleuriste à Mérignac pour un mariage ?",
    "Fleuriste du marché des Capucins : bouquet fané en deux jours, très déçue",
    "Nous recrutons un fleuriste en CDI à Bordeaux, envoyez votre CV #emploi",
]


def test_the_news_digest_keeps_news_and_leaves_conversations_to_the_inbox(db: Database) -> None:
    with db.session() as session:
        repository.save_profile(session, FLORIST)
        repository.upsert_watch(
            session, name="Secteur : fleuriste", kind="sector", description="", rules=["fleuriste*"]
        )
    now = datetime.now(UTC)
    texts = [NEWS, *CONVERSATIONS]
    posts = [
        parse_post(post_json(str(i), text, created_at=(now - timedelta(hours=i + 1)).isoformat()))
        for i, text in enumerate(texts)
    ]
    ingest_posts(build_pipeline(db), list(enumerate(posts, 1)))
    with db.session() as session:
        digest = news_digest(
            session, since=now - timedelta(days=1), watches=queries.watches(session)
        )
    assert [item.post.text for item in digest] == [NEWS]
