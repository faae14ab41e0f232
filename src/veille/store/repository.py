"""Reads and writes of posts, authors, watches and what the pipeline learned about posts.

Writes are idempotent on (network, network post id): replaying a stream stores nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    JSON,
    String,
    Table,
    Text,
    any_,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from veille.business import BusinessProfile
from veille.posts import Post
from veille.store import scope, tables
from veille.store.search import search_text
from veille.timeutil import utcnow


@dataclass(frozen=True)
class RuleRow:
    rule_id: int
    watch_id: int
    watch_name: str
    query: str
    workspace_id: int = 1


def active_rules(session: Session) -> list[RuleRow]:
    """Every rule of every active watch (of the session's workspace, or of every workspace
    for an unbound session), in a stable order."""
    rows = session.execute(
        select(
            tables.WatchRule.id,
            tables.Watch.id,
            tables.Watch.name,
            tables.WatchRule.query,
            tables.Watch.workspace_id,
        )
        .join(tables.Watch, tables.Watch.id == tables.WatchRule.watch_id)
        .where(tables.Watch.active.is_(True))
        .order_by(tables.WatchRule.id)
    ).all()
    return [RuleRow(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def upsert_watch(
    session: Session, *, name: str, kind: str, description: str, rules: Sequence[str]
) -> tables.Watch:
    """Create or replace a watch and its rules (by name)."""
    watch = session.scalar(select(tables.Watch).where(tables.Watch.name == name))
    if watch is None:
        watch = tables.Watch(name=name, kind=kind, description=description)
        session.add(watch)
        session.flush()
    else:
        watch.kind, watch.description = kind, description
        session.execute(delete(tables.WatchRule).where(tables.WatchRule.watch_id == watch.id))
    for query in rules:
        session.add(tables.WatchRule(watch_id=watch.id, query=query))
    session.flush()
    return watch


def existing_posts(session: Session, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The stored posts among ``keys``: (network, post id) -> row id."""
    by_network: dict[str, list[str]] = {}
    for network, post_id in keys:
        by_network.setdefault(network, []).append(post_id)
    found: dict[tuple[str, str], int] = {}
    postgres = session.get_bind().dialect.name == "postgresql"
    columns = select(tables.Post.network_post_id, tables.Post.id)
    for network, ids in by_network.items():
        if postgres:  # one array parameter: the same statement whatever the batch's size
            wanted: Any = any_(bindparam("ids", ids, type_=ARRAY(String)))
            rows = session.execute(
                columns.where(tables.Post.network == network, tables.Post.network_post_id == wanted)
            )
            found.update(((network, post_id), row_id) for post_id, row_id in rows)
            continue
        for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            rows = session.execute(
                columns.where(
                    tables.Post.network == network, tables.Post.network_post_id.in_(chunk)
                )
            )
            found.update(((network, post_id), row_id) for post_id, row_id in rows)
    return found


def insert_heard(session: Session, workspace_id: int, post_ids: Iterable[int]) -> None:
    """The workspace heard these posts (from its own sources); already heard ones are kept."""
    ids = sorted(set(post_ids))
    if not ids:
        return
    connection = session.connection()
    if connection.dialect.name == "sqlite":  # a firehose stores one per post: skip the Core layer
        connection.exec_driver_sql(
            "INSERT OR IGNORE INTO heard (workspace_id, post_id) VALUES (?, ?)",
            [(workspace_id, p) for p in ids],
        )
        return
    # PostgreSQL: one statement and one array parameter, whatever the batch's size.
    connection.exec_driver_sql(
        "INSERT INTO heard (workspace_id, post_id) SELECT %s, unnest(%s::integer[]) "
        "ON CONFLICT DO NOTHING",
        (workspace_id, ids),
    )


class PostRow(NamedTuple):
    """A post as the store writes it: plain values, cheap to build in a worker process and to
    send back (the payload is already JSON text)."""

    key: tuple[str, str]  # (network, network post id)
    author_key: tuple[str, str]  # (network, network author id)
    author: tuple[Any, ...]  # values of AUTHOR_FIELDS
    values: tuple[Any, ...]  # values of POST_FIELDS


AUTHOR_FIELDS = ("username", "name", "followers_count", "verified", "description", "location")
POST_FIELDS = (
    "network",
    "network_post_id",
    "created_at",
    "text",
    "search_text",
    "lang",
    "is_retweet",
    "is_reply",
    "is_quote",
    "in_reply_to",
    "in_reply_to_id",
    "conversation_id",
    "retweet_of",
    "likes",
    "reposts",
    "replies",
    "payload_json",
)


