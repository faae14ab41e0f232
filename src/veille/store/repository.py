"""Reads and writes of posts, authors, watches and what the pipeline learned about posts.

Writes are idempotent on (network, network post id): replaying a stream stores nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import String, Table, any_, bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from veille.business import BusinessProfile
from veille.posts import Post
from veille.store import tables
from veille.store.search import search_text


@dataclass(frozen=True)
class RuleRow:
    rule_id: int
    watch_id: int
    watch_name: str
    query: str


def active_rules(session: Session) -> list[RuleRow]:
    """Every rule of every active watch, in a stable order."""
    rows = session.execute(
        select(tables.WatchRule.id, tables.Watch.id, tables.Watch.name, tables.WatchRule.query)
        .join(tables.Watch, tables.Watch.id == tables.WatchRule.watch_id)
        .where(tables.Watch.active.is_(True))
        .order_by(tables.WatchRule.id)
    ).all()
    return [RuleRow(r[0], r[1], r[2], r[3]) for r in rows]


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


def existing_post_keys(session: Session, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    by_network: dict[str, list[str]] = {}
    for network, post_id in keys:
        by_network.setdefault(network, []).append(post_id)
    found: set[tuple[str, str]] = set()
    postgres = session.get_bind().dialect.name == "postgresql"
    for network, ids in by_network.items():
        if postgres:  # one array parameter: the same statement whatever the batch's size
            wanted: Any = any_(bindparam("ids", ids, type_=ARRAY(String)))
            rows = session.scalars(
                select(tables.Post.network_post_id).where(
                    tables.Post.network == network, tables.Post.network_post_id == wanted
                )
            )
            found.update((network, post_id) for post_id in rows)
            continue
        for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            rows = session.scalars(
                select(tables.Post.network_post_id).where(
                    tables.Post.network == network, tables.Post.network_post_id.in_(chunk)
                )
            )
            found.update((network, post_id) for post_id in rows)
    return found


def _author_ids(session: Session, posts: Sequence[Post]) -> dict[tuple[str, str], int]:
    """Ids of the posts' authors, inserting new ones and refreshing changed profiles."""
    wanted: dict[tuple[str, str], Any] = {(p.network, p.author.id): p.author for p in posts}
    known: dict[tuple[str, str], int] = {}
    changed: list[dict[str, Any]] = []
    by_network: dict[str, list[str]] = {}
    for network, author_id in wanted:
        by_network.setdefault(network, []).append(author_id)
    for network, ids in by_network.items():
        for start in range(0, len(ids), 500):
            rows = session.execute(
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
            for row_id, author_id, followers, username in rows:
                known[(network, author_id)] = row_id
                fresh = wanted[(network, author_id)]
                if fresh.followers_count != followers or fresh.username != username:
                    values = _author_values(fresh)
                    changed.append({"row_id": row_id, **{f"new_{k}": values[k] for k in values}})
    if changed:  # one statement for every refreshed profile, in row order (as below)
        changed.sort(key=lambda row: int(row["row_id"]))
        table = _core(tables.Author)
        session.connection().execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in _AUTHOR_FIELDS}),
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
                {"network": n, "network_author_id": a, **_author_values(wanted[(n, a)])}
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


_AUTHOR_FIELDS = ("username", "name", "followers_count", "verified", "description", "location")


def _author_values(author: Any) -> dict[str, Any]:
    return {
        "username": author.username,
        "name": author.name,
        "followers_count": author.followers_count,
        "verified": author.verified,
        "description": author.description,
        "location": author.location,
    }


def insert_posts(session: Session, posts: Sequence[Post]) -> dict[tuple[str, str], int]:
    """Insert posts not stored yet; returns the row id of each newly stored post by key.

    One statement per batch: the insert skips posts already stored (by another writer too)
    and returns the rows it did store.
    """
    unique = list({p.key: p for p in posts}.values())
    if not unique:
        return {}
    authors = _author_ids(session, unique)
    table = _core(tables.Post)
    rows = session.connection().execute(
        _insert_new(session, tables.Post, ("network", "network_post_id")).returning(
            table.c.id, table.c.network, table.c.network_post_id
        ),
        [_post_values(p, authors[(p.network, p.author.id)]) for p in unique],
    )
    return {(network, post_id): row_id for row_id, network, post_id in rows}


def _core(model: type[tables.Base]) -> Table:
    return cast(Table, model.__table__)


def _insert_new(session: Session, table: type[tables.Base], keys: Sequence[str]) -> Any:
    """INSERT ... ON CONFLICT (keys) DO NOTHING for this database (SQLite 3.35+, PostgreSQL),
    as a Core statement: rows go through one executemany, without the ORM's bookkeeping."""
    core = _core(table)
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(core).on_conflict_do_nothing(index_elements=list(keys))
    return sqlite.insert(core).on_conflict_do_nothing(index_elements=list(keys))


def _post_values(post: Post, author_id: int) -> dict[str, Any]:
    return {
        "network": post.network,
        "network_post_id": post.id,
        "author_id": author_id,
        "created_at": post.created_at,
        "text": post.text,
        "search_text": search_text(post.text),
        "lang": post.lang,
        "is_retweet": post.is_retweet,
        "is_reply": post.is_reply,
        "is_quote": post.is_quote,
        "in_reply_to": post.in_reply_to,
        "in_reply_to_id": post.in_reply_to_id,
        "conversation_id": post.conversation_id or post.id,
        "retweet_of": post.retweet_of,
        "likes": post.metrics.likes,
        "reposts": post.metrics.reposts,
        "replies": post.metrics.replies,
        "payload": post.to_json_dict(),
    }


def insert_matches(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """rows: {post_id, watch_id, rule_id}; one row per (post, watch)."""
    if rows:
        _insert_rows(session, tables.Match, rows)


def insert_enrichments(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """rows: {post_id, kind, label, score, data, model}."""
    if rows:
        _insert_rows(session, tables.Enrichment, rows)


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
    for row in rows:
        by_keys.setdefault(tuple(sorted(row)), []).append(row)
    for group in by_keys.values():
        session.connection().execute(insert(_core(table)), group)


def get_setting(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(tables.Setting, key)
    return None if row is None else row.value


def put_setting(session: Session, key: str, value: dict[str, Any]) -> None:
    row = session.get(tables.Setting, key)
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
