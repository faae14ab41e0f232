"""Ingest through worker processes stores what one process stores: the same rows, rejections
with the same line numbers, the same counts per hour, and a replay stores nothing (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from tests.factories import post_json
from tests.helpers.hostile_lines import HOSTILE
from veille.demo.business import save_demo_business
from veille.demo.generator import generate_demo, write_demo
from veille.ingest import IngestSummary
from veille.ingest_pool import ingest_lines
from veille.runtime import build_pipeline
from veille.store import counts, tables
from veille.store.db import Database
from veille.workspaces import create

PG_URL = os.environ.get("VEILLE_TEST_DATABASE_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A function giving an empty database with the demo business, the same one each call
    (emptied again)."""
    url = f"sqlite:///{tmp_path / 'veille.db'}"
    if request.param == "postgresql":
        if not PG_URL.startswith("postgresql"):
            pytest.skip("VEILLE_TEST_DATABASE_URL names no PostgreSQL database")
        url = PG_URL
    opened: list[Database] = []

    def make() -> Database:
        for db in opened:
            db.engine.dispose()
        db = Database(url)
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        if db.engine.dialect.name == "sqlite":
            db.engine.dispose()
            Path(tmp_path / "veille.db").unlink(missing_ok=True)
            db = Database(url)
        db.migrate()
        with db.session() as session:
            save_demo_business(session)
        opened.append(db)
        return db

    yield make
    for db in opened:
        db.engine.dispose()


def _stream(tmp_path: Path) -> Path:
    """The demo's two days (some posts matched, leads and complaints among them) with every
    hostile line, blank lines, a post given twice and an edited post mixed in."""
    posts_path, _ = write_demo(generate_demo(seed=5, days=2), tmp_path / "demo")
    lines = posts_path.read_bytes().splitlines()
    mixed: list[bytes] = []
    for i, line in enumerate(lines):
        mixed.append(line)
        if i % 30 == 0 and i // 30 < len(HOSTILE):
            mixed.append(HOSTILE[i // 30][0])
        if i % 97 == 0:
            mixed.append(b"   ")
    mixed.append(lines[3])  # the same post again
    edited = json.loads(lines[5]) | {"text": "Texte corrigé", "edited": True}
    mixed.append(json.dumps(edited).encode())
    mixed.append(json.dumps(post_json("tard", "Un dernier post, sur Angers")).encode())
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\n".join(mixed) + b"\n")
    return path


def _ingest(db: Database, path: Path, workers: int) -> IngestSummary:
    with path.open("rb") as handle:
        return ingest_lines(build_pipeline(db), handle, workers=workers, batch_size=40)


def _snapshot(db: Database) -> dict[str, Any]:
    """Everything the ingest stored, by post key (row ids differ between runs)."""
    post, author = tables.Post, tables.Author
    with db.session() as session:
        keys = {
            row.id: (row.network, row.network_post_id)
            for row in session.execute(select(post.id, post.network, post.network_post_id))
        }
        posts = sorted(
            (keys[row[0]], tuple(row[1:]))
            for row in session.execute(
                select(
                    post.id,
                    post.created_at,
                    post.text,
                    post.search_text,
                    post.lang,
                    post.conversation_id,
                    post.likes,
                    post.payload,
                    author.network_author_id,
                    author.username,
                    author.followers_count,
                ).join(author, author.id == post.author_id)
            )
        )
        # Scores to 4 places: the embedding model's last digits depend on the batch's size.
        enrichments = sorted(
            (keys[r.post_id], r.kind, r.label, _rounded(r.score), _rounded(r.data), r.model)
            for r in session.scalars(select(tables.Enrichment))
        )
        matches = sorted(
            (keys[r.post_id], r.watch_id, r.rule_id) for r in session.scalars(select(tables.Match))
        )
        inbox = sorted(
            (keys[r.post_id], r.priority, r.reason)
            for r in session.scalars(select(tables.InboxItem))
        )
        stored_counts = counts.stored(session)
        assert stored_counts == counts.from_posts(session)
    return {
        "posts": [(k, repr(v)) for k, v in posts],
        "enrichments": enrichments,
        "matches": matches,
        "inbox": inbox,
        "counts": stored_counts,
    }


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return repr(sorted((k, _rounded(v)) for k, v in value.items()))
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def test_workers_store_what_one_process_stores(fresh_db: Any, tmp_path: Path) -> None:
    path = _stream(tmp_path)
    alone = _ingest(db := fresh_db(), path, workers=0)
    expected = _snapshot(db)
    pooled = _ingest(db := fresh_db(), path, workers=2)
    assert _snapshot(db) == expected
    assert pooled.as_dict() == alone.as_dict()
    assert pooled.edited == alone.edited == 1
    assert alone.matched > 10 and expected["inbox"]  # the deep stages ran on both paths
    assert sorted(map(str, pooled.rejected)) == sorted(map(str, alone.rejected))
    assert len(pooled.rejected) == len(HOSTILE)
    numbers = [int(str(r.where).removeprefix("line ")) for r in pooled.rejected]
    lines = path.read_bytes().removeprefix(b"\xef\xbb\xbf").split(b"\n")
    assert [lines[n - 1] for n in numbers] == [bad for bad, _ in HOSTILE]

    # A replay: every post already stored (workers skip the models for them), the edit
    # applied again, as in one process.
    replay = _ingest(db, path, workers=2)
    assert (replay.new, replay.duplicate) == (0, alone.new + alone.duplicate)
    assert _snapshot(db) == expected
    again = _ingest(db, path, workers=0)
    assert replay.as_dict() == again.as_dict()
    assert replay.edited == again.edited == 1
    assert sorted(map(str, replay.rejected)) == sorted(map(str, again.rejected))


def test_a_small_file_stays_in_one_process(fresh_db: Any, tmp_path: Path) -> None:
    path = tmp_path / "small.jsonl"
    path.write_text(json.dumps(post_json("1", "Bonjour Angers")) + "\n", encoding="utf-8")
    pipeline = build_pipeline(fresh_db())
    with path.open("rb") as handle:
        summary = ingest_lines(pipeline, handle)  # workers: one per core for large inputs
    assert summary.new == 1
    assert "wait" not in pipeline.stage_seconds  # no worker was waited for


def test_a_file_stored_already_is_heard_by_the_next_workspace_through_the_workers(
    fresh_db: Any,
) -> None:
    """The same posts ingested by a second workspace: the workers find them stored, store
    nothing again, and the second workspace hears every one of them (as in one process)."""
    db = fresh_db()
    with db.session(workspace_id=None) as session:
        other = create(session, slug="fleurs").id
    lines = [json.dumps(post_json(str(i), f"Message numéro {i}")) for i in range(30)]
    first = ingest_lines(build_pipeline(db), lines, workers=2, batch_size=10)
    assert first.new == 30
    pooled = Database(db.engine.url.render_as_string(hide_password=False), workspace_id=other)
    try:
        again = ingest_lines(build_pipeline(pooled), lines, workers=2, batch_size=10)
    finally:
        pooled.engine.dispose()
    assert again.new == 0 and again.duplicate == 30
    with db.session(workspace_id=None) as session:
        heard = session.execute(select(tables.Heard.workspace_id, tables.Heard.post_id)).all()
    by_workspace: dict[int, int] = {}
    for workspace, _ in heard:
        by_workspace[workspace] = by_workspace.get(workspace, 0) + 1
    assert by_workspace == {1: 30, other: 30}
