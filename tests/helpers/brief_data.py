"""Peintures Martin's day for the brief tests: questions, praise, a lead, a rival, news."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from tests.factories import post_json
from veille.business import BusinessProfile, Competitor
from veille.posts import parse_post
from veille.store import counts, repository

ZONE = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 17, 15, 0, tzinfo=UTC)
HOSTILE = '<script>alert("x")</script> avis'


def add_post(
    session: Session,
    key: str,
    text: str,
    *,
    watch: int | None,
    ago: timedelta = timedelta(hours=2),
    sentiment: str | None = None,
    intents: tuple[str, ...] = (),
    network: str = "x",
    likes: int = 2,
) -> int:
    data = post_json(
        key, text, network=network, username=f"u{key}", created_at=(NOW - ago).isoformat()
    )
    data["metrics"]["likes"] = likes
    (post_id,) = repository.insert_posts(session, [parse_post(data)]).values()
    if watch is not None:
        repository.insert_matches(session, [{"post_id": post_id, "watch_id": watch}])
    rows = []
    if sentiment:
        rows.append({"post_id": post_id, "kind": "sentiment", "label": sentiment, "score": 0.9})
    if intents:
        present = {"present": list(intents)}
        rows.append({"post_id": post_id, "kind": "intents", "label": intents[0], "data": present})
    repository.insert_enrichments(session, rows)
    counts.rebuild(session)  # what the pipeline keeps up to date
    return post_id


def seed_business(session: Session) -> None:
    """Peintures Martin, a competitor, sector news with copies, questions, praise and leads."""
    repository.save_profile(
        session,
        BusinessProfile(name="Peintures Martin", competitors=[Competitor(name="Dupont")]),
    )

    def watch(name: str, kind: str) -> int:
        return repository.upsert_watch(
            session, name=name, kind=kind, description="", rules=[name.lower()]
        ).id

    brand, rival, sector = (
        watch("Ma marque", "brand"),
        watch("Dupont", "competitor"),
        watch("Secteur peinture", "sector"),
    )
    for i in range(6):
        add_post(
            session,
            f"q{i}",
            f"Question {i} : vous faites les volets ?",
            watch=brand,
            sentiment="neutral",
            intents=("question",),
        )
        repository.insert_inbox_items(
            session, [{"post_id": i + 1, "priority": 10.0 - i, "reason": "question"}]
        )
    add_post(
        session,
        "merci",
        "Merci pour la façade, superbe travail",
        watch=brand,
        sentiment="positive",
        intents=("praise",),
        likes=40,
    )
    add_post(
        session, "lead", "Qui connaît un bon peintre à Angers ?", watch=brand, intents=("lead",)
    )
    add_post(
        session, "bad", HOSTILE, watch=brand, sentiment="negative", ago=timedelta(days=1), likes=30
    )
    for i in range(3):
        add_post(session, f"d{i}", f"Dupont Peinture chantier {i}", watch=rival)
    story = "La Fédération du bâtiment annonce une hausse de 8 % du prix des peintures en 2026"
    for i in range(3):  # one story, three copies
        add_post(session, f"n{i}", f"{story} selon les distributeurs", watch=sector, network="news")
    add_post(
        session,
        "other",
        "Nouveau salon de la rénovation à Angers ce week-end",
        watch=None,
        network="news",
    )
