"""The store: migrations, idempotent writes, WAL, and accent-folding full-text search."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text

from tests.factories import post_json
from veille.posts import parse_post
from veille.store import queries, repository, tables
from veille.store.db import Database
from veille.store.search import SearchQueryError, fts5_query, search_text


def _store(db: Database, *payloads: dict[str, object]) -> dict[tuple[str, str], int]:
    with db.session() as session:
        return repository.insert_posts(session, [parse_post(p) for p in payloads])


def test_migration_creates_every_table(db: Database) -> None:
    names = set(inspect(db.engine).get_table_names())
    for table in (
        "users",
        "accounts",
        "authors",
        "posts",
        "watches",
        "watch_rules",
        "matches",
        "enrichments",
        "inbox_items",
        "drafts",
        "alerts",
        "posts_fts",
    ):
        assert table in names
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_migrating_twice_is_harmless(db: Database) -> None:
    db.migrate()
    db.migrate()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_same_post_twice_is_stored_once(db: Database) -> None:
    first = _store(db, post_json("1", "Super boulot sur notre façade !"))
    again = _store(db, post_json("1", "Super boulot sur notre façade !"))
    other_network = _store(db, post_json("1", "même id, autre réseau", network="mastodon"))
    assert len(first) == 1 and again == {} and len(other_network) == 1
    with db.session() as session:
        assert session.scalar(select(func.count(tables.Post.id))) == 2
        assert session.scalar(select(func.count(tables.Author.id))) == 2


def test_unique_constraint_holds_even_without_the_precheck(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    _store(db, post_json("7", "premier"))
    with pytest.raises(IntegrityError), db.session() as session:
        author = session.scalar(select(tables.Author.id))
        session.add(
            tables.Post(
                network="x",
                network_post_id="7",
                author_id=author,
                created_at=parse_post(post_json("7", "x")).created_at,
                text="doublon",
                payload={},
            )
        )


def test_unknown_fields_are_kept(db: Database) -> None:
    _store(db, post_json("9", "Bonjour", source_app="Veille test", edit_history=["9"]))
    with db.session() as session:
        stored = session.scalar(select(tables.Post))
        assert stored is not None
        assert stored.payload["source_app"] == "Veille test"
        assert stored.payload["edit_history"] == ["9"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Angers", {"1"}),
        ("angers", {"1"}),
        ("renovation", {"2"}),
        ("RÉNOVATION", {"2"}),
        ("peintre", {"1", "3"}),
        ("peintres", {"1", "3"}),
        ('"peintre en batiment"', {"3"}),
        ("renov*", {"2"}),
        ("peintre -angers", {"3"}),
        ("facade OR cholet", {"2", "3"}),
        ("entreprise", {"2"}),
    ],
)
def test_search_folds_case_accents_and_plurals(
    db: Database, query: str, expected: set[str]
) -> None:
    _store(
        db,
        post_json("1", "Quels peintres recommandez-vous à Angers ?"),
        post_json("2", "La rénovation de la façade avance, merci l'entreprise !"),
        post_json("3", "Je suis peintre en bâtiment à Cholet"),
    )
    with db.session() as session:
        found = {v.network_post_id for v in queries.search_posts(session, query)}
    assert found == expected


def test_search_index_follows_deletes(db: Database) -> None:
    _store(db, post_json("1", "Angers sous la pluie"))
    with db.session() as session:
        session.execute(text("DELETE FROM posts"))
    with db.session() as session:
        assert queries.search_posts(session, "angers") == []


def test_bad_search_queries_say_why() -> None:
    with pytest.raises(SearchQueryError) as unclosed:
        fts5_query('"peintre')
    assert unclosed.value.in_language("fr") == (
        "Recherche invalide : un guillemet n'est pas fermé ; fermez-le ou retirez-le"
    )
    with pytest.raises(SearchQueryError) as empty:
        fts5_query("-angers")
    assert empty.value.in_language("fr") == "Recherche invalide : rien à chercher ; tapez un mot"
    assert empty.value.in_language("en") == "Invalid search: nothing to look for; type a word"
    # FTS5 syntax in user input is quoted, never interpreted.
    assert fts5_query("NEAR(a b) col:x") == '("near" AND "a" AND "b" AND "col x")'


def test_search_text_splits_elisions() -> None:
    assert search_text("L'Entreprise d'à côté") == "l entreprise d a cote"


def test_rows_written_as_plain_tuples_read_back_as_the_orm_writes_them(db: Database) -> None:
    """SQLite's posts and fast sentiments skip SQLAlchemy's per-row parameters: a row stored
    that way and one the ORM stores compare and read back alike (times, flags, JSON)."""
    from datetime import UTC, datetime

    data = post_json("t1", "Retweet d'Angers", created_at="2026-11-20T10:30:00.250000+01:00")
    (post_id,) = _store(db, data | {"is_retweet": True, "mentions": []}).values()
    with db.session() as session:
        author_id = session.scalar(select(tables.Post.author_id))
        session.add(
            tables.Post(
                network="x",
                network_post_id="orm",
                author_id=author_id,
                created_at=datetime(2026, 11, 20, 9, 30, 0, 250000, tzinfo=UTC),
                text="par l'ORM",
                is_retweet=True,
                payload={"id": "orm"},
            )
        )
        session.flush()
        repository.insert_fast_sentiments(session, [(post_id, "positive", 0.75)])
    with db.session() as session:
        at = datetime(2026, 11, 20, 9, 30, 0, 250000, tzinfo=UTC)
        same_time = select(tables.Post.network_post_id).where(tables.Post.created_at == at)
        assert sorted(session.scalars(same_time)) == ["orm", "t1"]
        flagged = select(func.count()).where(tables.Post.is_retweet.is_(True))
        assert session.scalar(flagged) == 2
        stored = session.get(tables.Post, post_id)
        assert stored is not None and stored.payload == parse_post(data).to_json_dict() | {
            "is_retweet": True
        }
        assert stored.ingested_at.tzinfo is not None
        raw = session.execute(text("SELECT created_at, ingested_at FROM posts ORDER BY id")).all()
        assert [len(r[0]) for r in raw] == [26, 26] and all(r[1] for r in raw)
        sentiment = session.get(tables.Enrichment, (post_id, "sentiment"))
        assert sentiment is not None
        assert (sentiment.label, sentiment.score, sentiment.data, sentiment.model) == (
            "positive",
            0.75,
            {},
            "fast",
        )
        assert sentiment.created_at.tzinfo is not None
