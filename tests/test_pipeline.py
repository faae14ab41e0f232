"""The pipeline on real models and the real matcher: what gets matched, enriched and queued."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import post_json
from veille.demo.business import DEMO_BUSINESS
from veille.inbox.queue import load_views
from veille.posts import parse_post
from veille.runtime import build_pipeline
from veille.store import repository, tables
from veille.store.db import Database


def _setup(db: Database) -> None:
    with db.session() as session:
        repository.save_profile(session, DEMO_BUSINESS)
        repository.upsert_watch(
            session,
            name="Ma marque",
            kind="brand",
            description="",
            rules=['"peintures martin" OR @peinturesmartin'],
        )
        repository.upsert_watch(
            session,
            name="Pistes",
            kind="leads",
            description="",
            rules=["peintre (angers OR trélazé) -is:retweet"],
        )


def _by_id(db: Database) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    with db.session() as session:
        posts = {p.id: p.network_post_id for p in session.scalars(select(tables.Post))}
        for key in posts.values():
            out[key] = {"watches": set(), "kinds": {}, "inbox": None}
        for m, w in session.execute(
            select(tables.Match.post_id, tables.Watch.name).join(tables.Watch)
        ):
            out[posts[m]]["watches"].add(w)  # type: ignore[union-attr]
        for e in session.scalars(select(tables.Enrichment)):
            out[posts[e.post_id]]["kinds"][e.kind] = e  # type: ignore[index]
        for item in session.scalars(select(tables.InboxItem)):
            out[posts[item.post_id]]["inbox"] = item
    return out


def test_matched_posts_are_understood_and_queued(db: Database) -> None:
    _setup(db)
    pipeline = build_pipeline(db)
    complaint = "@peinturesmartin trois semaines de retard et toujours pas de devis, c'est nul 😡"
    posts = [
        parse_post(post_json("1", complaint, username="marc_49")),
        parse_post(post_json("2", "Quelqu'un connaît un bon peintre sur Angers ? Merci 🙏")),
        parse_post(post_json("3", "Le SCO a gagné hier soir, quelle ambiance !")),
        parse_post(post_json("4", complaint.replace("marc", "x"), username="copie_49")),
    ]
    result = pipeline.process(posts)
    assert (result.new, result.matched, result.duplicate) == (4, 3, 0)
    seen = _by_id(db)
    assert seen["1"]["watches"] == {"Ma marque"} and seen["2"]["watches"] == {"Pistes"}
    assert seen["3"]["watches"] == set()
    # Every post gets a sentiment; only matched ones get the deep models.
    assert set(seen["3"]["kinds"]) == {"sentiment"}  # type: ignore[arg-type]
    assert {"sentiment", "intents", "entities"} <= set(seen["1"]["kinds"])  # type: ignore[arg-type]
    assert seen["1"]["kinds"]["sentiment"].label == "negative"  # type: ignore[index]
    item = seen["1"]["inbox"]
    assert item is not None and "nous est adressé" in item.reason  # type: ignore[attr-defined]
    # The copy is grouped with the first complaint and does not inflate the inbox.
    assert "duplicate" in seen["4"]["kinds"]  # type: ignore[operator]
    assert seen["4"]["inbox"] is None


def test_processing_again_stores_nothing_twice(db: Database) -> None:
    _setup(db)
    pipeline = build_pipeline(db)
    batch = [parse_post(post_json(str(i), f"Peintures Martin, chantier n°{i}")) for i in range(5)]
    pipeline.process(batch)
    again = pipeline.process(batch + batch)
    assert (again.new, again.duplicate) == (0, 10)
    with db.session() as session:
        assert len(session.scalars(select(tables.Post)).all()) == 5


def test_a_broken_stored_rule_is_left_out_not_fatal(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    _setup(db)
    with db.session() as session:
        repository.upsert_watch(
            session, name="Cassée", kind="other", description="", rules=["(peintre angers"]
        )
    result = build_pipeline(db).process(
        [parse_post(post_json("1", "Merci Peintures Martin pour le salon !"))]
    )
    assert (result.new, result.matched) == (1, 1)
    assert "left out" in caplog.text


def test_the_stored_priority_is_the_inbox_score_at_arrival(db: Database) -> None:
    _setup(db)
    pipeline = build_pipeline(db)
    complaint = "@peinturesmartin trois semaines de retard et toujours pas de devis, c'est nul 😡"
    lead = "Quelqu'un connaît un bon peintre sur Angers ? Merci 🙏"
    post = parse_post(post_json("1", complaint, username="marc_49"))
    pipeline.process([post, parse_post(post_json("2", lead))])
    with db.session() as session:
        items = {i.post_id: i for i in session.scalars(select(tables.InboxItem))}
        views = load_views(session, zone="Europe/Paris", now=post.created_at)
    assert len(views) == 2
    for view in views:  # one formula: what the pipeline stored is what the inbox computes
        assert items[view.item.post_id].priority == view.triage.score > 0
        assert items[view.item.post_id].reason == view.triage.explanation
