"""Full-text search of post text. All SQLite-only SQL (FTS5) lives in this module.

Text is folded (case, accents, elisions) and lightly stemmed (plurals) in Python into
``posts.search_text``; SQLite indexes that column with FTS5, PostgreSQL with a tsvector
expression. The same folding is applied to queries, so "Angers" finds "angers",
"renovation" finds "rénovation" and "peintre" finds "peintres".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from veille.textfold import fold
from veille.translations import N_, Refusal

_WORD = re.compile(r"\w+", re.UNICODE)
_QUERY_TOKEN = re.compile(r'-?"[^"]*"\*?|\(|\)|[^\s()"]+')


def stem(word: str) -> str:
    """Light plural stemming for French and English: peintres -> peintre, chapeaux -> chapeau."""
    if len(word) > 4 and word.endswith(("aux", "eux")) and not word.endswith("ieux"):
        return word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def search_terms(value: str) -> list[str]:
    """The index terms of a text: folded words, stemmed, elisions split off by the tokenizer."""
    return [stem(word) for word in _WORD.findall(fold(value))]


def search_text(value: str) -> str:
    return " ".join(search_terms(value))


class SearchQueryError(Refusal):
    """A search query that cannot be understood (an unbalanced quote, say)."""


@dataclass(frozen=True)
class _Clause:
    terms: tuple[str, ...]
    negated: bool = False
    prefix: bool = False


def _parse(query: str) -> list[list[_Clause]]:
    """Query -> OR-groups of AND-clauses. Supports "phrases", -negation, OR, prefix*."""
    if query.count('"') % 2:
        raise SearchQueryError(N_("Invalid search: a quote is not closed; close it or remove it"))
    groups: list[list[_Clause]] = [[]]
    for token in _QUERY_TOKEN.findall(query):
        if token in ("(", ")"):
            continue  # grouping is not supported in search; terms still count
        if token == "OR":
            groups.append([])
            continue
        negated = token.startswith("-") and len(token) > 1
        body = token[1:] if negated else token
        prefix = body.endswith("*")
        body = body.rstrip("*").strip('"')
        # A prefix is matched against the folded, unstemmed form: renov* must reach renovation.
        terms = tuple(_WORD.findall(fold(body))) if prefix else tuple(search_terms(body))
        if terms:
            groups[-1].append(_Clause(terms, negated, prefix))
    return [group for group in groups if any(not c.negated for c in group)]


def fts5_query(query: str) -> str:
    """Translate a user query to an FTS5 MATCH expression, quoting every term."""
    rendered_groups = []
    for group in _parse(query):
        positives: list[str] = []
        negatives: list[str] = []
        for clause in group:
            phrase = '"' + " ".join(clause.terms) + '"' + ("*" if clause.prefix else "")
            (negatives if clause.negated else positives).append(phrase)
        expr = " AND ".join(positives)
        for negative in negatives:
            expr = f"({expr}) NOT {negative}"
        rendered_groups.append(f"({expr})")
    if not rendered_groups:
        raise SearchQueryError(N_("Invalid search: nothing to look for; type a word"))
    return " OR ".join(rendered_groups)


# What create_index adds beside the models (FTS5 table, its shadow tables and triggers on SQLite;
# a GIN index on PostgreSQL): schema comparisons with the models skip these names.
FULL_TEXT_OBJECTS = frozenset(
    {
        "posts_fts",
        "posts_fts_config",
        "posts_fts_data",
        "posts_fts_docsize",
        "posts_fts_idx",
        "posts_fts_ai",
        "posts_fts_ad",
        "posts_fts_au",
        "ix_posts_search",
        "matched_fts",
        "matched_fts_config",
        "matched_fts_content",
        "matched_fts_data",
        "matched_fts_docsize",
        "matched_fts_idx",
        "matched_fts_match_ai",
        "matched_fts_match_ad",
        "matched_fts_post_au",
        "matched_fts_post_ad",
    }
)


def create_index(conn: Connection) -> None:
    """Create the search index for this database (called by the migrations)."""
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE VIRTUAL TABLE IF NOT EXISTS posts_fts USING fts5("
                "search_text, content='posts', content_rowid='id', "
                "tokenize='unicode61 remove_diacritics 2')"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS posts_fts_ai AFTER INSERT ON posts BEGIN "
                "INSERT INTO posts_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS posts_fts_ad AFTER DELETE ON posts BEGIN "
                "INSERT INTO posts_fts(posts_fts, rowid, search_text) "
                "VALUES ('delete', old.id, old.search_text); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS posts_fts_au AFTER UPDATE OF search_text ON posts "
                "BEGIN INSERT INTO posts_fts(posts_fts, rowid, search_text) "
                "VALUES ('delete', old.id, old.search_text); "
                "INSERT INTO posts_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
            )
        )
    elif conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS ix_posts_search ON posts "
                "USING gin (to_tsvector('simple', search_text))"
            )
        )


def drop_index(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for trigger in ("posts_fts_ai", "posts_fts_ad", "posts_fts_au"):
            conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        conn.execute(text("DROP TABLE IF EXISTS posts_fts"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text("DROP INDEX IF EXISTS ix_posts_search"))


# SQLite: a second search index holding matched posts alone (a few in a hundred of a
# firehose), so a common word among them reads its few matched posts, never the 125,000 ids the
# word has among every post. Kept by triggers: a post enters with its first match, leaves
# with its last, and follows its post's text.
_MATCHED_INDEX = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS matched_fts USING fts5("
    "search_text, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS matched_fts_match_ai AFTER INSERT ON matches BEGIN "
    "INSERT INTO matched_fts(rowid, search_text) SELECT id, search_text FROM posts "
    "WHERE id = new.post_id AND NOT EXISTS (SELECT 1 FROM matched_fts WHERE rowid = new.post_id); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS matched_fts_match_ad AFTER DELETE ON matches "
    "WHEN NOT EXISTS (SELECT 1 FROM matches WHERE post_id = old.post_id) BEGIN "
    "DELETE FROM matched_fts WHERE rowid = old.post_id; END",
    "CREATE TRIGGER IF NOT EXISTS matched_fts_post_au AFTER UPDATE OF search_text ON posts BEGIN "
    "UPDATE matched_fts SET search_text = new.search_text WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS matched_fts_post_ad AFTER DELETE ON posts BEGIN "
    "DELETE FROM matched_fts WHERE rowid = old.id; END",
)


def create_matched_index(conn: Connection) -> None:
    """Create the search index of matched posts and fill it (SQLite; called by a migration)."""
    if conn.dialect.name != "sqlite":
        return
    for statement in _MATCHED_INDEX:
        conn.execute(text(statement))
    conn.execute(
        text(
            "INSERT INTO matched_fts(rowid, search_text) SELECT id, search_text FROM posts "
            "WHERE id IN (SELECT post_id FROM matches)"
        )
    )


def drop_matched_index(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    for trigger in ("match_ai", "match_ad", "post_au", "post_ad"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS matched_fts_{trigger}"))
    conn.execute(text("DROP TABLE IF EXISTS matched_fts"))


def matching_post_ids_sql(dialect: str) -> str:
    """SQL selecting the ids of posts matching :q (a value from fts5_query or tsquery_text)."""
    if dialect == "sqlite":
        return "SELECT rowid FROM posts_fts WHERE posts_fts MATCH :q"
    return (
        "SELECT id FROM posts WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', :q)"
    )


_MATCHED_MATCHING_IDS = {
    ("sqlite", False): "SELECT rowid AS id FROM matched_fts WHERE matched_fts MATCH :q LIMIT :cap",
    ("sqlite", True): "SELECT rowid AS id FROM matched_fts WHERE matched_fts MATCH :q "
    "AND rowid + 0 IN (SELECT post_id FROM matches WHERE watch_id = :watch) LIMIT :cap",
    ("postgresql", False): "SELECT id FROM posts "
    "WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', :q) "
    "AND id IN (SELECT post_id FROM matches) LIMIT :cap",
    ("postgresql", True): "SELECT id FROM posts "
    "WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', :q) "
    "AND id IN (SELECT post_id FROM matches WHERE watch_id = :watch) LIMIT :cap",
}
# Matched by a watch of the workspace :workspace: checked on each found post by the matches' key.
_MATCHED_MATCHING_IDS_OF_WORKSPACE = {
    "sqlite": "SELECT rowid AS id FROM matched_fts WHERE matched_fts MATCH :q "
    "AND EXISTS (SELECT 1 FROM matches JOIN watches ON watches.id = matches.watch_id "
    "WHERE matches.post_id = matched_fts.rowid AND watches.workspace_id = :workspace) LIMIT :cap",
    "postgresql": "SELECT id FROM posts "
    "WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', :q) "
    "AND EXISTS (SELECT 1 FROM matches JOIN watches ON watches.id = matches.watch_id "
    "WHERE matches.post_id = posts.id AND watches.workspace_id = :workspace) LIMIT :cap",
}


def matched_matching_ids_sql(dialect: str, *, watch: bool, workspace: bool = False) -> str:
    """SQL selecting at most :cap ids (column ``id``) of matched posts (of the watch :watch
    when ``watch``; else of the watches of the workspace :workspace when ``workspace``)
    matching :q. On SQLite they come from the index of matched posts, checked against the
    watch's matches one by one (``rowid + 0``): never a temporary list of the index's ids.
    The watch is the caller's to check as the workspace's own."""
    family = "sqlite" if dialect == "sqlite" else "postgresql"
    if workspace and not watch:
        return _MATCHED_MATCHING_IDS_OF_WORKSPACE[family]
    return _MATCHED_MATCHING_IDS[(family, watch)]


def matching_count_sql(dialect: str) -> str:
    """SQL counting the posts matching :q, read from the search index alone."""
    if dialect == "sqlite":
        return "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :q"
    return (
        "SELECT count(*) FROM posts "
        "WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', :q)"
    )


def tsquery_text(query: str) -> str:
    """Translate a user query to a PostgreSQL tsquery expression."""
    groups = []
    for group in _parse(query):
        parts = []
        for clause in group:
            words = [w.replace("'", "") for w in clause.terms]
            phrase = " <-> ".join(f"'{w}'" for w in words)
            if clause.prefix:
                phrase += ":*"
            parts.append(("!" if clause.negated else "") + f"({phrase})")
        groups.append("(" + " & ".join(parts) + ")")
    if not groups:
        raise SearchQueryError(N_("Invalid search: nothing to look for; type a word"))
    return " | ".join(groups)


def query_for(dialect: str, query: str) -> str:
    return fts5_query(query) if dialect == "sqlite" else tsquery_text(query)