def post_row(post: Post) -> PostRow:
    author = post.author
    return PostRow(
        key=(post.network, post.id),
        author_key=(post.network, author.id),
        author=(
            author.username,
            author.name,
            author.followers_count,
            author.verified,
            author.description,
            author.location,
        ),
        values=(
            post.network,
            post.id,
            post.created_at,
            post.text,
            search_text(post.text),
            post.lang,
            post.is_retweet,
            post.is_reply,
            post.is_quote,
            post.in_reply_to,
            post.in_reply_to_id,
            post.conversation_id or post.id,
            post.retweet_of,
            post.metrics.likes,
            post.metrics.reposts,
            post.metrics.replies,
            # The value to_json_dict gives, written by pydantic's serialiser (a quarter of
            # the time of json.dumps over the dumped dict).
            post.model_dump_json(exclude_none=True),
        ),
    )


def _author_ids(session: Session, rows: Sequence[PostRow]) -> dict[tuple[str, str], int]:
    """Ids of the posts' authors, inserting new ones and refreshing changed profiles."""
    wanted: dict[tuple[str, str], tuple[Any, ...]] = {r.author_key: r.author for r in rows}
    known: dict[tuple[str, str], int] = {}
    changed: list[dict[str, Any]] = []
    by_network: dict[str, list[str]] = {}
    for network, author_id in wanted:
        by_network.setdefault(network, []).append(author_id)
    for network, ids in by_network.items():
        for start in range(0, len(ids), 500):
            found = session.execute(
                select(
                    tables.Author.id,
                    tables.Author.network_author_id,
                    tables.Author.followers_count,
                    tables.Author.username,
                ).where(
                    tables.Author.network == network,
                    tables.Author.network_author_id.in_(ids[start : start + 500]),
                )
            ).all()
            for row_id, author_id, followers, username in found:
                known[(network, author_id)] = row_id
                fresh = wanted[(network, author_id)]
                if fresh[2] != followers or fresh[0] != username:
                    names = (f"new_{name}" for name in AUTHOR_FIELDS)
                    changed.append({"row_id": row_id, **dict(zip(names, fresh, strict=True))})
    if changed:  # one statement for every refreshed profile, in row order (as below)
        changed.sort(key=lambda row: int(row["row_id"]))
        table = _core(tables.Author)
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in AUTHOR_FIELDS}),
            changed,
        )
    # In key order, so two writers adding the same new authors never wait on each other in
    # opposite orders; an author another writer added meanwhile is skipped, then read.
    missing = sorted(key for key in wanted if key not in known)
    if missing:
        table = _core(tables.Author)
        inserted = session.connection().execute(
            _insert_new(session, tables.Author, ("network", "network_author_id")).returning(
                table.c.id, table.c.network, table.c.network_author_id
            ),
            [
                {
                    "network": n,
                    "network_author_id": a,
                    **dict(zip(AUTHOR_FIELDS, wanted[(n, a)], strict=True)),
                }
                for n, a in missing
            ],
        )
        known.update({(n, a): row_id for row_id, n, a in inserted})
        for network, author_id in missing:
            if (network, author_id) not in known:
                known[(network, author_id)] = session.execute(
                    select(tables.Author.id).where(
                        tables.Author.network == network,
                        tables.Author.network_author_id == author_id,
                    )
                ).scalar_one()
    return known


def insert_posts(session: Session, posts: Sequence[Post]) -> dict[tuple[str, str], int]:
    """Insert posts not stored yet; returns the row id of each newly stored post by key."""
    return insert_post_rows(session, [post_row(p) for p in posts])


def insert_post_rows(session: Session, rows: Sequence[PostRow]) -> dict[tuple[str, str], int]:
    """Insert the rows of posts not stored yet; returns the row id of each newly stored post
    by key.

    One statement per batch: the insert skips posts already stored (by another writer too)
    and returns the rows it did store.
    """
    unique = list({r.key: r for r in rows}.values())
    if not unique:
        return {}
    authors = _author_ids(session, unique)
    table = _core(tables.Post)
    postgres = session.get_bind().dialect.name == "postgresql"
    if not postgres:
        return _sqlite_insert_posts(session, unique, authors)
    payload: Any = bindparam("payload_json", type_=Text)
    # The payload arrives as JSON text: bound as text, not serialised again by the JSON type.
    statement = _insert_new(session, tables.Post, ("network", "network_post_id")).values(
        payload=sql_cast(payload, JSON) if postgres else payload
    )
    stored = session.connection().execute(
        statement.returning(table.c.id, table.c.network, table.c.network_post_id),
        [
            {"author_id": authors[r.author_key], **dict(zip(POST_FIELDS, r.values, strict=True))}
            for r in unique
        ],
    )
    return {(network, post_id): row_id for row_id, network, post_id in stored}


# SQLite, the default store, is written by one process; building SQLAlchemy's parameters for
# each row cost as much as SQLite's own insert with its full-text index. Rows go to the
# driver as plain tuples instead, the times through the column type's own bind processor.
_SQLITE_ROWS = 400  # per statement: 7,200 parameters, under SQLite's 32,766


