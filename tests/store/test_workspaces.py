"""Workspaces in the store: a post heard once is stored once and matched, counted and put in
the inbox of every workspace whose watches match it; a session bound to a workspace reads,
changes and deletes only that workspace's rows (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from typer.testing import CliRunner

from tests.factories import post_json
from veille.business import BusinessProfile
from veille.cli import app
from veille.config import get_settings
from veille.posts import parse_post
from veille.runtime import build_pipeline
from veille.store import counts, queries, repository, scope, tables
from veille.store.db import Database
from veille.workspaces import create

PG_URL = os.environ.get("VEILLE_TEST_DATABASE_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def two(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Database, int, int]]:
    """Two businesses watching the same words: the default one, and "fleurs"."""
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
    with db.session(workspace_id=None) as session:
        other = create(session, slug="fleurs", name="Fleurs du Marais").id
    for workspace, name, handle in ((1, "Peintures Martin", "martin"), (other, "Fleurs", "fleurs")):
        with db.session(workspace_id=workspace) as session:
            repository.save_profile(
                session,
                BusinessProfile(name=name, trade="peintre", city="Angers", handles=[handle]),
            )
            repository.upsert_watch(
                session, name="Ma marque", kind="brand", description="", rules=["angers"]
            )
    yield db, 1, other
    db.engine.dispose()


def _ingest(db: Database, posts: list[str], heard_by: int) -> None:
    pipeline = build_pipeline(db)
    pipeline.process([parse_post(p) for p in posts], heard_by=heard_by)


def test_a_post_is_stored_once_and_matched_for_each_workspace(
    two: tuple[Database, int, int],
) -> None:
    db, first, other = two
    question = post_json("1", "@martin @fleurs vous ouvrez samedi à Angers ?", mentions=["martin"])
    _ingest(db, [question, post_json("2", "Rien à voir, il pleut à Nantes")], heard_by=first)
    with db.session(workspace_id=None) as session:
        assert session.scalar(select(func.count()).select_from(tables.Post)) == 2
        assert session.scalar(select(func.count()).select_from(tables.Match)) == 2
        items = session.execute(select(tables.InboxItem.workspace_id, tables.InboxItem.post_id))
        assert sorted(w for w, _ in items) == [first, other]
    for workspace in (first, other):
        with db.session(workspace_id=workspace) as session:
            [watch] = session.scalars(select(tables.Watch)).all()
            assert watch.workspace_id == workspace
            assert counts.matched(session) == 1
            assert counts.matched(session, watch_id=watch.id) == 1
            assert counts.stored(session) == counts.from_posts(session)
            assert session.scalar(select(func.count()).select_from(tables.InboxItem)) == 1
    # The same post heard again by the other workspace: still one row, now heard by both.
    _ingest(db, [post_json("2", "Rien à voir, il pleut à Nantes")], heard_by=other)
    with db.session(workspace_id=None) as session:
        assert session.scalar(select(func.count()).select_from(tables.Post)) == 2
        assert session.scalar(select(func.count()).select_from(tables.Heard)) == 3


def test_a_bound_session_never_reads_changes_or_deletes_another_workspaces_rows(
    two: tuple[Database, int, int],
) -> None:
    db, first, other = two
    with db.session(workspace_id=other) as session:
        theirs = session.scalar(select(tables.Watch.id))
        assert theirs is not None
    with db.session(workspace_id=first) as session:
        assert session.get(tables.Watch, theirs) is None
        assert queries.watch_id(session, "Ma marque") != theirs
        session.execute(update(tables.Watch).values(description="changed"))
        session.execute(delete(tables.WatchRule))
        joined = session.execute(
            select(tables.WatchRule.id).join(
                tables.Watch, tables.Watch.id == tables.WatchRule.watch_id
            )
        ).all()
        assert joined == []
        assert repository.load_profile(session).name == "Peintures Martin"  # type: ignore[union-attr]
    with db.session(workspace_id=other) as session:
        watch = session.get(tables.Watch, theirs)
        assert watch is not None and watch.description == ""
        assert session.scalar(select(func.count()).select_from(tables.WatchRule)) == 1
        assert repository.load_profile(session).name == "Fleurs"  # type: ignore[union-attr]


def test_a_row_added_outside_any_workspace_is_refused(two: tuple[Database, int, int]) -> None:
    db, _, _ = two
    with pytest.raises(scope.WorkspaceMissing), db.session(workspace_id=None) as session:
        session.add(tables.Watch(name="Sans maître", kind="brand"))
        session.flush()


def test_the_command_line_acts_on_the_workspace_it_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VEILLE_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()

    def veille(*args: str, workspace: str | None = None) -> tuple[int, str]:
        if workspace:
            monkeypatch.setenv("VEILLE_WORKSPACE", workspace)
        else:
            monkeypatch.delenv("VEILLE_WORKSPACE", raising=False)
        get_settings.cache_clear()
        result = runner.invoke(app, list(args))
        return result.exit_code, result.output

    code, said = veille("workspaces", "add", "Pas Bon")
    assert code == 2 and "minuscules, chiffres et tirets" in said
    code, said = veille("workspaces", "add", "fleurs", "--name", "Fleurs du Marais")
    assert code == 0, said
    assert veille("workspaces", "add", "fleurs")[0] == 2
    code, said = veille("users", "add", "iris", "--role", "owner", "--password", "un-long-secret")
    assert code == 0, said
    code, said = veille("workspaces", "join", "fleurs", "iris", "--role", "viewer")
    assert code == 0, said
    code, said = veille("workspaces", "list")
    lines = [line.split() for line in said.splitlines()]
    assert lines == [
        ["default", "1", "membre"],
        ["fleurs", "Fleurs", "du", "Marais", "1", "membre"],
    ]
    db = Database(f"sqlite:///{tmp_path / 'data' / 'veille.db'}")
    with db.session(workspace_id=None) as session:
        roles = dict(
            session.execute(
                select(tables.Workspace.slug, tables.Membership.role).join(
                    tables.Membership, tables.Membership.workspace_id == tables.Workspace.id
                )
            ).all()
        )
    assert roles == {"default": "owner", "fleurs": "viewer"}
    db.engine.dispose()
    with pytest.raises(Exception, match="unknown"):
        get_settings.cache_clear()
        monkeypatch.setenv("VEILLE_WORKSPACE", "nulle-part")
        Database.from_settings(get_settings())
    get_settings.cache_clear()


def test_each_workspace_reads_only_the_posts_it_matched_or_heard(
    two: tuple[Database, int, int],
) -> None:
    """Every read of posts (list, search, export, a post and its thread, by ids, figures) shows
    a workspace the posts its watches matched and those it heard, never the others'."""
    db, first, other = two
    with db.session(workspace_id=first) as session:
        repository.upsert_watch(
            session, name="Peinture", kind="sector", description="", rules=["peinture"]
        )
    heard_by_other = [
        post_json("1", "Un bon peintre à Angers ?"),  # both workspaces' watches match it
        post_json("3", "Il pleut sur Nantes ce matin", conversation_id="3"),  # no watch
    ]
    _ingest(db, heard_by_other, heard_by=other)
    heard_by_first = [
        post_json("2", "La peinture écaille encore, bien dommage"),  # first's watch alone
        post_json("4", "Nantes sous la pluie, rien de neuf"),  # no watch
    ]
    _ingest(db, heard_by_first, heard_by=first)
    with db.session(workspace_id=None) as session:
        ids = dict(session.execute(select(tables.Post.network_post_id, tables.Post.id)).all())
    seen = {first: {"1", "2", "4"}, other: {"1", "3"}}
    matched = {first: {"1", "2"}, other: {"1"}}
    for workspace in (first, other):
        with db.session(workspace_id=workspace) as session:
            everything = queries.PostFilter(matched_only=False)
            listed, total = queries.list_posts(session, everything)
            assert {p.network_post_id for p in listed} == seen[workspace]
            assert total == len(seen[workspace])
            mentions, _ = queries.list_posts(session, queries.PostFilter())
            assert {p.network_post_id for p in mentions} == matched[workspace]
            found = {p.network_post_id for p in queries.search_posts(session, "nantes")}
            assert found == seen[workspace] - {"1", "2"}
            among, _ = queries.list_posts(session, queries.PostFilter(query="peinture"))
            assert {p.network_post_id for p in among} == matched[workspace] - {"1"}
            exported = {row["id"] for row in queries.export_rows(session)}
            assert exported == seen[workspace]
            shown = queries.posts_by_ids(session, list(ids.values()))
            assert {p.network_post_id for p in shown} == seen[workspace]
            for post_id, post in ids.items():
                assert (queries.post_with_thread(session, post) is not None) == (
                    post_id in seen[workspace]
                )
            assert all(set(p.watches) <= {w.name for w in queries.watches(session)} for p in listed)
            top = queries.top_posts(
                session,
                since=datetime(2026, 11, 1, tzinfo=UTC),
                until=datetime(2026, 12, 1, tzinfo=UTC),
            )
            assert {p.network_post_id for p in top} == matched[workspace]
    with db.session(workspace_id=first) as session:
        theirs = queries.watch_id(session, "Peinture")
    with db.session(workspace_id=other) as session:
        assert queries.list_posts(session, queries.PostFilter(watch_id=theirs)) == ([], 0)
        assert queries.list_posts(
            session, queries.PostFilter(watch_id=theirs, query="peinture")
        ) == ([], 0)


def test_a_common_word_among_a_workspaces_mentions_is_searched_in_its_own(
    two: tuple[Database, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every word counts as common (FEW_POSTS 0): the hand-written search of matched posts
    (store/search.py) takes the workspace and reads its own mentions alone."""
    db, first, other = two
    with db.session(workspace_id=first) as session:
        repository.upsert_watch(
            session, name="Peinture", kind="sector", description="", rules=["peinture"]
        )
    posts = [
        post_json("1", "Peinture fraîche à Angers"),  # both workspaces' watches
        post_json("2", "La peinture écaille encore"),  # first's watch alone
    ]
    _ingest(db, posts, heard_by=other)
    monkeypatch.setattr(queries, "FEW_POSTS", 0)
    expected = {first: {"1", "2"}, other: {"1"}}
    for workspace, ids in expected.items():
        with db.session(workspace_id=workspace) as session:
            found, total = queries.list_posts(session, queries.PostFilter(query="peinture"))
            assert {p.network_post_id for p in found} == ids and total == len(ids)
