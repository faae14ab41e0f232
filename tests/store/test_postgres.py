"""The same migrations, idempotent writes and search on PostgreSQL.

Runs when VEILLE_TEST_DATABASE_URL names a PostgreSQL database (make test starts one when it can:
scripts/ensure-postgres.sh). The database is emptied first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text

from tests.factories import post_json
from veille.posts import parse_post
from veille.store import queries, repository, tables
from veille.store.db import Database

URL = os.environ.get("VEILLE_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not URL.startswith("postgresql"), reason="VEILLE_TEST_DATABASE_URL names no PostgreSQL database"
)


@pytest.fixture
def pg() -> Iterator[Database]:
    database = Database(URL)
    with database.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    database.migrate()
    yield database
    database.engine.dispose()


def test_migrations_writes_and_search_on_postgresql(pg: Database) -> None:
    pg.migrate()  # twice is harmless
    payloads = [
        post_json("1", "Quels peintres recommandez-vous à Angers ?"),
        post_json("2", "La rénovation de la façade avance, merci l'entreprise !"),
    ]
    with pg.session() as session:
        assert len(repository.insert_posts(session, [parse_post(p) for p in payloads])) == 2
    with pg.session() as session:
        assert repository.insert_posts(session, [parse_post(p) for p in payloads]) == {}
        assert session.scalar(select(func.count(tables.Post.id))) == 2
        for query, expected in [("ANGERS", {"1"}), ("renovation", {"2"}), ("peintre", {"1"})]:
            found = {v.network_post_id for v in queries.search_posts(session, query)}
            assert found == expected, query
        stored = session.scalar(select(tables.Post).where(tables.Post.network_post_id == "1"))
        assert stored is not None and stored.created_at.tzinfo is not None


def test_a_common_word_among_matched_posts_on_postgresql(
    pg: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "FEW_POSTS", 0)  # every word counts as common
    texts = ["Peinture à Angers", "Angers sous la pluie", "Peinture fraîche", "Angers encore"]
    with pg.session() as session:
        watch = repository.upsert_watch(
            session, name="Ville", kind="local", description="", rules=["angers"]
        )
        ids = repository.insert_posts(
            session, [parse_post(post_json(str(n), t)) for n, t in enumerate(texts)]
        )
        matched = [ids[("x", str(n))] for n in (0, 1)]  # not "Angers encore"
        repository.insert_matches(
            session, [{"post_id": i, "watch_id": watch.id, "rule_id": None} for i in matched]
        )
    with pg.session() as session:
        views, total = queries.list_posts(session, queries.PostFilter(query="angers"))
        assert total == 2 and {v.id for v in views} == set(matched)
        flt = queries.PostFilter(query="peinture", watch_id=watch.id)
        views, total = queries.list_posts(session, flt)
        assert total == 1 and [v.id for v in views] == [matched[0]]