def _sqlite_insert_posts(
    session: Session, rows: Sequence[PostRow], authors: dict[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    connection = session.connection()
    columns = ("author_id", *POST_FIELDS[:-1], "payload", "ingested_at")
    stamp = _core(tables.Post).c.created_at.type.bind_processor(connection.dialect)
    assert stamp is not None
    at = POST_FIELDS.index("created_at") - len(POST_FIELDS) - 1  # from each row's end
    ingested = stamp(utcnow())  # the column's default, once per batch
    stored: dict[tuple[str, str], int] = {}
    names, one = ", ".join(columns), "(" + ", ".join("?" * len(columns)) + ")"
    for start in range(0, len(rows), _SQLITE_ROWS):
        chunk = rows[start : start + _SQLITE_ROWS]
        values: list[Any] = []
        for row in chunk:
            values.append(authors[row.author_key])
            values.extend(row.values)
            values.append(ingested)
            values[at] = stamp(values[at])
        placeholders = ", ".join([one] * len(chunk))  # column names and "?" only
        statement = (
            f"INSERT INTO posts ({names}) VALUES {placeholders} "  # noqa: S608
            "ON CONFLICT (network, network_post_id) DO NOTHING "
            "RETURNING id, network, network_post_id"
        )
        for row_id, network, post_id in connection.exec_driver_sql(statement, tuple(values)):
            stored[(network, post_id)] = row_id
    return stored


def _core(model: type[tables.Base]) -> Table:
    return cast(Table, model.__table__)


def _insert_new(session: Session, table: type[tables.Base], keys: Sequence[str]) -> Any:
    """INSERT ... ON CONFLICT (keys) DO NOTHING for this database (SQLite 3.35+, PostgreSQL),
    as a Core statement: rows go through one executemany, without the ORM's bookkeeping."""
    core = _core(table)
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(core).on_conflict_do_nothing(index_elements=list(keys))
    return sqlite.insert(core).on_conflict_do_nothing(index_elements=list(keys))


def insert_matches(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """rows: {post_id, watch_id, rule_id}; one row per (post, watch)."""
    if rows:
        _insert_rows(session, tables.Match, rows)


def insert_enrichments(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """rows: {post_id, kind, label, score, data, model}."""
    if rows:
        _insert_rows(session, tables.Enrichment, rows)


def insert_fast_sentiments(session: Session, rows: Sequence[tuple[int, str, float]]) -> None:
    """The fast tier's sentiment of posts, rows (post id, label, score): most posts of a
    firehose get only this."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        insert_enrichments(
            session,
            [
                {"post_id": p, "kind": "sentiment", "label": label, "score": score}
                | {"data": {}, "model": "fast"}
                for p, label, score in rows
            ],
        )
        return
    stamp = _core(tables.Enrichment).c.created_at.type.bind_processor(connection.dialect)
    assert stamp is not None
    now = stamp(utcnow())  # the column's default, once per batch (see _sqlite_insert_posts)
    connection.exec_driver_sql(
        "INSERT INTO enrichments (post_id, kind, label, score, data, model, created_at) "
        "VALUES (?, 'sentiment', ?, ?, '{}', 'fast', ?)",
        [(p, label, score, now) for p, label, score in rows],
    )


def insert_inbox_items(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """rows: {post_id, priority, reason}; new items start with status "new"."""
    if rows:
        _insert_rows(session, tables.InboxItem, rows)


def _insert_rows(
    session: Session, table: type[tables.Base], rows: Sequence[dict[str, Any]]
) -> None:
    """An executemany on the connection per set of keys given (the pipeline gives one): the
    ORM's per-row bookkeeping is not needed here."""
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    stamped = scope.WORKSPACE in _core(table).c
    for row in rows:
        if stamped and scope.WORKSPACE not in row:  # a row of the session's workspace
            row = {**row, scope.WORKSPACE: scope.required_workspace(session)}
        by_keys.setdefault(tuple(sorted(row)), []).append(row)
    for group in by_keys.values():
        session.connection().execute(insert(_core(table)), group)


def setting_row(session: Session, key: str) -> tables.Setting | None:
    """The workspace's setting ``key`` (each workspace has its own)."""
    return session.get(tables.Setting, (scope.required_workspace(session), key))


def get_setting(session: Session, key: str) -> dict[str, Any] | None:
    row = setting_row(session, key)
    return None if row is None else row.value


def put_setting(session: Session, key: str, value: dict[str, Any]) -> None:
    row = setting_row(session, key)
    if row is None:
        session.add(tables.Setting(key=key, value=value))
    else:
        row.value = value


BUSINESS_KEY = "business"


def load_profile(session: Session) -> BusinessProfile | None:
    value = get_setting(session, BUSINESS_KEY)
    return None if value is None else BusinessProfile.model_validate(value)


def save_profile(session: Session, profile: BusinessProfile) -> None:
    put_setting(session, BUSINESS_KEY, profile.model_dump(mode="json"))
