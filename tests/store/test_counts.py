"""The counts per hour that pages read equal what the stored posts say: after ingest, a replay,
deleted posts, a watch matched anew, and `veille counts rebuild` (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import delete, func, select, text, update
from typer.testing import CliRunner

from tests.factories import post_json
from veille.cli import app
from veille.config import get_settings
from veille.demo.business import save_demo_business
from veille.demo.generator import generate_demo, write_demo
from veille.ingest import ingest_posts, parse_post_lines
from veille.posts import parse_post
from veille.runtime import build_pipeline
from veille.sources.revisions import delete_posts
from veille.store import counts, queries, repository, tables
from veille.store.db import Database, alembic_config
from veille.watches import save_watch
from veille.workspaces import create

PG_URL = os.environ.get("VEILLE_TEST_DATABASE_URL", "")
ZONE = ZoneInfo("Europe/Paris")
# Wider than the demo's days, on UTC hours (the counts answer) or a second past (posts answer).
SINCE = datetime(2000, 1, 1, tzinfo=UTC)
UNTIL = datetime(2100, 1, 1, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def stream(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Database, Path]]:
    """A database with the demo business and its watches, and two days of its stream."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'veille.db'}")
    else:
        if not PG_URL.startswith("postgresql"):
            pytest.skip("VEILLE_TEST_DATABASE_URL names no PostgreSQL database")
        db = Database(PG_URL)
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    db.migrate()
    with db.session() as session:
        save_demo_business(session)
    posts_path, _ = write_demo(generate_demo(seed=5, days=2), tmp_path / "demo")
    yield db, posts_path
    db.engine.dispose()


def _ingest(db: Database, path: Path) -> None:
    with path.open(encoding="utf-8") as handle:
        ingest_posts(build_pipeline(db), parse_post_lines(handle))


def _same_as_posts(db: Database) -> Counter[counts.Key]:
    """The stored counts equal the recount from posts, and the pages' figures read through the
    counts equal the same figures read from posts; returns the counts."""
    with db.session() as session:
        kept = counts.stored(session)
        assert kept == counts.from_posts(session)
        late = SINCE + timedelta(seconds=1)  # not on an hour: the figures come from posts
        from_counts = queries.matched_by_hour(session, since=SINCE, until=UNTIL, zone=ZONE)
        from_posts = queries.matched_by_hour(session, since=late, until=UNTIL, zone=ZONE)
        assert _per_label(from_counts) == _per_label(from_posts)
        by_watch = queries.per_watch(session, since=SINCE, until=UNTIL)
        assert by_watch == queries.per_watch(session, since=late, until=UNTIL)
        # A period that ends now: whole hours from the counts, the unfinished one from posts.
        now = UNTIL - timedelta(minutes=17)
        split = queries.matched_by_hour(session, since=SINCE, until=now, zone=ZONE)
        walked = queries.matched_by_hour(session, since=late, until=now, zone=ZONE)
        assert _per_label(split) == _per_label(walked)
        assert queries.per_watch(session, since=SINCE, until=now) == queries.per_watch(
            session, since=late, until=now
        )
        for intent, label in (("lead", None), ("complaint", "negative"), (None, "positive")):
            flt = queries.PostFilter(intent=intent, sentiment=label, since=late, until=UNTIL)
            assert (
                counts.matched(session, since=SINCE, until=UNTIL, intent=intent, sentiment=label)
                == queries.list_posts(session, flt, limit=1)[1]
            )
        first_watch = min(w for (_, _, w, _, _) in kept if w) if kept else 1
        for shown in (
            {},
            {"sentiment": "negative"},
            {"intent": "lead"},
            {"watch_id": first_watch},
            {"watch_id": first_watch, "sentiment": "neutral", "intent": "question"},
        ):
            read: Any = dict(shown)
            total = queries.list_posts(session, queries.PostFilter(**read), limit=1)[1]
            assert (
                total
                == queries.list_posts(session, queries.PostFilter(since=late, **read), limit=1)[1]
            ), shown
    return kept


def _per_label(rows: list[tuple[datetime, str | None, int]]) -> Counter[str | None]:
    found: Counter[str | None] = Counter()
    for _, label, n in rows:
        found[label] += n
    return found


