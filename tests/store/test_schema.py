"""The migrations build exactly the models' schema, on SQLite and PostgreSQL, and keep the rows
they change (Zulip's test-migrations habit)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import JSON, column, func, insert, null, select, table, text

from veille.store import counts, repository, tables, tables_publish
from veille.store.db import Database, alembic_config
from veille.store.search import FULL_TEXT_OBJECTS

PG_URL = os.environ.get("VEILLE_TEST_DATABASE_URL", "")
AT = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """An empty database of each kind (PostgreSQL when VEILLE_TEST_DATABASE_URL names one)."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'veille.db'}")
    else:
        if not PG_URL.startswith("postgresql"):
            pytest.skip("VEILLE_TEST_DATABASE_URL names no PostgreSQL database")
        database = Database(PG_URL)
        with database.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    request.addfinalizer(database.engine.dispose)
    return database


def _outside_full_text(_obj: object, name: str | None, *_: object) -> bool:
    return name not in FULL_TEXT_OBJECTS


def test_migrations_build_the_models_schema(empty: Database) -> None:
    empty.migrate()
    with empty.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _outside_full_text}
        )
        drift = compare_metadata(context, tables.Base.metadata)
    assert drift == []


def test_drafts_keep_their_rows_when_media_becomes_not_null(empty: Database) -> None:
    config = alembic_config(empty.engine)
    with empty.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")  # the last release where drafts.media was nullable
        # The drafts table as 0002 left it (the model's later columns and defaults left out).
        draft = table(
            "drafts",
            *(column(name) for name in ("id", "text", "status", "created_at", "updated_at")),
            column("evergreen"),
            column("media", JSON()),
        )
        common = {"status": "draft", "created_at": AT, "updated_at": AT, "evergreen": False}
        conn.execute(insert(draft).values(id=1, text="sans média", media=null(), **common))
        conn.execute(insert(draft).values(id=2, text="média null", media=JSON.NULL, **common))
        conn.execute(
            insert(draft).values(id=3, text="une image", media=[{"path": "a.png"}], **common)
        )
        for draft_id in (1, 2, 3):  # rows that refer to each draft, deleted with it on cascade
            conn.execute(
                insert(tables_publish.DraftEvent.__table__).values(
                    draft_id=draft_id, action="create", detail={}, at=AT
                )
            )
    empty.migrate()
    with empty.session() as session:
        media = dict(session.execute(select(tables.Draft.id, tables.Draft.media)).all())
        events = session.scalar(select(func.count(tables_publish.DraftEvent.id)))
    assert media == {1: [], 2: [], 3: [{"path": "a.png"}]}
    assert events == 3


def test_what_exists_becomes_the_default_workspace(empty: Database) -> None:
    """ws_0001 keeps every row, in workspace 1: the users become its members with their role,
    the stored posts are heard by it, keys unique per instance become unique per workspace."""
    config = alembic_config(empty.engine)
    with empty.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "threads_0001")  # the last revision before workspaces
        for sql in (
            "INSERT INTO users (id, username, password_hash, role, display_name, email, "
            "language, created_at) VALUES (7, 'claire', 'h', 'manager', '', '', 'fr', :at)",
            "INSERT INTO watches (id, name, kind, description, active, created_at) "
            "VALUES (3, 'Ma marque', 'brand', '', true, :at)",
            "INSERT INTO settings (key, value) VALUES ('business', '{\"name\": \"Martin\"}')",
            "INSERT INTO authors (id, network, network_author_id, username, name, "
            "followers_count, verified, description, location) "
            "VALUES (1, 'x', '1', 'paul', '', 0, false, '', '')",
            "INSERT INTO posts (id, network, network_post_id, author_id, created_at, text, "
            "search_text, is_retweet, is_reply, is_quote, likes, reposts, replies, payload, "
            "ingested_at) VALUES (5, 'x', '99', 1, :at, 'peinture', 'peintur', false, false, "
            "false, 0, 0, 0, '{}', :at)",
            "INSERT INTO matches (post_id, watch_id, matched_at) VALUES (5, 3, :at)",
            "INSERT INTO inbox_items (id, post_id, status, priority, reason, created_at, "
            "updated_at) VALUES (2, 5, 'new', 10, '', :at, :at)",
        ):
            conn.execute(text(sql), {"at": AT})
    empty.migrate()
    with empty.session(workspace_id=None) as session:
        assert session.execute(select(tables.Workspace.id, tables.Workspace.slug)).all() == [
            (1, "default")
        ]
        assert session.execute(
            select(
                tables.Membership.workspace_id, tables.Membership.user_id, tables.Membership.role
            )
        ).all() == [(1, 7, "manager")]
        assert session.execute(select(tables.Heard.workspace_id, tables.Heard.post_id)).all() == [
            (1, 5)
        ]
        assert session.scalars(select(tables.Watch.workspace_id)).all() == [1]
        assert session.scalars(select(tables.InboxItem.workspace_id)).all() == [1]
        assert session.scalars(select(tables.Setting.workspace_id)).all() == [1]
    with empty.session() as session:  # bound to workspace 1, as a single business is
        assert repository.load_profile(session).name == "Martin"  # type: ignore[union-attr]
        assert counts.matched(session, watch_id=3) == 1  # counted by the migration
        # A second business may now use the same watch name.
        other = tables.Workspace(slug="fleurs", name="Fleurs")
        session.add(other)
        session.flush()
        session.add(tables.Watch(name="Ma marque", kind="brand", workspace_id=other.id))
        session.flush()
