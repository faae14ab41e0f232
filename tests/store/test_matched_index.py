"""SQLite's search index of matched posts holds exactly the matched posts, with their current
text: after ingest, an edit, deleted posts, a watch matched anew and a new match."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text

from veille.demo.business import save_demo_business
from veille.demo.generator import generate_demo, write_demo
from veille.ingest import ingest_posts, parse_post_lines
from veille.posts import parse_post
from veille.runtime import build_pipeline
from veille.sources.revisions import apply_edits, delete_posts
from veille.store import queries, tables
from veille.store.db import Database
from veille.watches import rematch_watch


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'veille.db'}")
    db.migrate()
    with db.session() as session:
        save_demo_business(session)
    posts_path, _ = write_demo(generate_demo(seed=4, days=2), tmp_path / "demo")
    with posts_path.open(encoding="utf-8") as handle:
        ingest_posts(build_pipeline(db), parse_post_lines(handle))
    yield db
    db.engine.dispose()


def _index_is_the_matched_posts(db: Database) -> int:
    with db.engine.begin() as conn:
        indexed = conn.execute(text("SELECT rowid, search_text FROM matched_fts")).all()
        matched = conn.execute(
            text("SELECT id, search_text FROM posts WHERE id IN (SELECT post_id FROM matches)")
        ).all()
        conn.execute(text("INSERT INTO matched_fts(matched_fts) VALUES ('integrity-check')"))
    assert sorted(indexed) == sorted(matched)
    return len(indexed)


def test_the_index_of_matched_posts_follows_every_change(filled: Database) -> None:
    assert _index_is_the_matched_posts(filled) > 20
    with filled.session() as session:
        post_id = session.scalar(
            select(tables.Post.id)
            .where(tables.Post.id.in_(select(tables.Match.post_id)))
            .order_by(tables.Post.id)
        )
        stored = session.scalar(select(tables.Post.payload).where(tables.Post.id == post_id))
        assert stored is not None
        edited = parse_post(stored | {"text": "Zyxwv remplacé"})
        assert apply_edits(session, [edited]) == 1
    _index_is_the_matched_posts(filled)
    with filled.session() as session:  # the edited text is found among matched posts
        views, total = queries.list_posts(session, queries.PostFilter(query="zyxwv"))
        assert ([v.id for v in views], total) == ([post_id], 1)

    with filled.session() as session:
        gone = session.execute(
            select(tables.Post.network, tables.Post.network_post_id)
            .where(tables.Post.id.in_(select(tables.Match.post_id)))
            .order_by(tables.Post.id.desc())
            .limit(3)
        ).all()
        assert delete_posts(session, [(n, k) for n, k in gone]) == 3
    _index_is_the_matched_posts(filled)

    with filled.session() as session:
        watch_id = session.scalar(select(tables.Match.watch_id).limit(1))
        assert watch_id is not None
        rules = [
            (r.id, r.query)
            for r in session.scalars(
                select(tables.WatchRule).where(tables.WatchRule.watch_id == watch_id)
            )
        ]
        rematch_watch(session, watch_id, [], max_length=512)  # no rule: no match left
    left = _index_is_the_matched_posts(filled)
    with filled.session() as session:
        rematch_watch(session, watch_id, rules, max_length=512)
    assert _index_is_the_matched_posts(filled) > left

    with filled.session() as session:  # a post matched later (by a second watch, say)
        unmatched = session.scalar(
            select(tables.Post.id).where(tables.Post.id.not_in(select(tables.Match.post_id)))
        )
        session.execute(insert(tables.Match).values(post_id=unmatched, watch_id=watch_id))
    _index_is_the_matched_posts(filled)