def test_counts_follow_ingest_deletions_rematches_and_rebuild(
    stream: tuple[Database, Path],
) -> None:
    db, posts_path = stream
    _ingest(db, posts_path)
    first = _same_as_posts(db)
    matched_total = sum(n for (_, _, w, _, i), n in first.items() if w == 0 and i == "")
    with db.session() as session:
        stored_matched = session.scalar(select(func.count(func.distinct(tables.Match.post_id))))
    assert matched_total == stored_matched and matched_total > 20
    assert any(i == "lead" for (_, _, _, _, i) in first), "the demo has leads"

    _ingest(db, posts_path)  # a replay stores nothing and counts nothing twice
    assert _same_as_posts(db) == first

    with db.session() as session:  # a network says three matched posts were deleted
        gone = session.execute(
            select(tables.Post.network, tables.Post.network_post_id)
            .where(tables.Post.id.in_(select(tables.Match.post_id)))
            .limit(3)
        ).all()
        assert delete_posts(session, [(n, p) for n, p in gone]) == 3
    after_delete = _same_as_posts(db)
    assert sum(after_delete.values()) < sum(first.values())

    with db.session() as session:  # a watch edited: its posts matched anew
        watch = session.scalars(select(tables.Watch).order_by(tables.Watch.id)).first()
        assert watch is not None
        save_watch(
            session,
            watch_id=watch.id,
            name=watch.name,
            kind=watch.kind,
            description=watch.description,
            rules=["peinture"],
            max_length=512,
        )
    assert _same_as_posts(db) != after_delete


def test_counts_rebuild_command_restores_the_counts(
    stream: tuple[Database, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, posts_path = stream
    _ingest(db, posts_path)
    right = _same_as_posts(db)
    with db.session() as session:  # counts lost or wrong (a restore from an older backup)
        session.execute(delete(tables.PostCount).where(tables.PostCount.watch_id == 0))
        session.execute(update(tables.PostCount).values(posts=tables.PostCount.posts + 7))
        assert counts.stored(session) != right
    monkeypatch.setenv("VEILLE_DATABASE_URL", str(db.engine.url.render_as_string(False)))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["counts", "rebuild"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert '"rows"' in result.output
    assert _same_as_posts(db) == right


def test_counts_rebuild_command_restores_every_workspaces_counts(
    stream: tuple[Database, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, posts_path = stream
    _ingest(db, posts_path)
    with db.session(workspace_id=None) as session:
        other = create(session, slug="fleurs").id
    with db.session(workspace_id=other) as session:
        watch = repository.upsert_watch(
            session, name="Tout", kind="brand", description="", rules=["angers"]
        )
        posts = session.scalars(select(tables.Post.id).limit(40)).all()
        repository.insert_matches(session, [{"post_id": p, "watch_id": watch.id} for p in posts])
    with db.session(workspace_id=None) as session:
        right = counts.from_posts(session)
        assert {key[0] for key in right} == {1, other}
        session.execute(update(tables.PostCount).values(posts=tables.PostCount.posts + 7))
        assert counts.stored(session) != right
    monkeypatch.setenv("VEILLE_DATABASE_URL", str(db.engine.url.render_as_string(False)))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["counts", "rebuild"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    with db.session(workspace_id=None) as session:
        assert counts.stored(session) == right


def test_the_migration_counts_the_posts_already_stored(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'veille.db'}")
    # Before workspaces, which give the counts their final key and count what is stored.
    command.upgrade(alembic_config(db.engine), "threads_0001")
    with db.session(workspace_id=None) as session:
        watch_id = session.execute(
            text(
                "INSERT INTO watches (name, kind, description, active, created_at) "
                "VALUES ('Ma marque', 'brand', '', 1, '2026-03-01 00:00:00') RETURNING id"
            )
        ).scalar_one()
        ids = repository.insert_posts(
            session,
            [
                parse_post(post_json(str(n), f"peinture {n}", created_at=f"2026-03-0{n}T09:30:00Z"))
                for n in range(1, 4)
            ],
        )
        repository.insert_matches(
            session, [{"post_id": i, "watch_id": watch_id, "rule_id": None} for i in ids.values()]
        )
        repository.insert_enrichments(
            session,
            [
                {"post_id": i, "kind": "sentiment", "label": "positive", "score": 0.9}
                for i in ids.values()
            ]
            + [
                {"post_id": i, "kind": "intents", "label": "lead", "data": {"present": ["lead"]}}
                for i in ids.values()
            ],
        )
    db.migrate()
    with db.session() as session:
        kept = counts.stored(session)
        assert kept == counts.from_posts(session)
        assert counts.matched(session, intent="lead") == 3
        assert counts.matched(session, watch_id=watch_id, sentiment="positive") == 3
    db.engine.dispose()
